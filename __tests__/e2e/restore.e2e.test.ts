/**
 * `regionpair restore` end to end: the example pair deployed with real terraform into the patched
 * emulator (the primary active, so the secondary is the fenced passive copy), a Windows and a
 * Linux instance copied to the secondary with `ami copy`, then, with the primary's API on a
 * closed port: an IP collision and an ENA-only type refused with nothing launched, a drill (fix-ups,
 * health, the fence traced) and its cleanup, the restore, and a rerun that launches nothing. Every
 * effect is read back with the SDK. The SSM agent is the emulator's scripted double: no
 * PowerShell runs here, so the document's output is what the test scripts it to be.
 */
import {
  AssignPrivateIpAddressesCommand,
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  DeleteNetworkInterfaceCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  EC2Client,
  Instance,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { EmulatorDeployment } from "../../scripts/lib/emulator-deployment";
import { EMULATOR_CREDENTIALS } from "../../scripts/lib/emulator";
import { regionEndpointEnv } from "../../config/target";
import { STACK_NAMES } from "../../stacks/stack-names";
import { TAG_TOPOLOGY } from "../../constructs/naming";
import { closedPort, runCli } from "../support/cli";
import { registerAmi, WINDOWS_CATALOG_AMI } from "../support/ec2-fixtures";
import { tagMap } from "../support/readback";
import { checkRestoreReadiness } from "../../scripts/restore/readiness";

jest.setTimeout(900_000);

const timings: Record<string, number> = {};
let deployment: EmulatorDeployment;
let source: EC2Client;
let dr: EC2Client;
let upEnv: NodeJS.ProcessEnv;
let downEnv: NodeJS.ProcessEnv;
let windows: Instance;
let linux: Instance;
let drWorkloadVpc: string;
let drAppGroup: string;
let bystander: string;

const WINDOWS_IPS = ["10.50.0.20", "10.50.0.21"];
const LINUX_IP = "10.50.4.30";

interface RestoreJson {
  readonly drillId?: string;
  readonly plan: {
    readonly notes: string[];
    readonly warnings: string[];
    readonly refusals: Array<{ code: string; sourceInstanceId?: string; problem: string; fix: string }>;
    readonly routing: { dr: { mode: string }; source?: { mode: string; asked: string } };
  };
  readonly warnings: string[];
  readonly fenceChecked: boolean;
  readonly instances: ReadonlyArray<{
    sourceInstanceId: string;
    launch: string;
    instanceId?: string;
    copyImageId?: string;
    state?: string;
    statusChecks?: { instance: string; system: string };
    ssm: string;
    fixups?: { status: string; output?: string; summary?: { ok: boolean; fixups: Record<string, { status: string; detail: string }> } };
    fence?: { fenced: boolean; traces: Array<{ destination: { name: string }; end: string }> };
  }>;
}

/** A realistic run of the Windows document, as a real instance would print it; the agent double returns it. */
const WINDOWS_OUTPUT = [
  "ec2launch: changed: EC2Launch v1: Add-Routes and Set-Wallpaper ran",
  "activation: ok: License Status: Licensed",
  "time: ok: resynchronized from dc1.corp.example.com (domain member: time from the domain hierarchy)",
  "dhcp: ok: every adapter gets its address from DHCP",
  "routes: ok: no persistent route into 10.10.0.0/16",
  "hosts: ok: no hosts-file entry into 10.10.0.0/16",
  JSON.stringify({
    regionpair: "post-restore",
    version: 1,
    platform: "windows",
    computerName: "EC2AMAZ-RESTORE",
    ok: true,
    fixups: {
      ec2launch: { status: "changed", detail: "EC2Launch v1: Add-Routes and Set-Wallpaper ran" },
      activation: { status: "ok", detail: "License Status: Licensed", licenseStatus: 1 },
      time: { status: "ok", detail: "resynchronized from dc1.corp.example.com (domain member: time from the domain hierarchy)", source: "dc1.corp.example.com", domainMember: true },
      dhcp: { status: "ok", detail: "every adapter gets its address from DHCP", staticAdapters: [] },
      routes: { status: "ok", detail: "no persistent route into 10.10.0.0/16", entries: [] },
      hosts: { status: "ok", detail: "no hosts-file entry into 10.10.0.0/16", entries: [] },
    },
  }),
].join("\n");

const LINUX_OUTPUT = [
  "dhcp: ok: every address comes from DHCP",
  "routes: ok: no route into 10.10.0.0/16",
  "hosts: ok: no hosts entry into 10.10.0.0/16",
  JSON.stringify({
    regionpair: "post-restore",
    version: 1,
    platform: "linux",
    computerName: "ip-10-50-4-30",
    ok: true,
    fixups: {
      dhcp: { status: "ok", detail: "every address comes from DHCP", staticAdapters: [] },
      routes: { status: "ok", detail: "no route into 10.10.0.0/16", entries: [] },
      hosts: { status: "ok", detail: "no hosts entry into 10.10.0.0/16", entries: [] },
    },
  }),
].join("\n");

async function scriptAgent(documentName: string, stdout: string): Promise<void> {
  const response = await fetch(`${deployment.emulator.endpoint}/regionpair-emulator/ssm/agent-script`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ documentName, stdout, responseCode: 0 }),
  });
  if (!response.ok) throw new Error(`scripting the SSM agent double failed: HTTP ${response.status} ${await response.text()}`);
}

async function launchSource(subnetId: string, options: { imageId: string; instanceType: string; ip: string; groupId: string; profileArn: string; name: string }): Promise<Instance> {
  const { Instances } = await source.send(
    new RunInstancesCommand({
      ImageId: options.imageId,
      InstanceType: options.instanceType as never,
      MinCount: 1,
      MaxCount: 1,
      SubnetId: subnetId,
      PrivateIpAddress: options.ip,
      SecurityGroupIds: [options.groupId],
      IamInstanceProfile: { Arn: options.profileArn },
      TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: options.name }, { Key: "dr:protect", Value: "true" }, { Key: "app", Value: "orders" }, { Key: TAG_TOPOLOGY, Value: deployment.topology.name }] }],
    }),
  );
  return Instances![0];
}

async function describe1(ec2: EC2Client, instanceId: string): Promise<Instance> {
  const { Reservations } = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return Reservations![0].Instances![0];
}

/** regionpair's instances in the DR region, not terminated. */
async function liveRestored(filters: Array<{ Name: string; Values: string[] }> = []): Promise<Instance[]> {
  const { Reservations } = await dr.send(
    new DescribeInstancesCommand({
      Filters: [{ Name: "tag:regionpair:role", Values: ["restore", "drill"] }, { Name: "instance-state-name", Values: ["pending", "running", "stopping", "stopped"] }, ...filters],
    }),
  );
  return (Reservations ?? []).flatMap((r) => r.Instances ?? []);
}

function restore(args: readonly string[], env = downEnv) {
  return runCli(["restore", "--region", deployment.topology.secondary.region, ...args], { env, timeoutMs: 300_000 });
}

beforeAll(async () => {
  deployment = await EmulatorDeployment.start();
  const { topology } = deployment;
  let started = Date.now();
  await deployment.apply();
  timings["deploy all stacks"] = (Date.now() - started) / 1000;
  const outputs = await deployment.outputs([STACK_NAMES.network("primary"), STACK_NAMES.network("secondary")]);
  const primaryNetwork = outputs[STACK_NAMES.network("primary")] as { workload_vpc_id: string; workload_subnet_ids: Record<string, Record<string, string>> };
  const secondaryNetwork = outputs[STACK_NAMES.network("secondary")] as { workload_vpc_id: string };
  source = deployment.ec2(topology.primary.region);
  dr = deployment.ec2(topology.secondary.region);
  drWorkloadVpc = secondaryNetwork.workload_vpc_id;

  // Security groups are the operator's, with the same names in both regions.
  const group = async (ec2: EC2Client, vpcId: string) => (await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: "app", Description: "orders app" }))).GroupId!;
  const sourceGroup = await group(source, primaryNetwork.workload_vpc_id);
  drAppGroup = await group(dr, drWorkloadVpc);

  const iam = new IAMClient({ region: "us-east-1", endpoint: deployment.emulator.endpoint, credentials: EMULATOR_CREDENTIALS });
  await iam.send(new CreateRoleCommand({ RoleName: "ssm-managed", AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [] }) }));
  const { InstanceProfile } = await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "ssm-managed" }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "ssm-managed", RoleName: "ssm-managed" }));
  iam.destroy();

  const [zoneA, zoneB] = topology.primary.availabilityZones;
  const subnets = primaryNetwork.workload_subnet_ids.app;
  windows = await launchSource(subnets[zoneA], { imageId: WINDOWS_CATALOG_AMI, instanceType: "m4.large", ip: WINDOWS_IPS[0], groupId: sourceGroup, profileArn: InstanceProfile!.Arn!, name: "win-orders-1" });
  await source.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: windows.NetworkInterfaces![0].NetworkInterfaceId!, PrivateIpAddresses: [WINDOWS_IPS[1]] }));
  linux = await launchSource(subnets[zoneB], { imageId: await registerAmi(source, true), instanceType: "m5.large", ip: LINUX_IP, groupId: sourceGroup, profileArn: InstanceProfile!.Arn!, name: "lin-orders-1" });

  // Both regions up: ami copy reaches the emulator through REGIONPAIR_EMULATOR_URL alone.
  // Each command as its role, holding only its generated policy (IAM enforced in e2e).
  upEnv = deployment.roleEnvironment("restore");
  started = Date.now();
  const copy = await runCli(["ami", "copy", "--region", topology.primary.region, "--target-region", topology.secondary.region, "--tag", "dr:protect=true", "--poll-interval", "0.2", "--json"], { env: deployment.roleEnvironment("ami-copy") });
  timings["ami copy of 2"] = (Date.now() - started) / 1000;
  if (copy.code !== 0) throw new Error(`ami copy failed: ${copy.stderr}`);

  await scriptAgent(`${topology.name}-secondary-windows-post-restore`, WINDOWS_OUTPUT);
  await scriptAgent(`${topology.name}-secondary-linux-post-restore`, LINUX_OUTPUT);

  // An instance of someone else's in the DR workload subnet: nothing of regionpair's may touch it.
  const [drZoneA] = topology.secondary.availabilityZones;
  const { Subnets } = await dr.send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [drWorkloadVpc] }, { Name: "availability-zone", Values: [drZoneA] }, { Name: "cidr-block", Values: [topology.secondary.workloadSubnets[0].subnets[0].cidr] }] }));
  const { Instances } = await dr.send(new RunInstancesCommand({ ImageId: await registerAmi(dr, false), InstanceType: "m4.large", MinCount: 1, MaxCount: 1, SubnetId: Subnets![0].SubnetId!, PrivateIpAddress: "10.50.0.200" }));
  bystander = Instances![0].InstanceId!;

  // From here on the primary region's API is down.
  downEnv = { ...upEnv, [regionEndpointEnv(topology.primary.region)]: `http://127.0.0.1:${await closedPort()}` };
});

afterAll(async () => {
  process.stdout.write(`restore timings (s): ${JSON.stringify(timings)}\n`);
  await deployment?.stop();
});

describe("restore refuses before launching anything", () => {
  test("GIVEN the Linux instance's IP is taken by an interface in the DR subnet WHEN restoring everything THEN it is refused, naming the instance and the fix, and nothing is launched", async () => {
    const subnetId = (await dr.send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [drWorkloadVpc] }, { Name: "cidr-block", Values: ["10.50.4.0/22"] }] }))).Subnets![0].SubnetId!;
    const { NetworkInterface } = await dr.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId, PrivateIpAddress: LINUX_IP }));
    try {
      const run = await restore(["--all", "--json"]);

      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/RestoreRefused/);
      const result = JSON.parse(run.stdout) as RestoreJson;
      expect(result.plan.refusals).toEqual([
        expect.objectContaining({ code: "AddressInUse", sourceInstanceId: linux.InstanceId, problem: expect.stringContaining(`${LINUX_IP} is in use in us-west-2 by network interface ${NetworkInterface!.NetworkInterfaceId}`) }),
      ]);
      expect(await liveRestored()).toEqual([]);
    } finally {
      await dr.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: NetworkInterface!.NetworkInterfaceId! }));
    }
  });

  test("GIVEN --type m5.large for the Windows copy, which has no ENA WHEN restoring it THEN it is refused before launching", async () => {
    const run = await restore(["--instance-id", windows.InstanceId!, "--type", "m5.large", "--json"]);

    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as RestoreJson).plan.refusals.map((r) => r.code)).toEqual(["EnaRequired"]);
    expect(await liveRestored()).toEqual([]);
  });

  test("GIVEN the copies WHEN restore --all --dry-run runs THEN it lists both launches and checks RunInstances for each with DryRun, launching nothing", async () => {
    const run = await restore(["--all", "--dry-run", "--json"]);

    expect({ code: run.code, stderr: run.code ? run.stderr.slice(-3000) : "" }).toEqual({ code: 0, stderr: "" });
    const result = JSON.parse(run.stdout) as { plan: { launches: Array<{ sourceInstanceId: string }> }; checks: Array<{ permission: string; verdict: string }>; notChecked: string[] };
    expect(result.plan.launches.map((l) => l.sourceInstanceId).sort()).toEqual([windows.InstanceId, linux.InstanceId].sort());
    expect(result.checks).toEqual([expect.objectContaining({ permission: "ec2:RunInstances", verdict: "allowed" }), expect.objectContaining({ permission: "ec2:RunInstances", verdict: "allowed" })]);
    expect(result.notChecked.join(" ")).toMatch(/Systems Manager has no DryRun/);
    expect(await liveRestored()).toEqual([]);
  });
});

describe("restore readiness of the DR region", () => {
  test("GIVEN fresh encrypted copies and the deployed network WHEN readiness is checked THEN every instance and the DHCP options pass; an intended ENA-only type for the Windows copy fails", async () => {
    const report = await checkRestoreReadiness(dr, deployment.topology, { drRegion: deployment.topology.secondary.region, rpoMinutes: 60 });

    expect(report.dhcp.status).toBe("ok");
    expect(report.instances.map((i) => [i.instanceId, i.ready]).sort()).toEqual([[windows.InstanceId, true], [linux.InstanceId, true]].sort());
    expect(report.ready).toBe(true);

    const nitro = await checkRestoreReadiness(dr, deployment.topology, { drRegion: deployment.topology.secondary.region, rpoMinutes: 60, intendedTypes: { [windows.InstanceId!]: "m5.large" } });
    expect(nitro.instances.find((i) => i.instanceId === windows.InstanceId)?.checks.ena.status).toBe("failed");
    expect(nitro.ready).toBe(false);
  });
});

describe("a drill in the fenced passive copy, and its cleanup", () => {
  let drillId: string;

  test("GIVEN the secondary is passive and the primary's API is down WHEN drilling every instance THEN they come back at their IPs, healthy, fixed up, tagged as the drill, and traced fenced", async () => {
    const started = Date.now();
    const run = await restore(["--drill", "--all", "--json"]);
    timings["drill of 2"] = (Date.now() - started) / 1000;

    expect(run.stderr).not.toMatch(/internal error/);
    expect({ code: run.code, stderr: run.code ? run.stderr.slice(-3000) : "" }).toEqual({ code: 0, stderr: "" });
    const result = JSON.parse(run.stdout) as RestoreJson;
    drillId = result.drillId!;
    expect(drillId).toMatch(/^drill-\d{8}-\d{6}-[0-9a-f]{4}$/);
    expect(result.instances).toHaveLength(2);
    for (const instance of result.instances) {
      expect(instance).toMatchObject({ launch: "launched", state: "running", statusChecks: { instance: "ok", system: "ok" }, ssm: "online" });
      expect(instance.fixups?.summary?.ok).toBe(true);
      // Every path out of the drill copy ends at the fence: the directory in both regions and on premises.
      expect(instance.fence?.fenced).toBe(true);
      expect(instance.fence?.traces.map((t) => t.end)).toEqual(["fenced", "fenced", "fenced", "fenced", "fenced"]);
    }
    expect(result.fenceChecked).toBe(true);

    // Read back: the drill's instances, at the source IPs, tagged with the drill on instance, volumes and interfaces.
    const drilled = await liveRestored([{ Name: "tag:regionpair:drill-id", Values: [drillId] }]);
    expect(drilled.map((i) => i.PrivateIpAddress).sort()).toEqual([WINDOWS_IPS[0], LINUX_IP].sort());
    for (const instance of drilled) {
      expect(tagMap(instance.Tags)).toMatchObject({ "regionpair:role": "drill", "regionpair:drill-id": drillId, Name: expect.stringMatching(new RegExp(`\\[${drillId}\\]$`)) });
    }
    const { NetworkInterfaces } = await dr.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "tag:regionpair:drill-id", Values: [drillId] }] }));
    expect(NetworkInterfaces?.map((n) => n.Attachment?.InstanceId).sort()).toEqual(drilled.map((i) => i.InstanceId).sort());
  });

  test("GIVEN the drill WHEN it is cleaned up THEN exactly its instances are terminated and nothing tagged with it is left; the bystander runs on", async () => {
    const run = await restore(["--drill", "--cleanup", drillId, "--json"]);

    expect({ code: run.code, stderr: run.code ? run.stderr.slice(-3000) : "" }).toEqual({ code: 0, stderr: "" });
    expect((JSON.parse(run.stdout) as { terminated: unknown[]; remaining: unknown[] })).toMatchObject({ terminated: [expect.anything(), expect.anything()], remaining: [] });
    expect(await liveRestored([{ Name: "tag:regionpair:drill-id", Values: [drillId] }])).toEqual([]);
    const tagged = [{ Name: "tag:regionpair:drill-id", Values: [drillId] }];
    expect((await dr.send(new DescribeNetworkInterfacesCommand({ Filters: tagged }))).NetworkInterfaces).toEqual([]);
    expect((await dr.send(new DescribeVolumesCommand({ Filters: tagged }))).Volumes).toEqual([]);
    expect((await describe1(dr, bystander)).State?.Name).toBe("running");
  });
});

describe("the restore, with the source region down", () => {
  let first: RestoreJson;

  test("GIVEN the copies WHEN restoring everything THEN each instance is back in the mirrored subnet with the same IPs, type, groups, profile and tags, and its fix-ups ran", async () => {
    const started = Date.now();
    const run = await restore(["--all", "--json"]);
    timings["restore of 2"] = (Date.now() - started) / 1000;

    expect(run.stderr).not.toMatch(/internal error/);
    expect({ code: run.code, stderr: run.code ? run.stderr.slice(-3000) : "" }).toEqual({ code: 0, stderr: "" });
    first = JSON.parse(run.stdout) as RestoreJson;
    expect(first.plan.notes).toEqual([expect.stringContaining("us-west-2 is passive: the restored instances are fenced (no route out, Amazon DNS instead of the directory) until a failover")]);
    // Into the passive copy the source region is not even asked.
    expect(first.plan.routing.source).toBeUndefined();
    expect(first.instances.map((i) => i.launch)).toEqual(["launched", "launched"]);

    for (const [sourceInstance, ips, type] of [
      [windows, WINDOWS_IPS, "m4.large"],
      [linux, [LINUX_IP], "m5.large"],
    ] as const) {
      const report = first.instances.find((i) => i.sourceInstanceId === sourceInstance.InstanceId)!;
      const restored = await describe1(dr, report.instanceId!);
      const original = await describe1(source, sourceInstance.InstanceId!);
      // Same addresses, primary first.
      expect(restored.PrivateIpAddress).toBe(ips[0]);
      expect(restored.NetworkInterfaces![0].PrivateIpAddresses!.map((a) => a.PrivateIpAddress)).toEqual([...ips]);
      // The mirrored subnet: same CIDR as the source's, in the zone at the same position.
      const [restoredSubnet, originalSubnet] = await Promise.all(
        [[dr, restored.SubnetId!], [source, original.SubnetId!]].map(async ([ec2, id]) => (await (ec2 as EC2Client).send(new DescribeSubnetsCommand({ SubnetIds: [id as string] }))).Subnets![0]),
      );
      expect(restoredSubnet.VpcId).toBe(drWorkloadVpc);
      expect(restoredSubnet.CidrBlock).toBe(originalSubnet.CidrBlock);
      const zoneIndex = (role: "primary" | "secondary", zone: string) => deployment.topology[role].availabilityZones.indexOf(zone);
      expect(zoneIndex("secondary", restoredSubnet.AvailabilityZone!)).toBe(zoneIndex("primary", originalSubnet.AvailabilityZone!));
      // Type, the DR group of the same name, the same instance profile, the recorded tags.
      expect(restored.InstanceType).toBe(type);
      expect(restored.NetworkInterfaces![0].Groups?.map((g) => g.GroupId)).toEqual([drAppGroup]);
      expect(restored.IamInstanceProfile?.Arn).toBe(original.IamInstanceProfile?.Arn);
      expect(tagMap(restored.Tags)).toEqual({
        ...tagMap(original.Tags),
        "regionpair:role": "restore",
        "regionpair:topology": deployment.topology.name,
        "regionpair:source-instance-id": sourceInstance.InstanceId,
        "regionpair:restored-from": report.copyImageId,
      });
      expect(report).toMatchObject({ state: "running", statusChecks: { instance: "ok", system: "ok" }, ssm: "online" });
    }

    const windowsFixups = first.instances.find((i) => i.sourceInstanceId === windows.InstanceId)!.fixups!;
    expect(windowsFixups.status).toBe("Success");
    expect(windowsFixups.output).toBe(WINDOWS_OUTPUT);
    expect(Object.fromEntries(Object.entries(windowsFixups.summary!.fixups).map(([name, f]) => [name, f.status]))).toEqual({
      ec2launch: "changed",
      activation: "ok",
      time: "ok",
      dhcp: "ok",
      routes: "ok",
      hosts: "ok",
    });
    process.stdout.write(`Windows post-restore output as the agent double returned it:\n${windowsFixups.output}\n`);
  });

  test("GIVEN everything restored WHEN the same restore runs again THEN it launches nothing and reports the instances it finds", async () => {
    const before = (await liveRestored()).map((i) => i.InstanceId).sort();

    const run = await restore(["--all", "--json"]);

    expect({ code: run.code, stderr: run.code ? run.stderr.slice(-3000) : "" }).toEqual({ code: 0, stderr: "" });
    const again = JSON.parse(run.stdout) as RestoreJson;
    expect(again.instances.map((i) => i.launch)).toEqual(["earlier", "earlier"]);
    expect(again.instances.map((i) => i.instanceId).sort()).toEqual(first.instances.map((i) => i.instanceId).sort());
    expect((await liveRestored()).map((i) => i.InstanceId).sort()).toEqual(before);
    expect((await describe1(dr, bystander)).State?.Name).toBe("running");
  });

  test("GIVEN everything restored WHEN a drill is asked for THEN it is refused: the restored instances hold the IPs", async () => {
    const run = await restore(["--drill", "--all", "--json"]);

    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as RestoreJson;
    expect(result.plan.refusals.map((r) => r.code)).toEqual(["AddressInUse", "AddressInUse", "AddressInUse"]);
  });
});

describe("restoring into the routed copy", () => {
  let linuxRestore: string;

  beforeAll(async () => {
    // The Linux restore goes, and the secondary's routing stack makes it route its own copy,
    // while the primary's still routes the primary's: both copies would be live.
    const restored = await liveRestored([{ Name: "tag:regionpair:source-instance-id", Values: [linux.InstanceId!] }]);
    linuxRestore = restored[0].InstanceId!;
    await dr.send(new TerminateInstancesCommand({ InstanceIds: [linuxRestore] }));
    const started = Date.now();
    await deployment.apply([STACK_NAMES.routing("secondary")], { vars: { active_region: deployment.topology.secondary.region } });
    timings["routing-secondary made active"] = (Date.now() - started) / 1000;
  });

  test("GIVEN the secondary routes its copy and the primary still routes its own WHEN restoring with the primary answering THEN it is refused as both copies live, and nothing is launched", async () => {
    const run = await restore(["--instance-id", linux.InstanceId!, "--json"], upEnv);

    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as RestoreJson;
    expect(result.plan.routing).toMatchObject({ dr: { mode: "active" }, source: { mode: "active", asked: "answered" } });
    expect(result.plan.refusals).toEqual([expect.objectContaining({ code: "BothCopiesLive", fix: expect.stringContaining("--force") })]);
    expect(await liveRestored([{ Name: "tag:regionpair:source-instance-id", Values: [linux.InstanceId!] }])).toEqual([]);
  });

  test("GIVEN the same, with the primary's API down WHEN restoring THEN it says the primary could not be asked and goes on: the instance is back, from a new client token", async () => {
    const run = await restore(["--instance-id", linux.InstanceId!, "--json"]);

    expect(run.stderr).not.toMatch(/internal error/);
    expect({ code: run.code, stderr: run.code ? run.stderr.slice(-3000) : "" }).toEqual({ code: 0, stderr: "" });
    const result = JSON.parse(run.stdout) as RestoreJson;
    expect(result.plan.routing.source).toMatchObject({ asked: "unreachable" });
    expect(result.warnings).toEqual([expect.stringContaining(`could not ask ${deployment.topology.primary.region} whether it still routes its copy`)]);
    const [restored] = await liveRestored([{ Name: "tag:regionpair:source-instance-id", Values: [linux.InstanceId!] }]);
    expect(restored.InstanceId).not.toBe(linuxRestore);
    expect(restored.PrivateIpAddress).toBe(LINUX_IP);
    expect(result.instances[0]).toMatchObject({ launch: "launched", instanceId: restored.InstanceId, state: "running" });
  });

  test("GIVEN the secondary routes its copy WHEN a drill is asked for THEN it is refused: there is no fence", async () => {
    const run = await restore(["--drill", "--instance-id", windows.InstanceId!, "--json"]);

    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as RestoreJson).plan.refusals.map((r) => r.code)).toContain("NotFenced");
  });
});
