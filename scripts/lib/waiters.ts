/**
 * Waiting for instances, always with a deadline and an abort signal: state waits on the SDK's
 * waiters, the status checks on the same waiter engine (pollUntil in retry.ts).
 */
import {
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  EC2Client,
  waitUntilInstanceRunning,
  waitUntilInstanceStopped,
} from "@aws-sdk/client-ec2";
import { awsErrorCode } from "./aws-errors";
import { ExternalError } from "./cli";
import { DeadlineExceededError, InterruptedError, PollCheck, errorName, isAbortError, pollUntil } from "./retry";
import { toExternalError } from "./aws-errors";

export type WaitableInstanceState = "stopped" | "running";

export interface InstanceWaitOptions {
  readonly region: string;
  readonly timeoutSeconds: number;
  readonly signal?: AbortSignal;
  /** Seconds between DescribeInstances calls. @default 5 to 15 (the SDK backs off between them) */
  readonly minDelaySeconds?: number;
  readonly maxDelaySeconds?: number;
}

/**
 * Waits until the instance is in `state`, on the SDK's waiter, with a deadline. A timeout, an
 * interrupt, or an instance that ends up in another state become ExternalErrors saying which.
 */
export async function waitForInstanceState(
  client: EC2Client,
  instanceId: string,
  state: WaitableInstanceState,
  options: InstanceWaitOptions,
): Promise<void> {
  const waiter = state === "stopped" ? waitUntilInstanceStopped : waitUntilInstanceRunning;
  const minDelay = options.minDelaySeconds ?? 5;
  try {
    await waiter(
      {
        client,
        maxWaitTime: Math.max(options.timeoutSeconds, minDelay + 1),
        minDelay,
        maxDelay: Math.max(options.maxDelaySeconds ?? 15, minDelay),
        abortSignal: options.signal,
      },
      { InstanceIds: [instanceId] },
    );
  } catch (error) {
    if (options.signal?.aborted || isAbortError(error)) throw new InterruptedError(`stopped by a signal while waiting for ${instanceId} to be ${state}`);
    if (errorName(error) === "TimeoutError") {
      throw new DeadlineExceededError(
        `${instanceId} was not ${state} within ${options.timeoutSeconds} s`,
        `the instance in the EC2 console or 'aws ec2 describe-instances --instance-ids ${instanceId} --region ${options.region}'; raise --timeout if it is still changing state`,
      );
    }
    const external = toExternalError(error, { operation: "DescribeInstances", region: options.region });
    if (external instanceof ExternalError) throw external;
    // The waiter reached a state from which `state` cannot follow: say which one.
    const actual = await describeInstanceState(client, instanceId, options.region);
    throw new ExternalError(
      `${instanceId} is ${actual.name}${actual.reason ? ` (${actual.reason})` : ""} instead of ${state}`,
      "UnexpectedInstanceState",
      `the instance's state reason in the EC2 console or 'aws ec2 describe-instances --instance-ids ${instanceId} --region ${options.region}'`,
    );
  }
}

async function describeInstanceState(client: EC2Client, instanceId: string, region: string): Promise<{ name: string; reason?: string }> {
  try {
    const output = await client.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    const instance = output.Reservations?.[0]?.Instances?.[0];
    return { name: instance?.State?.Name ?? "unknown", reason: instance?.StateReason?.Message };
  } catch (error) {
    throw toExternalError(error, { operation: "DescribeInstances", region });
  }
}

/** DescribeInstanceStatus for one instance: each check's status and the names of failed details. */
export interface StatusChecks {
  /** AWS's side: the host, its network and power. */
  readonly system: string;
  /** The instance's side: the operating system answers (reachability). */
  readonly instance: string;
  /** e.g. `instance reachability failed`. */
  readonly failed: readonly string[];
}

/**
 * Waits until both status checks of a running instance are `ok` (DescribeInstanceStatus,
 * SystemStatus and InstanceStatus), or until one is `impaired`, which it returns: the caller
 * says what that means. A wait past the deadline is a DeadlineExceededError.
 */
export async function waitForStatusChecks(client: EC2Client, instanceId: string, options: InstanceWaitOptions): Promise<{ readonly ok: boolean; readonly checks: StatusChecks }> {
  const minDelay = options.minDelaySeconds ?? 15;
  const result = await pollUntil(
    `the status checks of ${instanceId}`,
    async (): Promise<PollCheck<StatusChecks | undefined>> => {
      let output;
      try {
        output = await client.send(new DescribeInstanceStatusCommand({ InstanceIds: [instanceId], IncludeAllInstances: true }));
      } catch (error) {
        // A just-started instance may not be visible to every endpoint yet.
        if (awsErrorCode(error) === "InvalidInstanceID.NotFound") return { state: "retry", value: undefined };
        throw toExternalError(error, { operation: "DescribeInstanceStatus", region: options.region });
      }
      const status = output.InstanceStatuses?.find((s) => s.InstanceId === instanceId);
      if (!status) return { state: "retry", value: undefined };
      const checks: StatusChecks = {
        system: status.SystemStatus?.Status ?? "unknown",
        instance: status.InstanceStatus?.Status ?? "unknown",
        failed: [
          ...(status.SystemStatus?.Details ?? []).filter((d) => d.Status === "failed").map((d) => `system ${d.Name}`),
          ...(status.InstanceStatus?.Details ?? []).filter((d) => d.Status === "failed").map((d) => `instance ${d.Name}`),
        ],
      };
      if (checks.system === "ok" && checks.instance === "ok") return { state: "done", value: checks };
      if (checks.system === "impaired" || checks.instance === "impaired") return { state: "failed", value: checks };
      // initializing, insufficient-data: the checks have not finished.
      return { state: "retry", value: checks };
    },
    { maxWaitSeconds: options.timeoutSeconds, minDelaySeconds: minDelay, maxDelaySeconds: Math.max(options.maxDelaySeconds ?? 60, minDelay), signal: options.signal },
  );
  if (result.outcome === "timeout") {
    const last = result.value ? `system ${result.value.system}, instance ${result.value.instance}` : "not reported yet";
    throw new DeadlineExceededError(
      `the status checks of ${instanceId} were not both ok within ${options.timeoutSeconds} s (${last})`,
      `the instance's status checks in the EC2 console or 'aws ec2 describe-instance-status --instance-ids ${instanceId} --region ${options.region}'; raise --timeout if they are still initializing`,
    );
  }
  return { ok: result.outcome === "done", checks: result.value! };
}
