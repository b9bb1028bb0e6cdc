/**
 * The instances `ami copy` images: given by id, by tag, or both (both must match). CreateImage
 * images only an instance that is running or stopped (EC2 API Reference, CreateImage). By tag,
 * an instance that is pending or stopping is skipped and reported with its state (the next run
 * images it), and terminated or terminating ones are not selected at all; an instance named by
 * id in any other state than running or stopped is refused.
 */
import { EC2Client, Filter, Instance, paginateDescribeInstances } from "@aws-sdk/client-ec2";
import { ExternalError, UsageError } from "../lib/cli";
import { withAwsErrors } from "../lib/aws-errors";

export interface TagSelector {
  readonly key: string;
  readonly value: string;
}

export interface InstanceSelection {
  readonly instanceIds: readonly string[];
  /** All must match; the same key twice matches either value (EC2 filter semantics). */
  readonly tags: readonly TagSelector[];
}

/** States in which CreateImage accepts an instance. */
export const IMAGEABLE_STATES: readonly string[] = ["running", "stopped"];
/** States of instances that exist and will be imageable later: looked up by tag to report them. */
const LIVE_STATES = ["pending", ...IMAGEABLE_STATES, "stopping"];

export interface SkippedInstance {
  readonly instanceId: string;
  readonly state: string;
}

export interface SelectedInstances {
  /** Running or stopped, sorted by id. */
  readonly instances: readonly Instance[];
  /** Matched by tag but pending or stopping. */
  readonly skipped: readonly SkippedInstance[];
}

/** Parses `key=value` as given to `--tag`. */
export function parseTagSelector(text: string): TagSelector {
  const separator = text.indexOf("=");
  if (separator <= 0) throw new UsageError(`--tag '${text}' must be key=value (for example dr:protect=true)`);
  return { key: text.slice(0, separator), value: text.slice(separator + 1) };
}

export function selectionFilters(selection: InstanceSelection): Filter[] {
  const byKey = new Map<string, string[]>();
  for (const { key, value } of selection.tags) byKey.set(key, [...(byKey.get(key) ?? []), value]);
  return [...byKey].map(([key, values]) => ({ Name: `tag:${key}`, Values: values }));
}

export async function selectInstances(client: EC2Client, region: string, selection: InstanceSelection): Promise<SelectedInstances> {
  if (selection.instanceIds.length === 0 && selection.tags.length === 0) {
    throw new UsageError("choose instances with --instance-id or --tag");
  }
  const filters = selectionFilters(selection);
  if (selection.instanceIds.length === 0) filters.push({ Name: "instance-state-name", Values: LIVE_STATES });
  const instances: Instance[] = [];
  await withAwsErrors({ operation: "DescribeInstances", region }, async () => {
    const pages = paginateDescribeInstances(
      { client },
      selection.instanceIds.length > 0
        ? { InstanceIds: [...selection.instanceIds], Filters: filters.length ? filters : undefined }
        : { Filters: filters, MaxResults: 1000 },
    );
    for await (const page of pages) {
      for (const reservation of page.Reservations ?? []) instances.push(...(reservation.Instances ?? []));
    }
  });
  const state = (instance: Instance) => instance.State?.Name ?? "unknown";
  const notImageable = instances.filter((instance) => !IMAGEABLE_STATES.includes(state(instance))).sort(byId);
  if (selection.instanceIds.length > 0 && notImageable.length > 0) {
    throw new UsageError(
      `${notImageable.map((i) => `${i.InstanceId} is ${state(i)}`).join(", ")}: CreateImage needs a running or stopped instance; wait until it is running or stopped, or leave it out`,
    );
  }
  if (instances.length === 0) {
    const what = [...selection.instanceIds, ...selection.tags.map((t) => `tag ${t.key}=${t.value}`)].join(" and ");
    throw new UsageError(`no instance in ${region} matches ${what}`);
  }
  return {
    instances: instances.filter((instance) => IMAGEABLE_STATES.includes(state(instance))).sort(byId),
    skipped: notImageable.map((instance) => ({ instanceId: instance.InstanceId!, state: state(instance) })),
  };
}

/** How a skipped instance is reported. */
export function describeSkipped(skipped: SkippedInstance): string {
  return `${skipped.instanceId} is ${skipped.state}: skipped, CreateImage needs a running or stopped instance (the next run images it)`;
}

/**
 * Fails when every matching instance was skipped: a run that can image nothing has not done its
 * job, even though nothing went wrong.
 */
export function requireImageable(selected: SelectedInstances, region: string): void {
  if (selected.instances.length > 0) return;
  throw new ExternalError(
    `no instance in ${region} can be imaged now: ${selected.skipped.map((s) => `${s.instanceId} is ${s.state}`).join(", ")}`,
    "IncorrectInstanceState",
    "run again once the instances are running or stopped",
  );
}

function byId(a: Instance, b: Instance): number {
  return (a.InstanceId ?? "").localeCompare(b.InstanceId ?? "");
}
