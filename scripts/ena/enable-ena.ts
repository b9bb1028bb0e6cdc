/**
 * The work of `ena enable`: stop (when allowed), set enaSupport, wait until it reads back on,
 * change the type, start again if it was running, verify the end state by reading it back, and
 * wait for both status checks. If a step fails after the stop and before the start, the instance
 * is put back as it was (type, ENA support) and started again, so a failed change never leaves a
 * running server stopped. An instance that starts but fails its status checks is reported with
 * what to do; putting it back needs a stop, which is the user's decision.
 */
import { ModifyInstanceAttributeCommand, StartInstancesCommand, StopInstancesCommand } from "@aws-sdk/client-ec2";
import { Ec2Clients } from "../lib/aws";
import { withAwsErrors } from "../lib/aws-errors";
import { ExternalError } from "../lib/cli";
import { checkPermission, PermissionCheck } from "../lib/dry-run";
import { Progress } from "../lib/progress";
import { waitForInstanceState, waitForStatusChecks } from "../lib/waiters";
import { InterruptedError, pollUntil } from "../lib/retry";
import { describeInstanceType, InstanceTypeFacts, readInstance } from "./instance-facts";
import { describeSnapshot, InstanceSnapshot, snapshotOf } from "./instance-snapshot";
import { driverReminder, statusCheckFailure } from "./driver-guidance";
import { decideEnaChange, EnaChange } from "./ena-change";

export interface EnaEnableOptions {
  readonly region: string;
  readonly instanceId: string;
  /** @default the current type */
  readonly instanceType?: string;
  readonly allowStop: boolean;
  /** Longest wait for each stop, start, and for the status checks. */
  readonly timeoutSeconds: number;
  /** Shortest pause between state checks. @default 5 (15 for status checks) */
  readonly pollIntervalSeconds?: number;
  /**
   * Longest wait for ENA support to read back on after ModifyInstanceAttribute
   * (DescribeInstances is eventually consistent). @default 20
   */
  readonly enaReadBackSeconds?: number;
}

const DEFAULT_ENA_READ_BACK_SECONDS = 20;

export interface EnaEnableDependencies {
  readonly clients: Ec2Clients;
  readonly progress: Progress;
  readonly signal?: AbortSignal;
}

export interface EnaEnableResult {
  readonly instanceId: string;
  readonly region: string;
  readonly noop: boolean;
  readonly before: InstanceSnapshot;
  readonly after: InstanceSnapshot;
  readonly targetType: InstanceTypeFacts;
  readonly reminder: string;
  readonly notes: readonly string[];
  /** Both status checks after the start; absent when the instance was not started. */
  readonly statusChecks?: { readonly system: string; readonly instance: string };
}

export interface EnaDryRunResult {
  readonly instanceId: string;
  readonly region: string;
  readonly change: EnaChange;
  readonly before: InstanceSnapshot;
  readonly targetType: InstanceTypeFacts;
  readonly checks: readonly PermissionCheck[];
}

async function gather(options: EnaEnableOptions, deps: EnaEnableDependencies, dryRun: boolean) {
  const client = deps.clients.forRegion(options.region);
  const facts = await readInstance(client, options.region, options.instanceId);
  const target = await describeInstanceType(client, options.region, options.instanceType ?? facts.instanceType, facts.availabilityZone);
  const change = decideEnaChange(facts, target, { allowStop: options.allowStop, dryRun });
  deps.progress.item(facts.instanceId, "checking", `now ${describeSnapshot(snapshotOf(facts))}`);
  return { client, facts, target, change };
}

export async function runEnaEnable(options: EnaEnableOptions, deps: EnaEnableDependencies): Promise<EnaEnableResult> {
  const { client, facts, target, change } = await gather(options, deps, false);
  const { progress, signal } = deps;
  const { region } = options;
  const id = facts.instanceId;
  const reminder = driverReminder(target, facts.platform);
  const before = snapshotOf(facts);
  if (change.noop) {
    progress.item(id, "done", `nothing to do: ENA support is already on and the type is ${facts.instanceType}`);
    return { instanceId: id, region, noop: true, before, after: before, targetType: target, reminder, notes: [] };
  }
  progress.note(reminder);
  for (const note of change.notes) progress.note(note);
  const wait = (state: "stopped" | "running") =>
    waitForInstanceState(client, id, state, {
      region,
      timeoutSeconds: options.timeoutSeconds,
      signal,
      minDelaySeconds: options.pollIntervalSeconds,
    });
  // Read back the way AWS documents checking it, DescribeInstances' EnaSupport, until it is on:
  // a read right after the change may still show the old value.
  const enaSupportReadsOn = async () =>
    (
      await pollUntil(
        `ENA support on ${id} to read back on`,
        async () => ((await readInstance(client, region, id)).enaSupport ? { state: "done", value: true } : { state: "retry", value: false }),
        {
          maxWaitSeconds: Math.min(options.enaReadBackSeconds ?? DEFAULT_ENA_READ_BACK_SECONDS, options.timeoutSeconds),
          minDelaySeconds: Math.min(options.pollIntervalSeconds ?? 1, 1),
          maxDelaySeconds: 5,
          signal,
        },
      )
    ).outcome === "done";
  const modify = (input: Omit<ConstructorParameters<typeof ModifyInstanceAttributeCommand>[0], "InstanceId">) =>
    withAwsErrors({ operation: "ModifyInstanceAttribute", region }, () => client.send(new ModifyInstanceAttributeCommand({ InstanceId: id, ...input })));

  if (change.stop) {
    progress.item(id, "stopping", "stopping");
    await withAwsErrors({ operation: "StopInstances", region }, () => client.send(new StopInstancesCommand({ InstanceIds: [id] })));
  }
  if (change.stop || change.waitUntilStopped) await wait("stopped");

  let enaChanged = false;
  let typeChanged = false;
  try {
    if (change.enableEna) {
      progress.item(id, "modifying", "enabling ENA support");
      await modify({ EnaSupport: { Value: true } });
      enaChanged = true;
      if (!(await enaSupportReadsOn())) {
        // Never move on to a type that requires ENA: AWS accepts the type, then refuses to start.
        const consequence = change.newType && target.enaSupport === "required" ? `; not changing to ${change.newType}, which requires ENA and would not start` : "";
        throw new ExternalError(
          `ENA support on ${id} is still off after ModifyInstanceAttribute${consequence}`,
          "EnaSupportNotSet",
          "the instance in the EC2 console and CloudTrail for the ModifyInstanceAttribute call",
        );
      }
    }
    if (change.newType) {
      progress.item(id, "modifying", `changing type ${facts.instanceType} → ${change.newType}`);
      await modify({ InstanceType: { Value: change.newType } });
      typeChanged = true;
    }
    if (change.start) {
      progress.item(id, "starting", "starting");
      await withAwsErrors({ operation: "StartInstances", region }, () => client.send(new StartInstancesCommand({ InstanceIds: [id] })));
      await wait("running");
    }
  } catch (error) {
    if (change.start && !(error instanceof InterruptedError)) {
      const restored = await restore().catch((restoreError: unknown) => `could not restore it: ${(restoreError as Error).message}`);
      if (error instanceof ExternalError) {
        throw new ExternalError(`${error.message}; ${restored}`, error.code, error.hint);
      }
    }
    throw error;
  }

  /** Puts type and ENA support back as they were and starts the instance; says what it did. */
  async function restore(): Promise<string> {
    progress.item(id, "starting", "restoring the previous configuration");
    if (typeChanged) await modify({ InstanceType: { Value: facts.instanceType } });
    if (enaChanged) await modify({ EnaSupport: { Value: false } });
    await withAwsErrors({ operation: "StartInstances", region }, () => client.send(new StartInstancesCommand({ InstanceIds: [id] })));
    await wait("running");
    return `${id} was restored to ${facts.instanceType} with ENA support ${facts.enaSupport ? "on" : "off"} and started again`;
  }

  const after = snapshotOf(await readInstance(client, region, id));
  const expected: InstanceSnapshot = { state: change.start ? "running" : facts.state === "stopping" ? "stopped" : facts.state, instanceType: target.instanceType, enaSupport: true };
  const wrong = (Object.keys(expected) as (keyof InstanceSnapshot)[]).filter((key) => after[key] !== expected[key]);
  if (wrong.length > 0) {
    throw new ExternalError(
      `${id} reads back as ${describeSnapshot(after)}, expected ${describeSnapshot(expected)}`,
      "VerificationFailed",
      "the instance in the EC2 console; the change may still be settling",
    );
  }
  let statusChecks: EnaEnableResult["statusChecks"];
  if (change.start) {
    // Running is not healthy: without the ENA driver the OS comes up with no network, which only
    // the instance status check (reachability) shows.
    progress.item(id, "checking", "waiting for both status checks (system and instance) to be ok");
    const { ok, checks } = await waitForStatusChecks(client, id, {
      region,
      timeoutSeconds: options.timeoutSeconds,
      signal,
      minDelaySeconds: options.pollIntervalSeconds,
    });
    if (!ok) {
      progress.item(id, "failed", `status checks: system ${checks.system}, instance ${checks.instance}`);
      throw statusCheckFailure({
        instanceId: id,
        region,
        enaEnabled: change.enableEna,
        previousType: change.newType ? facts.instanceType : undefined,
        newType: change.newType,
        newTypeNeedsNvme: target.nvmeSupport === "required",
        checks,
      });
    }
    statusChecks = { system: checks.system, instance: checks.instance };
  }
  progress.item(id, "done", `done: ${describeSnapshot(after)}`);
  return { instanceId: id, region, noop: false, before, after, targetType: target, reminder, notes: change.notes, statusChecks };
}

/** Every mutating call the change would make, with DryRun; the reads run for real. */
export async function dryRunEnaEnable(options: EnaEnableOptions, deps: EnaEnableDependencies): Promise<EnaDryRunResult> {
  const { client, facts, target, change } = await gather(options, deps, true);
  const { region } = options;
  const id = facts.instanceId;
  const checks: PermissionCheck[] = [];
  const check = async (operation: string, what: string, send: (dryRun: true) => Promise<unknown>) =>
    checks.push(await checkPermission(send, { operation, region, target: `${id} ${what}` }));
  if (change.stop) await check("StopInstances", "stop", (DryRun) => client.send(new StopInstancesCommand({ DryRun, InstanceIds: [id] })));
  if (change.enableEna) {
    await check("ModifyInstanceAttribute", "EnaSupport", (DryRun) =>
      client.send(new ModifyInstanceAttributeCommand({ DryRun, InstanceId: id, EnaSupport: { Value: true } })),
    );
  }
  if (change.newType) {
    await check("ModifyInstanceAttribute", "InstanceType", (DryRun) =>
      client.send(new ModifyInstanceAttributeCommand({ DryRun, InstanceId: id, InstanceType: { Value: change.newType } })),
    );
  }
  if (change.start) await check("StartInstances", "start", (DryRun) => client.send(new StartInstancesCommand({ DryRun, InstanceIds: [id] })));
  deps.progress.item(id, "done", change.noop ? "nothing to do" : "checked");
  return { instanceId: id, region, change, before: snapshotOf(facts), targetType: target, checks };
}
