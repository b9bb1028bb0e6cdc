/**
 * Fix create_image_snapshot_tags: CreateImage TagSpecifications with ResourceType snapshot tag
 * the snapshots of the new AMI (moto answered HTTP 500).
 */
import { CreateImageCommand, DescribeImagesCommand, DescribeSnapshotsCommand } from "@aws-sdk/client-ec2";
import { useEmulator } from "../support/emulator";
import { createInstance } from "../support/ec2-fixtures";

describe("emulator fix: CreateImage tags the snapshots", () => {
  const emulator = useEmulator();

  test("image and snapshot tag specifications land on the image and its snapshot", async () => {
    const ec2 = emulator.ec2("us-east-1");
    const { instance } = await createInstance(ec2);

    const { ImageId } = await ec2.send(
      new CreateImageCommand({
        InstanceId: instance.InstanceId,
        Name: "tagged-capture",
        TagSpecifications: [
          { ResourceType: "image", Tags: [{ Key: "of", Value: "image" }] },
          { ResourceType: "snapshot", Tags: [{ Key: "of", Value: "snapshot" }] },
        ],
      }),
    );

    const image = (await ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0];
    expect(image.Tags).toEqual([{ Key: "of", Value: "image" }]);
    const snapshotId = image.BlockDeviceMappings![0].Ebs!.SnapshotId!;
    const snapshot = (await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }))).Snapshots![0];
    expect(snapshot.Tags).toEqual([{ Key: "of", Value: "snapshot" }]);
  });
});
