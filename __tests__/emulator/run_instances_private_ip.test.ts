/**
 * AWS: RunInstances takes a requested private address only if it lies in the subnet
 * (InvalidParameterValue), is not one of the subnet's five reserved addresses
 * (InvalidParameterValue) and no other network interface uses it (InvalidIPAddress.InUse,
 * "Address x.x.x.x is in use."); a failed request launches nothing. A terminated instance's
 * address is free again, and an address AWS picks is never one another interface holds.
 * (EC2 API Reference: RunInstances; VPC User Guide: "Subnet CIDR blocks".)
 */
import {
  CreateNetworkInterfaceCommand,
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
  RunInstancesCommandInput,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { createNetwork, Network, registerAmi } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

const REGION = "eu-north-1";

describe("RunInstances with a private IP address", () => {
  const emulator = useEmulator();
  let ec2: EC2Client;
  let network: Network;
  let imageId: string;

  beforeAll(async () => {
    ec2 = emulator.ec2(REGION);
    network = await createNetwork(ec2, "10.30.0.0/16", "10.30.1.0/24");
    imageId = await registerAmi(ec2, false);
  });

  const launch = (input: Partial<RunInstancesCommandInput>) =>
    ec2.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: "m4.large", SubnetId: network.subnetId, MinCount: 1, MaxCount: 1, ...input }));
  const instanceCount = async () => ((await ec2.send(new DescribeInstancesCommand({}))).Reservations ?? []).flatMap((r) => r.Instances ?? []).length;

  /** Expects the launch to be refused as `error` and no instance to be launched. */
  const expectRefused = async (input: Partial<RunInstancesCommandInput>, error: object) => {
    const before = await instanceCount();
    await expect(launch(input)).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 }, ...error });
    expect(await instanceCount()).toBe(before);
  };

  it("GIVEN a free address of the subnet WHEN an instance is launched with it THEN the instance has that primary address", async () => {
    const { Instances } = await launch({ PrivateIpAddress: "10.30.1.10" });

    expect(Instances!.map((i) => i.PrivateIpAddress)).toEqual(["10.30.1.10"]);
  });

  it("GIVEN an address outside the subnet WHEN an instance is launched with it THEN AWS answers InvalidParameterValue and launches nothing", async () => {
    await expectRefused({ PrivateIpAddress: "10.30.2.10" }, { name: "InvalidParameterValue", message: expect.stringContaining("does not fall within the subnet's address range") });
  });

  it.each(["10.30.1.0", "10.30.1.1", "10.30.1.2", "10.30.1.3", "10.30.1.255"])(
    "GIVEN the subnet's reserved address %s WHEN an instance is launched with it THEN AWS answers InvalidParameterValue and launches nothing",
    async (address) => {
      await expectRefused({ PrivateIpAddress: address }, { name: "InvalidParameterValue" });
    },
  );

  it("GIVEN an address used by another instance WHEN an instance is launched with it THEN AWS answers InvalidIPAddress.InUse and launches nothing", async () => {
    await expectRefused({ PrivateIpAddress: "10.30.1.10" }, { name: "InvalidIPAddress.InUse", message: "Address 10.30.1.10 is in use." });
  });

  it("GIVEN an address used by a network interface made with CreateNetworkInterface WHEN an instance is launched with it THEN AWS answers InvalidIPAddress.InUse", async () => {
    await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: network.subnetId, PrivateIpAddress: "10.30.1.20" }));

    await expectRefused({ PrivateIpAddress: "10.30.1.20" }, { name: "InvalidIPAddress.InUse" });
  });

  it("GIVEN an address used as another instance's secondary address WHEN it is requested as a secondary address THEN AWS answers InvalidIPAddress.InUse", async () => {
    const subnet = { DeviceIndex: 0, SubnetId: network.subnetId };
    await launch({
      SubnetId: undefined,
      NetworkInterfaces: [{ ...subnet, PrivateIpAddresses: [{ PrivateIpAddress: "10.30.1.30", Primary: true }, { PrivateIpAddress: "10.30.1.31", Primary: false }] }],
    });

    await expectRefused(
      { SubnetId: undefined, NetworkInterfaces: [{ ...subnet, PrivateIpAddresses: [{ PrivateIpAddress: "10.30.1.32", Primary: true }, { PrivateIpAddress: "10.30.1.31", Primary: false }] }] },
      { name: "InvalidIPAddress.InUse" },
    );
  });

  it("GIVEN a specific address WHEN two instances are launched with it in one request THEN AWS refuses the request and launches nothing", async () => {
    await expectRefused({ PrivateIpAddress: "10.30.1.40", MinCount: 2, MaxCount: 2 }, {});
  });

  it("GIVEN the address of a terminated instance WHEN an instance is launched with it THEN the new instance gets it", async () => {
    const { Instances } = await launch({ PrivateIpAddress: "10.30.1.50" });
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [Instances![0].InstanceId!] }));

    const relaunched = await launch({ PrivateIpAddress: "10.30.1.50" });

    expect(relaunched.Instances!.map((i) => i.PrivateIpAddress)).toEqual(["10.30.1.50"]);
  });

  it("GIVEN a network interface holding the subnet's first assignable address WHEN an instance is launched without an address THEN AWS picks another one", async () => {
    const fresh = await createNetwork(ec2, "10.31.0.0/16", "10.31.1.0/24");
    await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: fresh.subnetId, PrivateIpAddress: "10.31.1.4" }));

    const { Instances } = await launch({ SubnetId: fresh.subnetId });

    expect(Instances![0].PrivateIpAddress).not.toBe("10.31.1.4");
    expect(Instances![0].PrivateIpAddress).toMatch(/^10\.31\.1\./);
  });
});
