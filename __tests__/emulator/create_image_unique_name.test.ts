/**
 * Fix create_image_unique_name: CreateImage with a name already used by one of the account's
 * AMIs in the Region fails with InvalidAMIName.Duplicate; the name is free in another Region.
 */
import { CreateImageCommand, DescribeImagesCommand } from "@aws-sdk/client-ec2";
import { useEmulator } from "../support/emulator";
import { createInstance } from "../support/ec2-fixtures";

describe("emulator fix: AMI names are unique per Region", () => {
  const emulator = useEmulator();

  test("a second CreateImage with the same name is refused and makes no image", async () => {
    const ec2 = emulator.ec2("us-east-1");
    const { instance } = await createInstance(ec2);
    const { ImageId } = await ec2.send(new CreateImageCommand({ InstanceId: instance.InstanceId, Name: "nightly-web" }));

    await expect(ec2.send(new CreateImageCommand({ InstanceId: instance.InstanceId, Name: "nightly-web" }))).rejects.toMatchObject({
      name: "InvalidAMIName.Duplicate",
      message: `AMI name nightly-web is already in use by AMI ${ImageId}`,
    });
    const named = await ec2.send(new DescribeImagesCommand({ Owners: ["self"], Filters: [{ Name: "name", Values: ["nightly-web"] }] }));
    expect(named.Images?.map((i) => i.ImageId)).toEqual([ImageId]);
  });
});
