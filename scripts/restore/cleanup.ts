/**
 * `restore --drill --cleanup <id>`: terminates exactly what that drill launched, found by its
 * tags (`regionpair:role=drill` and `regionpair:drill-id=<id>` on instances of this topology), and
 * deletes any of its volumes or network interfaces left unattached; then reads back that nothing
 * tagged with the drill id is left. Nothing without both tags is touched.
 */
import {
  DeleteNetworkInterfaceCommand,
  DeleteVolumeCommand,
  EC2Client,
  TerminateInstancesCommand,
  paginateDescribeNetworkInterfaces,
  paginateDescribeVolumes,
} from "@aws-sdk/client-ec2";
import type { Topology } from "../../config/topology-model";
import { withAwsErrors } from "../lib/aws-errors";
import { Progress } from "../lib/progress";
import { instanceStates, pollUntilSettled } from "./fleet-waits";
import { isLive } from "./facts";
import { RESTORE_TAG_KEYS } from "./naming";
import { readLaunched } from "./read-dr";

export interface CleanupOptions {
  readonly topology: Topology;
  readonly drRegion: string;
  readonly drillId: string;
  readonly timeoutMs: number;
  readonly pollIntervalMs: { readonly min: number; readonly max: number };
}

export interface CleanupResult {
  readonly drRegion: string;
  readonly drillId: string;
  readonly terminated: ReadonlyArray<{ readonly instanceId: string; readonly sourceInstanceId: string; readonly previousState: string }>;
  readonly deletedVolumes: readonly string[];
  readonly deletedNetworkInterfaces: readonly string[];
  /** What still carries the drill id afterwards (should be empty): instances not terminated, volumes, interfaces. */
  readonly remaining: readonly string[];
  readonly seconds: number;
}

const drillFilter = (drillId: string) => [
  { Name: `tag:${RESTORE_TAG_KEYS.drillId}`, Values: [drillId] },
  { Name: `tag:${RESTORE_TAG_KEYS.role}`, Values: ["drill"] },
];

async function taggedVolumes(ec2: EC2Client, region: string, drillId: string): Promise<Array<{ id: string; state: string }>> {
  const found: Array<{ id: string; state: string }> = [];
  await withAwsErrors({ operation: "DescribeVolumes", region }, async () => {
    for await (const page of paginateDescribeVolumes({ client: ec2 }, { Filters: drillFilter(drillId) })) {
      for (const v of page.Volumes ?? []) if (v.VolumeId) found.push({ id: v.VolumeId, state: v.State ?? "unknown" });
    }
  });
  return found;
}

async function taggedInterfaces(ec2: EC2Client, region: string, drillId: string): Promise<Array<{ id: string; status: string }>> {
  const found: Array<{ id: string; status: string }> = [];
  await withAwsErrors({ operation: "DescribeNetworkInterfaces", region }, async () => {
    for await (const page of paginateDescribeNetworkInterfaces({ client: ec2 }, { Filters: drillFilter(drillId) })) {
      for (const n of page.NetworkInterfaces ?? []) if (n.NetworkInterfaceId) found.push({ id: n.NetworkInterfaceId, status: n.Status ?? "unknown" });
    }
  });
  return found;
}

/** The live instances of the drill: both tags, this topology. */
export async function drillInstances(ec2: EC2Client, options: Pick<CleanupOptions, "topology" | "drRegion" | "drillId">) {
  const launched = await readLaunched(ec2, options.topology, options.drRegion, { drillId: options.drillId });
  return launched.filter((l) => l.kind === "drill" && l.drillId === options.drillId && isLive(l));
}

export async function runDrillCleanup(ec2: EC2Client, options: CleanupOptions, deps: { readonly progress: Progress; readonly signal?: AbortSignal; readonly now?: () => number }): Promise<CleanupResult> {
  const now = deps.now ?? Date.now;
  const started = now();
  const region = options.drRegion;
  const instances = await drillInstances(ec2, options);
  deps.progress.note(`drill ${options.drillId} in ${region}: ${instances.length} instance(s) to terminate`);
  if (instances.length > 0) {
    for (const i of instances) deps.progress.item(i.sourceInstanceId, "terminating", `terminating ${i.instanceId}`);
    await withAwsErrors({ operation: "TerminateInstances", region }, () => ec2.send(new TerminateInstancesCommand({ InstanceIds: instances.map((i) => i.instanceId) })));
    const states = await pollUntilSettled(
      instances.map((i) => i.instanceId),
      instanceStates(ec2, region, deps.signal),
      (state) => state === "terminated",
      { deadline: now() + options.timeoutMs, signal: deps.signal, minIntervalMs: options.pollIntervalMs.min, maxIntervalMs: options.pollIntervalMs.max, now },
    );
    for (const i of instances) deps.progress.item(i.sourceInstanceId, states.get(i.instanceId)?.settled ? "done" : "failed", `${i.instanceId} ${states.get(i.instanceId)?.value ?? "unknown"}`);
  }

  // Volumes and interfaces go with their instances (DeleteOnTermination); anything detached is deleted here.
  const deletedVolumes: string[] = [];
  for (const volume of (await taggedVolumes(ec2, region, options.drillId)).filter((v) => v.state === "available")) {
    await withAwsErrors({ operation: "DeleteVolume", region }, () => ec2.send(new DeleteVolumeCommand({ VolumeId: volume.id })));
    deletedVolumes.push(volume.id);
  }
  const deletedNetworkInterfaces: string[] = [];
  for (const eni of (await taggedInterfaces(ec2, region, options.drillId)).filter((n) => n.status === "available")) {
    await withAwsErrors({ operation: "DeleteNetworkInterface", region }, () => ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni.id })));
    deletedNetworkInterfaces.push(eni.id);
  }

  const [leftInstances, leftVolumes, leftInterfaces] = await Promise.all([
    drillInstances(ec2, options),
    taggedVolumes(ec2, region, options.drillId),
    taggedInterfaces(ec2, region, options.drillId),
  ]);
  return {
    drRegion: region,
    drillId: options.drillId,
    terminated: instances.map((i) => ({ instanceId: i.instanceId, sourceInstanceId: i.sourceInstanceId, previousState: i.state })),
    deletedVolumes,
    deletedNetworkInterfaces,
    remaining: [
      ...leftInstances.map((i) => `${i.instanceId} (${i.state})`),
      ...leftVolumes.filter((v) => v.state !== "deleted").map((v) => `${v.id} (${v.state})`),
      ...leftInterfaces.map((n) => `${n.id} (${n.status})`),
    ],
    seconds: Math.round((now() - started) / 100) / 10,
  };
}
