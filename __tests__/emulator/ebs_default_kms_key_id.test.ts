/**
 * Fix ebs_default_kms_key_id: GetEbsDefaultKmsKeyId answers with the Region's default KMS key for
 * EBS (the AWS managed alias/aws/ebs until ModifyEbsDefaultKmsKeyId sets another), and honours DryRun.
 */
import { CopyImageCommand, GetEbsDefaultKmsKeyIdCommand } from "@aws-sdk/client-ec2";
import { registerAmi } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

describe("emulator fix: GetEbsDefaultKmsKeyId", () => {
  const emulator = useEmulator();

  test("an account that never chose a key gets the AWS managed key for EBS of that Region", async () => {
    const ec2 = emulator.ec2("ap-southeast-2");
    const { KmsKeyId } = await ec2.send(new GetEbsDefaultKmsKeyIdCommand({}));
    expect(KmsKeyId).toBe("arn:aws:kms:ap-southeast-2:123456789012:alias/aws/ebs");
    await expect(ec2.send(new GetEbsDefaultKmsKeyIdCommand({ DryRun: true }))).rejects.toMatchObject({ name: "DryRunOperation" });
  });

  test("the answer does not change once something has been encrypted with the managed key", async () => {
    const ec2 = emulator.ec2("ap-southeast-1");
    const before = await ec2.send(new GetEbsDefaultKmsKeyIdCommand({}));
    const imageId = await registerAmi(emulator.ec2("us-east-1"), false);
    await ec2.send(new CopyImageCommand({ SourceImageId: imageId, SourceRegion: "us-east-1", Name: "encrypted", Encrypted: true }));

    const after = await ec2.send(new GetEbsDefaultKmsKeyIdCommand({}));

    expect(after.KmsKeyId).toBe(before.KmsKeyId);
  });
});
