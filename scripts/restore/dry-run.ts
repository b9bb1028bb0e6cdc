/**
 * `restore --dry-run`: the plan as a real run would make it (the reads are real), and every EC2
 * write call it would make sent with DryRun, so EC2 checks the permission and launches nothing:
 * RunInstances per planned instance (with its tags, so tag-on-create is checked too), and for
 * `--drill --cleanup` TerminateInstances. Systems Manager has no DryRun: its calls are listed as
 * not checked.
 */
import { RunInstancesCommand, TerminateInstancesCommand } from "@aws-sdk/client-ec2";
import { PermissionCheck, checkPermission } from "../lib/dry-run";
import { drillInstances } from "./cleanup";
import { runInstancesInput } from "./launch";
import { RestorePlan } from "./plan";
import { RestoreDependencies, RestoreOptions, planFromRegion } from "./run-restore";
import type { Topology } from "../../config/topology-model";
import { EC2Client } from "@aws-sdk/client-ec2";

export const NOT_CHECKED_SSM = [
  "ssm:DescribeInstanceInformation, ssm:SendCommand, ssm:ListCommandInvocations, ssm:GetCommandInvocation and ssm:DescribeDocument: Systems Manager has no DryRun",
];

export interface RestoreDryRunResult {
  readonly drRegion: string;
  readonly plan: RestorePlan;
  readonly warnings: readonly string[];
  readonly checks: readonly PermissionCheck[];
  readonly notChecked: readonly string[];
}

export async function dryRunRestore(options: RestoreOptions, deps: RestoreDependencies): Promise<RestoreDryRunResult> {
  const { plan, warnings } = await planFromRegion(options, deps);
  const ec2 = deps.clients.forRegion(options.drRegion);
  const checks: PermissionCheck[] = [];
  for (const launch of plan.launches) {
    deps.progress.item(launch.sourceInstanceId, "checking", "checking ec2:RunInstances");
    checks.push(
      await checkPermission((DryRun) => ec2.send(new RunInstancesCommand({ ...runInstancesInput(launch), DryRun })), {
        operation: "RunInstances",
        region: options.drRegion,
        target: `${launch.sourceInstanceId} from ${launch.copyImageId}`,
      }),
    );
    deps.progress.item(launch.sourceInstanceId, "done", "checked");
  }
  const notChecked = [...NOT_CHECKED_SSM];
  if (plan.launches.length === 0) notChecked.unshift("ec2:RunInstances: nothing would be launched");
  return { drRegion: options.drRegion, plan, warnings, checks, notChecked };
}

export interface CleanupDryRunResult {
  readonly drRegion: string;
  readonly drillId: string;
  readonly instanceIds: readonly string[];
  readonly checks: readonly PermissionCheck[];
  readonly notChecked: readonly string[];
}

export async function dryRunCleanup(ec2: EC2Client, options: { topology: Topology; drRegion: string; drillId: string }): Promise<CleanupDryRunResult> {
  const instances = await drillInstances(ec2, options);
  const instanceIds = instances.map((i) => i.instanceId);
  const checks =
    instanceIds.length > 0
      ? [await checkPermission((DryRun) => ec2.send(new TerminateInstancesCommand({ InstanceIds: instanceIds, DryRun })), { operation: "TerminateInstances", region: options.drRegion, target: instanceIds.join(", ") })]
      : [];
  return {
    drRegion: options.drRegion,
    drillId: options.drillId,
    instanceIds,
    checks,
    notChecked: [
      ...(instanceIds.length === 0 ? [`ec2:TerminateInstances: drill ${options.drillId} has no live instance in ${options.drRegion}`] : []),
      "ec2:DeleteVolume and ec2:DeleteNetworkInterface: used only for a drill's volumes or interfaces left detached, which there normally are none of",
    ],
  };
}
