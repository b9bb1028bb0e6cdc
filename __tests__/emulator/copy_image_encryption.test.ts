/**
 * Fix copy_image_encryption: CopyImage with Encrypted encrypts the copy's snapshots with KmsKeyId
 * or, without it, the Region's default EBS key; KmsKeyId without Encrypted is refused.
 */
import {
  CopyImageCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { useEmulator } from "../support/emulator";
import { registerAmi } from "../support/ec2-fixtures";

describe("emulator fix: CopyImage encryption", () => {
  const emulator = useEmulator();

  const copySnapshot = async (target: EC2Client, copyId: string) => {
    const copy = (await target.send(new DescribeImagesCommand({ ImageIds: [copyId] }))).Images![0];
    const snapshotId = copy.BlockDeviceMappings![0].Ebs!.SnapshotId!;
    const snapshot = (await target.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }))).Snapshots![0];
    return { encryptedMapping: copy.BlockDeviceMappings![0].Ebs!.Encrypted, snapshot };
  };

  test("Encrypted without KmsKeyId uses the destination Region's default EBS key", async () => {
    const imageId = await registerAmi(emulator.ec2("us-east-1"), false);
    const target = emulator.ec2("eu-west-1");

    const first = await target.send(new CopyImageCommand({ SourceImageId: imageId, SourceRegion: "us-east-1", Name: "enc-default-1", Encrypted: true }));
    const second = await target.send(new CopyImageCommand({ SourceImageId: imageId, SourceRegion: "us-east-1", Name: "enc-default-2", Encrypted: true }));

    const { encryptedMapping, snapshot } = await copySnapshot(target, first.ImageId!);
    expect(encryptedMapping).toBe(true);
    expect(snapshot.Encrypted).toBe(true);
    // The AWS managed key for EBS in the destination Region, the same for every copy.
    expect(snapshot.KmsKeyId).toMatch(/^arn:aws:kms:eu-west-1:123456789012:key\//);
    expect((await copySnapshot(target, second.ImageId!)).snapshot.KmsKeyId).toBe(snapshot.KmsKeyId);
  });

  test("Encrypted with KmsKeyId records that key", async () => {
    const imageId = await registerAmi(emulator.ec2("us-east-1"), false);
    const target = emulator.ec2("eu-west-1");
    const key = "arn:aws:kms:eu-west-1:123456789012:key/0b0c1d2e-3f40-4152-8364-758697a8b9c0";

    const { ImageId } = await target.send(
      new CopyImageCommand({ SourceImageId: imageId, SourceRegion: "us-east-1", Name: "enc-key", Encrypted: true, KmsKeyId: key }),
    );

    const { snapshot } = await copySnapshot(target, ImageId!);
    expect(snapshot).toMatchObject({ Encrypted: true, KmsKeyId: key });
  });

  test("without Encrypted an unencrypted source gives an unencrypted copy, and KmsKeyId alone is refused", async () => {
    const imageId = await registerAmi(emulator.ec2("us-east-1"), false);
    const target = emulator.ec2("eu-west-1");

    const { ImageId } = await target.send(new CopyImageCommand({ SourceImageId: imageId, SourceRegion: "us-east-1", Name: "plain" }));
    const { encryptedMapping, snapshot } = await copySnapshot(target, ImageId!);
    expect(encryptedMapping).toBe(false);
    expect(snapshot.Encrypted).toBe(false);

    await expect(
      target.send(new CopyImageCommand({ SourceImageId: imageId, SourceRegion: "us-east-1", Name: "key-only", KmsKeyId: "alias/dr" })),
    ).rejects.toMatchObject({ name: "InvalidParameterDependency" });
  });
});
