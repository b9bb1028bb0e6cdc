/**
 * Names, tokens and tags of what `restore` launches. The client token is derived from the
 * source instance, the copy and the drill (if any), so a repeated request returns the first
 * launch instead of a second one; the tags say what an instance is a restore or drill of, so a
 * rerun finds it and a drill cleanup terminates exactly what that drill launched.
 */
import { createHash, randomBytes } from "node:crypto";
import { Tag } from "@aws-sdk/client-ec2";
import { TAG_KEYS, TAG_LIMITS, TAG_PREFIX } from "../ami/inventory-tags";
import { TAG_TOPOLOGY } from "../../constructs/naming";
import { UsageError } from "../lib/cli";
import type { LaunchKind } from "./facts";

export const RESTORE_TAG_KEYS = {
  /** `restore` or `drill`, on instances (the images use `source` and `copy`). */
  role: TAG_KEYS.role,
  sourceInstanceId: TAG_KEYS.sourceInstanceId,
  /** The copy the instance was launched from. */
  restoredFrom: "regionpair:restored-from",
  drillId: "regionpair:drill-id",
  topology: TAG_TOPOLOGY,
} as const;

const DRILL_ID = /^drill-\d{8}-\d{6}-[0-9a-f]{4}$/;

/** A new drill id: the UTC time and four random hex digits, e.g. `drill-20240601-020304-a1b2`. */
export function newDrillId(now: Date, random: () => string = () => randomBytes(2).toString("hex")): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `drill-${stamp}-${random()}`;
}

export function parseDrillId(text: string): string {
  if (!DRILL_ID.test(text)) throw new UsageError(`--cleanup '${text}' is not a drill id (for example drill-20240601-020304-a1b2, as 'restore --drill' printed it)`);
  return text;
}

/**
 * RunInstances' client token: the same source instance restored from the same copy (in the same
 * drill) gives the same token. `attempt` moves on only when the launch the token stands for was
 * terminated: EC2 keeps answering a token with its first launch for at least 24 hours after that.
 */
export function restoreClientToken(sourceInstanceId: string, copyImageId: string, drillId: string | undefined, attempt = 0): string {
  const digest = createHash("sha256").update(`${sourceInstanceId}|${copyImageId}|${drillId ?? "restore"}|${attempt}`).digest("hex");
  // ClientToken allows 64 ASCII characters.
  return `regionpair-${digest.slice(0, 52)}`;
}

export interface LaunchLabels {
  readonly kind: LaunchKind;
  readonly topology: string;
  readonly sourceInstanceId: string;
  readonly copyImageId: string;
  readonly drillId?: string;
}

/**
 * Tags of a launched instance and its volumes and interfaces: the instance's own recorded tags
 * (a drill's Name says it is a drill, so nobody mistakes it for production), then what regionpair
 * needs to find it again. Within AWS's 50; the recorded tags give way first.
 */
export function launchTags(recorded: readonly Tag[], labels: LaunchLabels): Tag[] {
  const own: Tag[] = [
    { Key: RESTORE_TAG_KEYS.role, Value: labels.kind },
    { Key: RESTORE_TAG_KEYS.topology, Value: labels.topology },
    { Key: RESTORE_TAG_KEYS.sourceInstanceId, Value: labels.sourceInstanceId },
    { Key: RESTORE_TAG_KEYS.restoredFrom, Value: labels.copyImageId },
    ...(labels.drillId ? [{ Key: RESTORE_TAG_KEYS.drillId, Value: labels.drillId }] : []),
  ];
  const user = recorded
    .filter((tag) => tag.Key && !tag.Key.startsWith(TAG_PREFIX) && !tag.Key.startsWith("aws:"))
    .map((tag) => (labels.drillId && tag.Key === "Name" ? { Key: "Name", Value: drillName(tag.Value ?? "", labels.drillId) } : tag));
  if (labels.drillId && !user.some((tag) => tag.Key === "Name")) user.push({ Key: "Name", Value: drillName(labels.sourceInstanceId, labels.drillId) });
  return [...own, ...user.slice(0, TAG_LIMITS.maxTags - own.length)];
}

function drillName(name: string, drillId: string): string {
  return `${name} [${drillId}]`.slice(0, TAG_LIMITS.maxValueLength);
}
