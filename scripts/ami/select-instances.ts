/**
 * The instances a command works on: given by id, by tag, or both (both must match). Terminated
 * and terminating instances are never selected by tag; naming one by id is an error.
 */
import { EC2Client, Filter, Instance, paginateDescribeInstances } from "@aws-sdk/client-ec2";
import { UsageError } from "../lib/cli";
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

const LIVE_STATES = ["pending", "running", "stopping", "stopped"];

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

export async function selectInstances(client: EC2Client, region: string, selection: InstanceSelection): Promise<Instance[]> {
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
  const gone = instances.filter((instance) => !LIVE_STATES.includes(instance.State?.Name ?? ""));
  if (gone.length > 0) {
    throw new UsageError(`${gone.map((i) => `${i.InstanceId} is ${i.State?.Name}`).join(", ")}: only live instances can be imaged`);
  }
  if (instances.length === 0) {
    const what = [...selection.instanceIds, ...selection.tags.map((t) => `tag ${t.key}=${t.value}`)].join(" and ");
    throw new UsageError(`no instance in ${region} matches ${what}`);
  }
  return instances.sort((a, b) => (a.InstanceId ?? "").localeCompare(b.InstanceId ?? ""));
}
