/**
 * AWS: RunInstances repeated with the same ClientToken and parameters returns the original
 * reservation and launches nothing; the same token with other parameters fails with
 * IdempotentParameterMismatch. (EC2 API Reference: "Ensuring idempotency in Amazon EC2 API
 * requests", RunInstances.)
 */
import { DescribeInstancesCommand, EC2Client, RunInstancesCommand, RunInstancesCommandInput } from "@aws-sdk/client-ec2";
import { createNetwork, Network, registerAmi } from "../support/ec2-fixtures";
import { useEmulator } from "../support/emulator";

const REGION = "ap-south-1";

describe("RunInstances idempotency by ClientToken", () => {
  const emulator = useEmulator();
  let ec2: EC2Client;
  let network: Network;
  let imageId: string;

  beforeAll(async () => {
    ec2 = emulator.ec2(REGION);
    network = await createNetwork(ec2, "10.33.0.0/16", "10.33.1.0/24");
    imageId = await registerAmi(ec2, false);
  });

  const launch = (input: Partial<RunInstancesCommandInput>) =>
    ec2.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: "m4.large", SubnetId: network.subnetId, MinCount: 1, MaxCount: 1, ...input }));
  const instanceIds = async () =>
    ((await ec2.send(new DescribeInstancesCommand({}))).Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId!).sort();

  it("GIVEN a launch with a client token WHEN it is repeated with the same token and parameters THEN AWS returns the same reservation and launches nothing", async () => {
    const first = await launch({ ClientToken: "launch-standby-1" });
    const launched = await instanceIds();

    const retry = await launch({ ClientToken: "launch-standby-1" });

    expect(retry.ReservationId).toBe(first.ReservationId);
    expect(retry.Instances!.map((i) => i.InstanceId)).toEqual(first.Instances!.map((i) => i.InstanceId));
    expect(await instanceIds()).toEqual(launched);
  });

  it("GIVEN a launch with a fixed private address and a client token WHEN it is repeated THEN the retry is the same launch, not an address conflict", async () => {
    const first = await launch({ ClientToken: "launch-standby-2", PrivateIpAddress: "10.33.1.20" });

    const retry = await launch({ ClientToken: "launch-standby-2", PrivateIpAddress: "10.33.1.20" });

    expect(retry.ReservationId).toBe(first.ReservationId);
  });

  it("GIVEN a used client token WHEN it is sent with other parameters THEN AWS answers IdempotentParameterMismatch and launches nothing", async () => {
    await launch({ ClientToken: "launch-standby-3" });
    const launched = await instanceIds();

    await expect(launch({ ClientToken: "launch-standby-3", InstanceType: "m4.xlarge" })).rejects.toMatchObject({ name: "IdempotentParameterMismatch" });

    expect(await instanceIds()).toEqual(launched);
  });

  it("GIVEN two launches with different client tokens THEN each launches its own instance", async () => {
    const before = (await instanceIds()).length;

    const a = await launch({ ClientToken: "launch-a" });
    const b = await launch({ ClientToken: "launch-b" });

    expect(a.ReservationId).not.toBe(b.ReservationId);
    expect((await instanceIds()).length).toBe(before + 2);
  });
});
