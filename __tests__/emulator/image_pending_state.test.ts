/**
 * Fix image_pending_state: an AMI from CreateImage or CopyImage is `pending` first and
 * `available` later (after REGIONPAIR_EMULATOR_IMAGE_PENDING_SECONDS, default 1 s).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { CopyImageCommand, CreateImageCommand, DescribeImagesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { useEmulator } from "../support/emulator";
import { createInstance } from "../support/ec2-fixtures";

describe("emulator fix: new AMIs start pending", () => {
  const emulator = useEmulator();

  const state = async (client: EC2Client, imageId: string) =>
    (await client.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images![0].State;

  test("CreateImage and CopyImage images are pending, then available", async () => {
    const ec2 = emulator.ec2("us-east-1");
    const { instance } = await createInstance(ec2);

    const { ImageId: imageId } = await ec2.send(new CreateImageCommand({ InstanceId: instance.InstanceId, Name: "pending-capture" }));
    expect(await state(ec2, imageId!)).toBe("pending");
    const filtered = await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: "state", Values: ["pending"] }, { Name: "image-id", Values: [imageId!] }] }));
    expect(filtered.Images).toHaveLength(1);
    await sleep(1_200);
    expect(await state(ec2, imageId!)).toBe("available");

    const target = emulator.ec2("eu-west-1");
    const { ImageId: copyId } = await target.send(new CopyImageCommand({ SourceImageId: imageId, SourceRegion: "us-east-1", Name: "pending-capture" }));
    expect(await state(target, copyId!)).toBe("pending");
    await sleep(1_200);
    expect(await state(target, copyId!)).toBe("available");
  });
});
