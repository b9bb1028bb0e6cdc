/**
 * Benchmark of `restore` for 2 and 20 instances against the emulator: the example pair deployed
 * with terraform (the secondary passive), Linux instances copied to the secondary with ami copy,
 * the primary's API made unreachable, then one restore of 2 instances and one of 20 others, each
 * timed end to end (read, plan, launch, running, status checks, Systems Manager online, the
 * post-restore document) with every EC2 and SSM call counted by SDK middleware.
 *
 * Usage: tsx bench/restore.ts [--sizes 2,20]   (an emulator deployment: run it alone, e.g. under flock)
 * The emulator's agent double takes REGIONPAIR_EMULATOR_SSM_* seconds (default 1 each) per stage,
 * and status checks stay initializing REGIONPAIR_EMULATOR_INSTANCE_STATUS_INITIALIZING_SECONDS (1).
 */
import { parseArgs } from "node:util";
import { CreateSecurityGroupCommand, EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { SSMClient } from "@aws-sdk/client-ssm";
import { runAmiCopy } from "../scripts/ami/copy-images";
import { Ec2Clients, SsmClients } from "../scripts/lib/aws";
import { EMULATOR_CREDENTIALS } from "../scripts/lib/emulator";
import { EmulatorDeployment } from "../scripts/lib/emulator-deployment";
import { SILENT_PROGRESS } from "../scripts/lib/progress";
import { DEFAULT_TIMEOUTS, runRestore } from "../scripts/restore/run-restore";
import { STACK_NAMES } from "../stacks/stack-names";
import { registerAmi } from "../__tests__/support/ec2-fixtures";

/** Counts calls per service and operation. */
class CallCounter {
  calls = new Map<string, number>();

  attach(client: EC2Client | SSMClient, service: string): void {
    (client as EC2Client).middlewareStack.add(
      (next, context) => async (args) => {
        const key = `${service}:${context.commandName?.replace(/Command$/, "")}`;
        this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
        return next(args);
      },
      { step: "initialize", name: "benchCallCounter" },
    );
  }

  total(): number {
    return [...this.calls.values()].reduce((a, b) => a + b, 0);
  }
}

const LINUX_OUTPUT = `dhcp: ok: every address comes from DHCP\n${JSON.stringify({ regionpair: "post-restore", version: 1, platform: "linux", ok: true, fixups: { dhcp: { status: "ok", detail: "every address comes from DHCP" }, routes: { status: "ok", detail: "none" }, hosts: { status: "ok", detail: "none" } } })}`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: "string", default: "2,20" } } });
  const sizes = values.sizes!.split(",").map(Number);
  const deployment = await EmulatorDeployment.start({ log: (line) => process.stderr.write(`${line}\n`) });
  const { topology } = deployment;
  const sourceRegion = topology.primary.region;
  const drRegion = topology.secondary.region;
  try {
    await deployment.apply();
    const outputs = await deployment.outputs([STACK_NAMES.network("primary"), STACK_NAMES.network("secondary")]);
    const primary = outputs[STACK_NAMES.network("primary")] as { workload_vpc_id: string; workload_subnet_ids: Record<string, Record<string, string>> };
    const secondary = outputs[STACK_NAMES.network("secondary")] as { workload_vpc_id: string };
    const source = deployment.ec2(sourceRegion);
    const dr = deployment.ec2(drRegion);
    const groupId = (await source.send(new CreateSecurityGroupCommand({ VpcId: primary.workload_vpc_id, GroupName: "app", Description: "app" }))).GroupId!;
    await dr.send(new CreateSecurityGroupCommand({ VpcId: secondary.workload_vpc_id, GroupName: "app", Description: "app" }));
    const iam = new IAMClient({ region: "us-east-1", endpoint: deployment.emulator.endpoint, credentials: EMULATOR_CREDENTIALS });
    await iam.send(new CreateRoleCommand({ RoleName: "bench", AssumeRolePolicyDocument: "{}" }));
    const profile = (await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "bench" }))).InstanceProfile!.Arn!;
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "bench", RoleName: "bench" }));
    iam.destroy();

    // One set of source instances per size, at distinct addresses, alternating zones.
    const imageId = await registerAmi(source, true);
    const zones = topology.primary.availabilityZones;
    const sets: string[][] = [];
    let host = 10;
    for (const size of sizes) {
      const ids: string[] = [];
      for (let i = 0; i < size; i += 1, host += 1) {
        const zone = i % 2;
        const { Instances } = await source.send(
          new RunInstancesCommand({
            ImageId: imageId,
            InstanceType: "m5.large",
            MinCount: 1,
            MaxCount: 1,
            SubnetId: primary.workload_subnet_ids.app[zones[zone]],
            PrivateIpAddress: `10.50.${zone * 4}.${host}`,
            SecurityGroupIds: [groupId],
            IamInstanceProfile: { Arn: profile },
            TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: `bench-${host}` }, { Key: "dr:protect", Value: "true" }] }],
          }),
        );
        ids.push(Instances![0].InstanceId!);
      }
      sets.push(ids);
    }
    const copyClients = new Ec2Clients({ endpoints: { [sourceRegion]: deployment.emulator.endpoint, [drRegion]: deployment.emulator.endpoint }, credentials: EMULATOR_CREDENTIALS });
    const copy = await runAmiCopy(
      { sourceRegion, targetRegion: drRegion, selection: { instanceIds: [], tags: [{ key: "dr:protect", value: "true" }] }, reboot: true, captureId: "bench", concurrency: 20, timeoutMs: 10 * 60_000, pollIntervalMs: 500 },
      { clients: copyClients, progress: SILENT_PROGRESS },
    );
    copyClients.destroy();
    if (copy.instances.some((i) => i.status !== "copied")) throw new Error("ami copy failed in the bench setup");
    await fetch(`${deployment.emulator.endpoint}/regionpair-emulator/ssm/agent-script`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ documentName: `${topology.name}-secondary-linux-post-restore`, stdout: LINUX_OUTPUT }),
    });

    const runs = [];
    for (const ids of sets) {
      const counter = new CallCounter();
      const endpoints = { [drRegion]: deployment.emulator.endpoint };
      const clients = new Ec2Clients({ endpoints, credentials: EMULATOR_CREDENTIALS, onClientCreated: (c) => counter.attach(c, "ec2") });
      const ssm = new SsmClients({ endpoints, credentials: EMULATOR_CREDENTIALS, onClientCreated: (c) => counter.attach(c, "ssm") });
      // The source region is down: nothing may depend on it.
      const down = new EC2Client({ region: sourceRegion, endpoint: "http://127.0.0.1:9", credentials: EMULATOR_CREDENTIALS, maxAttempts: 1 });
      const started = process.hrtime.bigint();
      const result = await runRestore(
        {
          topology,
          drRegion,
          selection: { kind: "instance-ids", instanceIds: ids },
          force: false,
          timeouts: DEFAULT_TIMEOUTS,
          concurrency: 10,
          pollIntervalMs: { min: 2_000, max: 15_000 },
        },
        { clients, ssm, sourceEc2: () => down, progress: SILENT_PROGRESS },
      );
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const healthy = result.instances.filter((r) => r.state === "running" && r.ssm === "online" && r.fixups?.summary?.ok).length;
      runs.push({
        instances: ids.length,
        healthy,
        wallSeconds: Number(seconds.toFixed(2)),
        apiCalls: counter.total(),
        apiCallsPerInstance: Number((counter.total() / ids.length).toFixed(2)),
        calls: Object.fromEntries([...counter.calls].sort()),
      });
      clients.destroy();
      ssm.destroy();
      down.destroy();
    }
    process.stdout.write(`${JSON.stringify({ pollIntervalSeconds: { min: 2, max: 15 }, runs }, null, 2)}\n`);
    if (runs.some((r) => r.healthy !== r.instances)) process.exitCode = 1;
  } finally {
    await deployment.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
