/**
 * Fix ena_stopped_instance_required: ModifyInstanceAttribute for EnaSupport or InstanceType on an
 * instance that is not stopped fails with IncorrectInstanceState and changes nothing.
 */
import { DescribeInstancesCommand, ModifyInstanceAttributeCommand, StopInstancesCommand } from "@aws-sdk/client-ec2";
import { useEmulator } from "../support/emulator";
import { createInstance } from "../support/ec2-fixtures";

describe("emulator fix: ENA and type changes need a stopped instance", () => {
  const emulator = useEmulator();

  test.each([
    ["EnaSupport", { EnaSupport: { Value: true } }],
    ["InstanceType", { InstanceType: { Value: "m4.xlarge" } }],
  ])("%s on a running instance is refused with IncorrectInstanceState", async (_attribute, change) => {
    const ec2 = emulator.ec2("us-east-1");
    const { instance } = await createInstance(ec2, { instanceType: "m4.large", amiEnaSupport: false });

    await expect(ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: instance.InstanceId, ...change }))).rejects.toMatchObject({
      name: "IncorrectInstanceState",
      message: `The instance '${instance.InstanceId}' is not in the 'stopped' state.`,
    });
    const after = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instance.InstanceId!] }))).Reservations![0].Instances![0];
    expect(after.InstanceType).toBe("m4.large");
    expect(after.EnaSupport ?? false).toBe(false);
  });

  test("the same change on the stopped instance succeeds", async () => {
    const ec2 = emulator.ec2("us-east-1");
    const { instance } = await createInstance(ec2, { instanceType: "m4.large", amiEnaSupport: false });
    await ec2.send(new StopInstancesCommand({ InstanceIds: [instance.InstanceId!] }));

    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: instance.InstanceId, InstanceType: { Value: "m4.xlarge" } }));

    const after = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instance.InstanceId!] }))).Reservations![0].Instances![0];
    expect(after.InstanceType).toBe("m4.xlarge");
  });
});
