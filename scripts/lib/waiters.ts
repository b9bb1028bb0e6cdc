/**
 * Waiting, always with a deadline and an abort signal: instance state waits on the SDK's waiters,
 * other conditions (an attribute, the status checks) on the same waiter engine the SDK's waiters
 * use, an abortable sleep, and a bounded retry for calls AWS asks us to repeat later. Nothing
 * here loops without an end.
 */
import { setTimeout as sleepFor } from "node:timers/promises";
import {
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  EC2Client,
  waitUntilInstanceRunning,
  waitUntilInstanceStopped,
} from "@aws-sdk/client-ec2";
import { createWaiter, WaiterState } from "@smithy/core/client";
import { awsErrorCode } from "./aws-errors";
import { ExternalError } from "./cli";
import { toExternalError } from "./aws-errors";

/** Ctrl-C or SIGTERM during a wait. Work already started in AWS carries on; a rerun picks it up. */
export class InterruptedError extends ExternalError {
  constructor(what = "stopped by a signal") {
    super(what, "Interrupted", "run the same command again: it finds the work already started in AWS and continues");
    this.name = "InterruptedError";
  }
}

/** A wait that reached its deadline. */
export class DeadlineExceededError extends ExternalError {
  constructor(message: string, hint: string) {
    super(message, "DeadlineExceeded", hint);
    this.name = "DeadlineExceededError";
  }
}

function errorName(error: unknown): string | undefined {
  // By name, not instanceof: errors from Node's timers may come from another realm.
  return error !== null && typeof error === "object" ? (error as { name?: string }).name : undefined;
}

export function isAbortError(error: unknown): boolean {
  return errorName(error) === "AbortError";
}

/** Sleeps, or throws InterruptedError as soon as the signal aborts. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await sleepFor(ms, undefined, { signal });
  } catch (error) {
    if (isAbortError(error)) throw new InterruptedError();
    throw error;
  }
}

export interface RetryUntilOptions {
  /** Epoch milliseconds after which the last error is thrown. */
  readonly deadline: number;
  readonly intervalMs: number;
  readonly signal?: AbortSignal;
  readonly isRetryable: (error: unknown) => boolean;
  /** Called before each pause, e.g. to report why the call is repeated. */
  readonly onRetry?: (error: unknown) => void;
  readonly now?: () => number;
}

/**
 * Calls `work` until it succeeds, it fails with an error that is not retryable, or the deadline
 * passes (then the last error is thrown). For conditions the SDK's retry strategy does not cover,
 * such as a full concurrent-copy quota that frees up as other copies finish.
 */
export async function retryUntil<T>(work: () => Promise<T>, options: RetryUntilOptions): Promise<T> {
  const now = options.now ?? Date.now;
  let lastError: unknown;
  do {
    try {
      return await work();
    } catch (error) {
      if (!options.isRetryable(error)) throw error;
      lastError = error;
      if (now() + options.intervalMs > options.deadline) break;
      options.onRetry?.(error);
      await sleep(options.intervalMs, options.signal);
    }
  } while (now() <= options.deadline);
  throw lastError;
}

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

/** What one look at a condition found: it holds, it never will, or look again. */
export interface PollCheck<T> {
  readonly state: "done" | "failed" | "retry";
  readonly value: T;
}

export interface PollOptions {
  readonly maxWaitSeconds: number;
  /** Delays between looks grow from this (with jitter, as the SDK's waiters do) up to maxDelaySeconds. */
  readonly minDelaySeconds: number;
  readonly maxDelaySeconds: number;
  readonly signal?: AbortSignal;
}

export interface PollResult<T> {
  readonly outcome: "done" | "failed" | "timeout";
  /** What the last look found; undefined on a timeout before any look finished. */
  readonly value?: T;
}

/**
 * Looks at a condition until it holds or cannot, on the SDK's waiter engine (createWaiter: the
 * first look at once, exponential backoff with jitter, a deadline, the abort signal). An error
 * thrown by `check` ends the wait with that error; an abort throws InterruptedError.
 */
export async function pollUntil<T>(what: string, check: () => Promise<PollCheck<T>>, options: PollOptions): Promise<PollResult<T>> {
  let last: T | undefined;
  const minDelay = options.minDelaySeconds;
  const result = await createWaiter(
    {
      client: undefined,
      maxWaitTime: Math.max(options.maxWaitSeconds, minDelay * 2),
      minDelay,
      maxDelay: Math.max(options.maxDelaySeconds, minDelay),
      abortSignal: options.signal,
    },
    undefined,
    async () => {
      const found = await check();
      last = found.value;
      const state = found.state === "done" ? WaiterState.SUCCESS : found.state === "failed" ? WaiterState.FAILURE : WaiterState.RETRY;
      return { state };
    },
  );
  if (result.state === WaiterState.ABORTED || options.signal?.aborted) throw new InterruptedError(`stopped by a signal while waiting for ${what}`);
  if (result.state === WaiterState.SUCCESS) return { outcome: "done", value: last };
  if (result.state === WaiterState.FAILURE) return { outcome: "failed", value: last };
  return { outcome: "timeout", value: last };
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
