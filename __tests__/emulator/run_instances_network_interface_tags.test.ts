/**
 * Fix run_instances_network_interface_tags: RunInstances applies TagSpecifications of ResourceType
 * network-interface to the network interfaces it creates for the launch.
 */
import { DescribeNetworkInterfacesCommand, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { useEmulator } from "../support/emulator";
import { createNetwork, registerAmi } from "../support/ec2-fixtures";

describe("emulator fix: RunInstances tags the network interfaces it creates", () => {
  const emulator = useEmulator();

  test("GIVEN network-interface tags in TagSpecifications WHEN an instance with two interfaces is launched THEN both interfaces carry them, and the tag filter finds them", async () => {
    const ec2 = emulator.ec2("us-west-2");
    const { vpcId, subnetId } = await createNetwork(ec2, "10.70.0.0/16", "10.70.1.0/24");
    const imageId = await registerAmi(ec2, false);

    const { Instances } = await ec2.send(
      new RunInstancesCommand({
        ImageId: imageId,
        InstanceType: "m4.large",
        MinCount: 1,
        MaxCount: 1,
        NetworkInterfaces: [
          { DeviceIndex: 0, SubnetId: subnetId, DeleteOnTermination: true },
          { DeviceIndex: 1, SubnetId: subnetId, DeleteOnTermination: true },
        ],
        TagSpecifications: [
          { ResourceType: "instance", Tags: [{ Key: "Name", Value: "web-1" }] },
          { ResourceType: "network-interface", Tags: [{ Key: "drill", Value: "d-1" }] },
        ],
      }),
    );
    const instanceId = Instances![0].InstanceId!;

    const { NetworkInterfaces } = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [instanceId] }] }));
    expect(NetworkInterfaces).toHaveLength(2);
    for (const eni of NetworkInterfaces!) expect(eni.TagSet).toEqual([{ Key: "drill", Value: "d-1" }]);

    const tagged = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }, { Name: "tag:drill", Values: ["d-1"] }] }));
    expect(tagged.NetworkInterfaces?.map((eni) => eni.Attachment?.InstanceId)).toEqual([instanceId, instanceId]);
  });

  test("GIVEN only instance tags WHEN launched THEN the created interface has no tags of its own", async () => {
    const ec2 = emulator.ec2("us-west-2");
    const { subnetId } = await createNetwork(ec2, "10.71.0.0/16", "10.71.1.0/24");
    const { Instances } = await ec2.send(
      new RunInstancesCommand({
        ImageId: await registerAmi(ec2, false),
        InstanceType: "m4.large",
        MinCount: 1,
        MaxCount: 1,
        SubnetId: subnetId,
        TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: "web-2" }] }],
      }),
    );
    const { NetworkInterfaces } = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [Instances![0].InstanceId!] }] }));
    expect(NetworkInterfaces?.[0]?.TagSet ?? []).toEqual([]);
  });
});
