/**
 * Waiting on many instances at once: one Describe call per round for every instance still
 * waiting (not one waiter per instance), with a deadline, backoff between rounds and the abort
 * signal. Used for the instance state, the status checks and Systems Manager registration.
 */
import { DescribeInstanceStatusCommand, DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeInstanceInformationCommand, SSMClient } from "@aws-sdk/client-ssm";
import { withAwsErrors } from "../lib/aws-errors";
import { sleep } from "../lib/retry";

export interface PollOptions {
  /** Epoch milliseconds. */
  readonly deadline: number;
  readonly signal?: AbortSignal;
  /** First pause between rounds; it grows by half each round up to `maxIntervalMs`. */
  readonly minIntervalMs: number;
  readonly maxIntervalMs: number;
  readonly now?: () => number;
}

export interface Polled<T> {
  /** The last value seen, if any. */
  readonly value?: T;
  /** It reached a final value before the deadline. */
  readonly settled: boolean;
}

/**
 * Calls `probe` with the ids not settled yet until every id is settled or the deadline passes.
 * `onRound` sees each round's values (for progress).
 */
export async function pollUntilSettled<T>(
  ids: readonly string[],
  probe: (pending: readonly string[]) => Promise<ReadonlyMap<string, T>>,
  isSettled: (value: T) => boolean,
  options: PollOptions,
  onRound?: (values: ReadonlyMap<string, T>) => void,
): Promise<Map<string, Polled<T>>> {
  const now = options.now ?? Date.now;
  const results = new Map<string, Polled<T>>(ids.map((id) => [id, { settled: false }]));
  let interval = options.minIntervalMs;
  for (;;) {
    const pending = [...results].filter(([, r]) => !r.settled).map(([id]) => id);
    if (pending.length === 0) return results;
    const values = await probe(pending);
    for (const id of pending) {
      const value = values.get(id);
      if (value !== undefined) results.set(id, { value, settled: isSettled(value) });
    }
    onRound?.(values);
    if ([...results.values()].every((r) => r.settled)) return results;
    if (now() + interval > options.deadline) return results;
    await sleep(interval, options.signal);
    interval = Math.min(options.maxIntervalMs, Math.ceil(interval * 1.5));
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Instance state names (`pending`, `running`, ...). */
export function instanceStates(ec2: EC2Client, region: string, signal?: AbortSignal) {
  return (ids: readonly string[]) =>
    withAwsErrors({ operation: "DescribeInstances", region }, async () => {
      const states = new Map<string, string>();
      for (const batch of chunks(ids, 1000)) {
        const { Reservations } = await ec2.send(new DescribeInstancesCommand({ InstanceIds: batch }), { abortSignal: signal });
        for (const instance of (Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
          if (instance.InstanceId && instance.State?.Name) states.set(instance.InstanceId, instance.State.Name);
        }
      }
      return states;
    });
}

export interface StatusChecks {
  /** `ok`, `impaired`, `initializing`, `insufficient-data`, `not-applicable`. */
  readonly instance: string;
  readonly system: string;
}

export function statusChecksSettled(checks: StatusChecks): boolean {
  return (checks.instance === "ok" && checks.system === "ok") || checks.instance === "impaired" || checks.system === "impaired";
}

/** The two EC2 status checks of each instance. */
export function statusChecks(ec2: EC2Client, region: string, signal?: AbortSignal) {
  return (ids: readonly string[]) =>
    withAwsErrors({ operation: "DescribeInstanceStatus", region }, async () => {
      const checks = new Map<string, StatusChecks>();
      for (const batch of chunks(ids, 100)) {
        const { InstanceStatuses } = await ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: batch, IncludeAllInstances: true }), { abortSignal: signal });
        for (const s of InstanceStatuses ?? []) {
          if (s.InstanceId) checks.set(s.InstanceId, { instance: s.InstanceStatus?.Status ?? "insufficient-data", system: s.SystemStatus?.Status ?? "insufficient-data" });
        }
      }
      return checks;
    });
}

/** Systems Manager's PingStatus of each instance that registered (`Online`, `ConnectionLost`, ...). */
export function ssmPingStatus(ssm: SSMClient, region: string, signal?: AbortSignal) {
  return (ids: readonly string[]) =>
    withAwsErrors({ operation: "DescribeInstanceInformation", region, service: "ssm" }, async () => {
      const statuses = new Map<string, string>();
      for (const batch of chunks(ids, 50)) {
        let NextToken: string | undefined;
        do {
          const page = await ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: "InstanceIds", Values: batch }], MaxResults: 50, NextToken }), { abortSignal: signal });
          for (const node of page.InstanceInformationList ?? []) if (node.InstanceId && node.PingStatus) statuses.set(node.InstanceId, node.PingStatus);
          NextToken = page.NextToken;
        } while (NextToken);
      }
      return statuses;
    });
}
