/**
 * Fix copy_image_tags: CopyImage with CopyImageTags copies the source AMI's user tags (not
 * `aws:` ones), and TagSpecifications tag the new AMI and its snapshots.
 */
import { CopyImageCommand, DescribeImagesCommand, DescribeSnapshotsCommand } from "@aws-sdk/client-ec2";
import { useEmulator } from "../support/emulator";
import { registerAmi } from "../support/ec2-fixtures";

describe("emulator fix: CopyImage tags", () => {
  const emulator = useEmulator();

  test("the copy carries the source's tags and the requested ones; its snapshot the snapshot tags", async () => {
    // GIVEN a tagged AMI in us-east-1
    const imageId = await registerAmi(emulator.ec2("us-east-1"), false, [{ Key: "cost-center", Value: "42" }]);

    // WHEN it is copied to eu-west-1 with CopyImageTags and TagSpecifications
    const target = emulator.ec2("eu-west-1");
    const { ImageId: copyId } = await target.send(
      new CopyImageCommand({
        SourceImageId: imageId,
        SourceRegion: "us-east-1",
        Name: "tagged-copy",
        CopyImageTags: true,
        TagSpecifications: [
          { ResourceType: "image", Tags: [{ Key: "role", Value: "copy" }] },
          { ResourceType: "snapshot", Tags: [{ Key: "of", Value: imageId }] },
        ],
      }),
    );

    // THEN
    const copy = (await target.send(new DescribeImagesCommand({ ImageIds: [copyId!] }))).Images![0];
    expect(Object.fromEntries((copy.Tags ?? []).map((t) => [t.Key, t.Value]))).toEqual({ "cost-center": "42", role: "copy" });
    const snapshotId = copy.BlockDeviceMappings![0].Ebs!.SnapshotId!;
    const snapshot = (await target.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }))).Snapshots![0];
    expect(snapshot.Tags).toEqual([{ Key: "of", Value: imageId }]);
  });

  test("without CopyImageTags the source's tags stay behind", async () => {
    const imageId = await registerAmi(emulator.ec2("us-east-1"), false, [{ Key: "cost-center", Value: "42" }]);
    const target = emulator.ec2("eu-west-1");
    const { ImageId: copyId } = await target.send(
      new CopyImageCommand({
        SourceImageId: imageId,
        SourceRegion: "us-east-1",
        Name: "untagged-copy",
        TagSpecifications: [{ ResourceType: "image", Tags: [{ Key: "role", Value: "copy" }] }],
      }),
    );
    const copy = (await target.send(new DescribeImagesCommand({ ImageIds: [copyId!] }))).Images![0];
    expect(copy.Tags).toEqual([{ Key: "role", Value: "copy" }]);
  });
});
