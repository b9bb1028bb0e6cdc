/**
 * AWS: a RunInstances network interface gets the secondary private addresses it asks for, given
 * (PrivateIpAddresses with Primary=false) or picked by AWS (SecondaryPrivateIpAddressCount), and
 * DescribeInstances / DescribeNetworkInterfaces list them. (EC2 API Reference: RunInstances,
 * InstanceNetworkInterfaceSpecification; EC2 User Guide: "Multiple IP addresses".)
 */
import { DescribeInstancesCommand, DescribeNetworkInterfacesCommand, EC2Client, InstancePrivateIpAddress, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { createNetwork, Network, registerAmi } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

const REGION = "ap-northeast-1";

describe("RunInstances with secondary private IP addresses", () => {
  const emulator = useEmulator();
  let ec2: EC2Client;
  let network: Network;
  let imageId: string;

  beforeAll(async () => {
    ec2 = emulator.ec2(REGION);
    network = await createNetwork(ec2, "10.32.0.0/16", "10.32.1.0/24");
    imageId = await registerAmi(ec2, false);
  });

  /** The primary interface's addresses as DescribeInstances and DescribeNetworkInterfaces report them. */
  const addressesOf = async (instanceId: string) => {
    const { Reservations } = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    const eni = Reservations![0].Instances![0].NetworkInterfaces![0];
    const { NetworkInterfaces } = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni.NetworkInterfaceId!] }));
    const summary = (addresses: readonly InstancePrivateIpAddress[] | undefined) =>
      (addresses ?? []).map((a) => ({ address: a.PrivateIpAddress, primary: a.Primary ?? false }));
    return { instance: summary(eni.PrivateIpAddresses), networkInterface: summary(NetworkInterfaces![0].PrivateIpAddresses) };
  };

  it("GIVEN a primary and a secondary address in PrivateIpAddresses WHEN an instance is launched THEN its interface has both, the second as secondary", async () => {
    const { Instances } = await ec2.send(
      new RunInstancesCommand({
        ImageId: imageId,
        InstanceType: "m4.large",
        MinCount: 1,
        MaxCount: 1,
        NetworkInterfaces: [
          { DeviceIndex: 0, SubnetId: network.subnetId, PrivateIpAddresses: [{ PrivateIpAddress: "10.32.1.10", Primary: true }, { PrivateIpAddress: "10.32.1.11", Primary: false }] },
        ],
      }),
    );

    const expected = [
      { address: "10.32.1.10", primary: true },
      { address: "10.32.1.11", primary: false },
    ];
    expect(await addressesOf(Instances![0].InstanceId!)).toEqual({ instance: expected, networkInterface: expected });
  });

  it("GIVEN SecondaryPrivateIpAddressCount=2 WHEN an instance is launched THEN AWS gives its interface two more distinct addresses of the subnet", async () => {
    const { Instances } = await ec2.send(
      new RunInstancesCommand({
        ImageId: imageId,
        InstanceType: "m4.large",
        MinCount: 1,
        MaxCount: 1,
        NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: network.subnetId, SecondaryPrivateIpAddressCount: 2 }],
      }),
    );

    const { instance, networkInterface } = await addressesOf(Instances![0].InstanceId!);
    expect(networkInterface).toEqual(instance);
    expect(instance.map((a) => a.primary)).toEqual([true, false, false]);
    const addresses = instance.map((a) => a.address!);
    expect(new Set(addresses).size).toBe(3);
    expect(addresses.every((a) => a.startsWith("10.32.1."))).toBe(true);
    expect(addresses).not.toContain("10.32.1.10");
    expect(addresses).not.toContain("10.32.1.11");
  });
});
