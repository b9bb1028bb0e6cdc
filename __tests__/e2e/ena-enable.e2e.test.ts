/**
 * `regionpair ena enable` end to end: the real CLI in a child process against the patched
 * emulator over HTTP, then the instance read back with the SDK. The command signs as the
 * ena-enable role, holding only its generated policy, with IAM enforced (REGIONPAIR_E2E_IAM=off:
 * as the root user, unenforced); fixtures and read-backs are the root user's.
 */
import { CreateImageCommand, CreateSecurityGroupCommand, DescribeInstancesCommand, EC2Client, Instance, StopInstancesCommand } from "@aws-sdk/client-ec2";
import { useEmulator } from "../support/emulator";
import { runCli } from "../support/cli";
import { createNetwork, launchInstances, Network, registerAmi } from "../support/ec2-fixtures";
import { useRoleCredentials } from "../support/role-credentials";
import { topologyIn } from "../support/topologies";
import { TAG_TOPOLOGY } from "../../constructs/naming";

// Each test runs the CLI (about a second to start) and waits for images or instances.
jest.setTimeout(60_000);

const REGION = "us-east-1";
// The pair the role's policy is generated for: its regions, and the tag its instances carry.
const topology = topologyIn(REGION, "eu-west-1");
const ofTopology = [{ Key: TAG_TOPOLOGY, Value: topology.name }];

interface EnaResultJson {
  readonly noop: boolean;
  readonly before: { state: string; instanceType: string; enaSupport: boolean };
  readonly after: { state: string; instanceType: string; enaSupport: boolean };
  readonly reminder: string;
}

async function describeInstance(ec2: EC2Client, instanceId: string): Promise<Instance> {
  return (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations![0].Instances![0];
}

describe("ena enable against the emulator", () => {
  const emulator = useEmulator();
  const role = useRoleCredentials(emulator, "ena-enable", topology);
  let ec2: EC2Client;
  let network: Network;
  let groupId: string;
  let imageWithoutEna: string;

  const enable = (...args: string[]) => runCli(["ena", "enable", "--region", REGION, "--endpoint-url", emulator.current.endpoint, ...args], { env: role.env });
  const launchM4 = async () =>
    (await launchInstances(ec2, { imageId: imageWithoutEna, subnetId: network.subnetId, instanceType: "m4.large", securityGroupIds: [groupId], tags: ofTopology }))[0].InstanceId!;

  beforeAll(async () => {
    ec2 = emulator.ec2(REGION);
    network = await createNetwork(ec2);
    groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: "app", Description: "app", VpcId: network.vpcId }))).GroupId!;
    imageWithoutEna = await registerAmi(ec2, false);
  });

  test("GIVEN the ena-enable role WHEN it asks to image an instance of the topology (no call of ena enable) THEN it is refused while IAM is enforced", async () => {
    const instanceId = await launchM4();
    const asRole = new EC2Client({ region: REGION, endpoint: emulator.current.endpoint, credentials: role.keys, maxAttempts: 1 });
    try {
      const answer = await asRole.send(new CreateImageCommand({ DryRun: true, InstanceId: instanceId, Name: "not-ena" })).catch((error: Error) => error.name);
      expect(answer).toBe(role.enforced ? "UnauthorizedOperation" : "DryRunOperation");
    } finally {
      asRole.destroy();
    }
  });

  test("GIVEN an instance outside the topology WHEN ena enable changes it THEN the role's policy refuses the stop while IAM is enforced, and the instance keeps running", async () => {
    const [outsider] = await launchInstances(ec2, { imageId: imageWithoutEna, subnetId: network.subnetId, instanceType: "m4.large" });

    const run = await enable("--instance-id", outsider.InstanceId!, "--type", "m5.large", "--allow-stop");

    expect(run.code).toBe(role.enforced ? 1 : 0);
    if (role.enforced) expect(run.stderr).toMatch(/error: UnauthorizedOperation: StopInstances/);
    expect(await describeInstance(ec2, outsider.InstanceId!)).toMatchObject({ State: { Name: "running" }, InstanceType: role.enforced ? "m4.large" : "m5.large" });
  });

  test("m4 → m5 with --allow-stop: stops, enables ENA, changes the type, starts again and reads it back", async () => {
    // GIVEN a running m4.large without ENA
    const instanceId = await launchM4();

    // WHEN
    const run = await enable("--instance-id", instanceId, "--type", "m5.large", "--allow-stop", "--json");

    // THEN the command reports before and after
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as EnaResultJson;
    expect(result).toMatchObject({
      noop: false,
      before: { state: "running", instanceType: "m4.large", enaSupport: false },
      after: { state: "running", instanceType: "m5.large", enaSupport: true },
    });
    expect(result.reminder).toMatch(/ENA driver|ena kernel module/);
    expect(result.reminder).toMatch(/NVMe/);
    // AND it went through stop, ENA, type, start, in that order
    const phases = run.stderr.split("\n").filter((line) => line.startsWith(`{"time"`)).map((line) => JSON.parse(line).detail as string);
    expect(phases.filter((d) => /^(stopping|enabling ENA|changing type|starting|done)/.test(d))).toEqual([
      "stopping",
      "enabling ENA support",
      "changing type m4.large → m5.large",
      "starting",
      "done: m5.large, ENA support on, running",
    ]);
    // AND EC2 agrees, and the security group is still attached
    const instance = await describeInstance(ec2, instanceId);
    expect(instance).toMatchObject({ InstanceType: "m5.large", EnaSupport: true, State: { Name: "running", Code: 16 } });
    expect(instance.SecurityGroups?.map((g) => g.GroupId)).toEqual([groupId]);

    // WHEN run again THEN it is a no-op that says so
    const again = await enable("--instance-id", instanceId, "--type", "m5.large");
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`${instanceId}: nothing to do: m5.large, ENA support on, running\n`);
  });

  test("a stopped instance gets ENA support without --allow-stop and stays stopped", async () => {
    const instanceId = await launchM4();
    await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));

    const run = await enable("--instance-id", instanceId);

    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${instanceId}: m4.large, ENA support off, stopped → m4.large, ENA support on, stopped\n`);
    expect(run.stderr).toMatch(/must have the ena kernel module/);
    expect(await describeInstance(ec2, instanceId)).toMatchObject({ InstanceType: "m4.large", EnaSupport: true, State: { Name: "stopped" } });
  });

  test("a running instance without --allow-stop is refused with exit 2 and left alone", async () => {
    const instanceId = await launchM4();

    const run = await enable("--instance-id", instanceId, "--type", "m5.large");

    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toEqual([
      `regionpair: ${instanceId} is running: ENA support and the instance type can only change while it is stopped; add --allow-stop to stop it and start it again afterwards, or stop it first (see --help)`,
    ]);
    expect(await describeInstance(ec2, instanceId)).toMatchObject({ InstanceType: "m4.large", State: { Name: "running" } });
  });

  test("an instance type that does not exist is refused with exit 2 before anything is stopped", async () => {
    const instanceId = await launchM4();

    const run = await enable("--instance-id", instanceId, "--type", "m5.humongous", "--allow-stop");

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--type 'm5\.humongous' is not an instance type in us-east-1/);
    expect(await describeInstance(ec2, instanceId)).toMatchObject({ InstanceType: "m4.large", EnaSupport: false, State: { Name: "running" } });
  });

  test("--dry-run checks stop, both attribute changes and start, and changes nothing", async () => {
    const instanceId = await launchM4();

    const run = await enable("--instance-id", instanceId, "--type", "m5.large", "--dry-run");

    expect(run.code).toBe(0);
    for (const [permission, what] of [
      ["ec2:StopInstances", "stop"],
      ["ec2:ModifyInstanceAttribute", "EnaSupport"],
      ["ec2:ModifyInstanceAttribute", "InstanceType"],
      ["ec2:StartInstances", "start"],
    ]) {
      expect(run.stdout).toMatch(new RegExp(`${permission}\\s+us-east-1\\s+allowed\\s+${instanceId} ${what}`));
    }
    expect(run.stdout).toMatch(/note: .* needs --allow-stop/);
    expect(await describeInstance(ec2, instanceId)).toMatchObject({ InstanceType: "m4.large", EnaSupport: false, State: { Name: "running" } });
  });
});

describe("ena enable when ENA support does not take effect (emulator without its ENA fix)", () => {
  // moto's own ModifyInstanceAttribute drops EnaSupport: the instance stays without ENA, which
  // an m5 refuses. The command must not change the type, and must leave the instance running.
  const previous = process.env.REGIONPAIR_EMULATOR_DISABLE_FIXES;
  beforeAll(() => {
    process.env.REGIONPAIR_EMULATOR_DISABLE_FIXES = "ena_support_instance_attribute";
  });
  const emulator = useEmulator();
  const role = useRoleCredentials(emulator, "ena-enable", topology);
  afterAll(() => {
    if (previous === undefined) delete process.env.REGIONPAIR_EMULATOR_DISABLE_FIXES;
    else process.env.REGIONPAIR_EMULATOR_DISABLE_FIXES = previous;
  });

  test("m4 → m5 is refused when ENA support is still off; the instance is back to m4 and running", async () => {
    const ec2 = emulator.ec2(REGION);
    const { subnetId } = await createNetwork(ec2);
    const [launched] = await launchInstances(ec2, { imageId: await registerAmi(ec2, false), subnetId, instanceType: "m4.large", tags: ofTopology });
    const instanceId = launched.InstanceId!;

    const run = await runCli(["ena", "enable", "--region", REGION, "--endpoint-url", emulator.current.endpoint, "--instance-id", instanceId, "--type", "m5.large", "--allow-stop"], { env: role.env });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `error: EnaSupportNotSet: ENA support on ${instanceId} is still off after ModifyInstanceAttribute; ` +
          `not changing to m5\\.large, which requires ENA and would not start; ${instanceId} was restored to m4\\.large with ENA support off and started again`,
      ),
    );
    expect(await describeInstance(ec2, instanceId)).toMatchObject({ InstanceType: "m4.large", State: { Name: "running" } });
  });
});
