/**
 * Fix ena_support_image_attribute: RegisterImage honours EnaSupport, CreateImage inherits the
 * instance's enaSupport, CopyImage keeps it, and DescribeImages reports it.
 */
import { CopyImageCommand, CreateImageCommand, DescribeImagesCommand } from "@aws-sdk/client-ec2";
import { useEmulator } from "../support/emulator";
import { createInstance } from "../support/ec2-fixtures";

describe("emulator fix: the enaSupport attribute of AMIs", () => {
  const emulator = useEmulator();

  test("an AMI made from an ENA instance, and its copy in another Region, report EnaSupport", async () => {
    // GIVEN an instance launched from an AMI registered with ENA support
    const ec2 = emulator.ec2("us-east-1");
    const { imageId: registered, instance } = await createInstance(ec2, { instanceType: "m5.large", amiEnaSupport: true });

    // WHEN an AMI is made from it and copied to another Region
    const { ImageId: imageId } = await ec2.send(new CreateImageCommand({ InstanceId: instance.InstanceId, Name: "ena-capture" }));
    const target = emulator.ec2("eu-west-1");
    const { ImageId: copyId } = await target.send(new CopyImageCommand({ SourceImageId: imageId, SourceRegion: "us-east-1", Name: "ena-capture" }));

    // THEN all three report EnaSupport
    const describe = async (client: typeof ec2, id: string) => (await client.send(new DescribeImagesCommand({ ImageIds: [id] }))).Images![0];
    expect((await describe(ec2, registered)).EnaSupport).toBe(true);
    expect((await describe(ec2, imageId!)).EnaSupport).toBe(true);
    expect((await describe(target, copyId!)).EnaSupport).toBe(true);
  });
});
