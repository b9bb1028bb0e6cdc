/**
 * Fix ena_required_instance_types: a type whose DescribeInstanceTypes NetworkInfo.EnaSupport is
 * `required` (m5) does not start, or launch, without ENA: InvalidParameterCombination.
 */
import {
  DescribeInstanceTypesCommand,
  ModifyInstanceAttributeCommand,
  StartInstancesCommand,
  StopInstancesCommand,
} from "@aws-sdk/client-ec2";
import { useEmulator } from "../support/emulator";
import { createInstance, createNetwork, launchInstances, registerAmi } from "../support/ec2-fixtures";

describe("emulator fix: instance types that require ENA", () => {
  const emulator = useEmulator();

  test("DescribeInstanceTypes says m5.large requires ENA and m4.large does not use it", async () => {
    const ec2 = emulator.ec2("us-east-1");
    const { InstanceTypes } = await ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ["m4.large", "m5.large"] }));
    const support = Object.fromEntries((InstanceTypes ?? []).map((t) => [t.InstanceType, t.NetworkInfo?.EnaSupport]));
    expect(support).toEqual({ "m4.large": "unsupported", "m5.large": "required" });
  });

  test("an m4 changed to m5 without ENA does not start; with ENA it does", async () => {
    // GIVEN a stopped m4.large without ENA, changed to m5.large
    const ec2 = emulator.ec2("us-east-1");
    const { instance } = await createInstance(ec2, { instanceType: "m4.large", amiEnaSupport: false });
    const instanceId = instance.InstanceId!;
    await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: instanceId, InstanceType: { Value: "m5.large" } }));

    // WHEN it is started THEN EC2 refuses, naming the type and the instance
    await expect(ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] }))).rejects.toMatchObject({
      name: "InvalidParameterCombination",
      message:
        "Enhanced networking with the Elastic Network Adapter (ENA) is required for the 'm5.large' instance type. " +
        `Ensure that your instance '${instanceId}' is enabled for ENA.`,
    });

    // AND once ENA support is on, it starts
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: instanceId, EnaSupport: { Value: true } }));
    const started = await ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] }));
    expect(started.StartingInstances?.[0]?.InstanceId).toBe(instanceId);
  });

  test("RunInstances of m5 from an AMI without ENA is refused", async () => {
    const ec2 = emulator.ec2("us-east-1");
    const { subnetId } = await createNetwork(ec2);
    const imageId = await registerAmi(ec2, false);
    await expect(launchInstances(ec2, { imageId, subnetId, instanceType: "m5.large" })).rejects.toMatchObject({
      name: "InvalidParameterCombination",
      message: expect.stringContaining("Ensure that you are using an AMI that is enabled for ENA."),
    });
  });
});
