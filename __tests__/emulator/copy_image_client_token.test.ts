/**
 * Fix copy_image_client_token: CopyImage repeated with the same ClientToken and parameters
 * returns the first copy and makes no second one; other parameters with it are refused.
 */
import { CopyImageCommand, DescribeImagesCommand } from "@aws-sdk/client-ec2";
import { useEmulator } from "../support/emulator";
import { registerAmi } from "../support/ec2-fixtures";

describe("emulator fix: CopyImage idempotency by client token", () => {
  const emulator = useEmulator();

  test("a retried CopyImage returns the same image and creates nothing new", async () => {
    const imageId = await registerAmi(emulator.ec2("us-east-1"), false);
    const target = emulator.ec2("eu-west-1");
    const request = { SourceImageId: imageId, SourceRegion: "us-east-1", Name: "idempotent-copy", ClientToken: "token-1" };
    const before = (await target.send(new DescribeImagesCommand({ Owners: ["self"] }))).Images?.length ?? 0;

    const first = await target.send(new CopyImageCommand(request));
    const second = await target.send(new CopyImageCommand(request));

    expect(second.ImageId).toBe(first.ImageId);
    const after = (await target.send(new DescribeImagesCommand({ Owners: ["self"] }))).Images?.length ?? 0;
    expect(after).toBe(before + 1);

    await expect(target.send(new CopyImageCommand({ ...request, Name: "another-name" }))).rejects.toMatchObject({
      name: "IdempotentParameterMismatch",
    });
  });
});
