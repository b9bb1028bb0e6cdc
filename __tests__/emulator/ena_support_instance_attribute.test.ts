/**
 * Fix ena_support_instance_attribute: ModifyInstanceAttribute EnaSupport sets the instance's
 * enaSupport (and leaves its security groups alone); DescribeInstances and
 * DescribeInstanceAttribute report it; a new instance takes the AMI's enaSupport.
 */
import {
  CreateSecurityGroupCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  ModifyInstanceAttributeCommand,
  StopInstancesCommand,
} from "@aws-sdk/client-ec2";
import { useEmulator } from "../support/emulator";
import { createInstance, createNetwork, launchInstances, registerAmi } from "../support/ec2-fixtures";

describe("emulator fix: the enaSupport instance attribute", () => {
  const emulator = useEmulator();

  test("EnaSupport set on a stopped instance reads back everywhere and keeps the security groups", async () => {
    // GIVEN a stopped instance with a security group, launched from an AMI without ENA
    const ec2 = emulator.ec2("us-east-1");
    const { vpcId, subnetId } = await createNetwork(ec2);
    const group = await ec2.send(new CreateSecurityGroupCommand({ GroupName: "app", Description: "app", VpcId: vpcId }));
    const [launched] = await launchInstances(ec2, {
      imageId: await registerAmi(ec2, false),
      subnetId,
      instanceType: "m4.large",
      securityGroupIds: [group.GroupId!],
    });
    const instanceId = launched.InstanceId!;
    expect(launched.EnaSupport ?? false).toBe(false);
    await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));

    // WHEN ENA support is turned on
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: instanceId, EnaSupport: { Value: true } }));

    // THEN both read paths report it and the security group is still attached
    const attribute = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: "enaSupport" }));
    expect(attribute.EnaSupport?.Value).toBe(true);
    const instance = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations![0].Instances![0];
    expect(instance.EnaSupport).toBe(true);
    expect(instance.SecurityGroups?.map((g) => g.GroupId)).toEqual([group.GroupId]);
  });

  test("an instance launched from an AMI with enaSupport has it", async () => {
    const ec2 = emulator.ec2("us-east-2");
    const { instance: launched } = await createInstance(ec2, { instanceType: "m5.large", amiEnaSupport: true });
    const instance = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [launched.InstanceId!] }))).Reservations![0].Instances![0];
    expect(instance.EnaSupport).toBe(true);
  });
});
