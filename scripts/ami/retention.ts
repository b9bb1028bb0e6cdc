/**
 * Retention (`--keep N`): per source instance and per Region, the N newest available images stay;
 * older ones are deregistered and their snapshots deleted. Never removed: the newest available
 * image, an image that is still pending (a copy in progress), and a source image whose copy is
 * still in progress. Failed images older than the newest available one are removed too.
 */
import { DeleteSnapshotCommand, DeregisterImageCommand, EC2Client } from "@aws-sdk/client-ec2";
import { awsErrorCode, toExternalError, withAwsErrors } from "../lib/aws-errors";
import { ExternalError } from "../lib/cli";
import { Progress } from "../lib/progress";
import { ImageRole } from "./inventory-tags";
import { imageCondition } from "./image-states";
import { findManagedImages, ManagedImage } from "./managed-images";

export interface RetentionPlan {
  readonly remove: readonly ManagedImage[];
  readonly keep: readonly ManagedImage[];
}

/** Decides what to remove; pure, so every rule above is tested without AWS. */
export function planRetention(images: readonly ManagedImage[], keep: number): RetentionPlan {
  if (!Number.isInteger(keep) || keep < 1) throw new RangeError(`keep must be at least 1 (the newest image is never removed), got ${keep}`);
  const copyInProgress = new Set(
    images.filter((i) => i.role === "copy" && i.state === "pending" && i.sourceImageId).map((i) => i.sourceImageId!),
  );
  const groups = new Map<string, ManagedImage[]>();
  for (const image of images) {
    const group = `${image.region}|${image.role}|${image.sourceInstanceId}`;
    groups.set(group, [...(groups.get(group) ?? []), image]);
  }
  const remove: ManagedImage[] = [];
  for (const group of groups.values()) {
    const available = group
      .filter((i) => i.state === "available")
      .sort((a, b) => b.capturedAt.getTime() - a.capturedAt.getTime() || b.imageId.localeCompare(a.imageId));
    if (available.length === 0) continue;
    const kept = new Set(available.slice(0, keep));
    const newest = available[0];
    for (const image of group) {
      const removable =
        image.state === "available" ? !kept.has(image) : imageCondition(image.state) === "broken" && image.capturedAt < newest.capturedAt;
      if (removable && !copyInProgress.has(image.imageId)) remove.push(image);
    }
  }
  const removed = new Set(remove.map((i) => i.imageId));
  return { remove, keep: images.filter((i) => !removed.has(i.imageId)) };
}

export interface RemovedImage {
  readonly imageId: string;
  readonly region: string;
  readonly sourceInstanceId: string;
  readonly deletedSnapshotIds: readonly string[];
  /** Snapshots that could not be deleted, with the AWS code (e.g. still used by another AMI). */
  readonly keptSnapshots: ReadonlyArray<{ readonly snapshotId: string; readonly code: string }>;
}

/** Deregisters one image, then deletes its snapshots (AWS keeps them after deregistration). */
export async function removeImage(client: EC2Client, image: ManagedImage): Promise<RemovedImage> {
  await withAwsErrors({ operation: "DeregisterImage", region: image.region }, () =>
    client.send(new DeregisterImageCommand({ ImageId: image.imageId })),
  );
  const deleted: string[] = [];
  const kept: Array<{ snapshotId: string; code: string }> = [];
  for (const snapshotId of image.snapshotIds) {
    try {
      await client.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }));
      deleted.push(snapshotId);
    } catch (error) {
      const code = awsErrorCode(error);
      // Shared with another AMI, or already gone: the image is deregistered either way.
      if (code === "InvalidSnapshot.InUse" || code === "InvalidSnapshot.NotFound") kept.push({ snapshotId, code });
      else throw toExternalError(error, { operation: "DeleteSnapshot", region: image.region });
    }
  }
  return { imageId: image.imageId, region: image.region, sourceInstanceId: image.sourceInstanceId, deletedSnapshotIds: deleted, keptSnapshots: kept };
}

/** A failure as the user should read it: AWS code, message, what to check. */
export interface FailureReport {
  readonly code?: string;
  readonly message: string;
  readonly hint?: string;
}

/** Where retention looks: the source images in one Region, the copies in the other. */
export interface ImageLocation {
  readonly region: string;
  readonly client: EC2Client;
  readonly role: ImageRole;
}

/**
 * Finds the regionpair images of `instanceIds` in each location and removes what the plan says.
 * A removal that fails is reported and the others go on; bugs are rethrown.
 */
export async function applyRetention(
  locations: readonly ImageLocation[],
  instanceIds: readonly string[],
  keep: number,
  progress: Progress,
): Promise<{ removed: RemovedImage[]; errors: FailureReport[] }> {
  const found = await Promise.all(locations.map(({ client, region, role }) => findManagedImages(client, region, { instanceIds, role })));
  const clientFor = (region: string) => locations.find((l) => l.region === region)!.client;
  const removed: RemovedImage[] = [];
  const errors: FailureReport[] = [];
  for (const image of planRetention(found.flat(), keep).remove) {
    try {
      removed.push(await removeImage(clientFor(image.region), image));
      progress.note(`--keep ${keep}: removed ${image.imageId} (${image.role} of ${image.sourceInstanceId}, captured ${image.capturedAt.toISOString()}) in ${image.region}`);
    } catch (error) {
      const external = toExternalError(error);
      if (!(external instanceof ExternalError)) throw error;
      errors.push({ code: external.code, message: external.message, hint: external.hint });
      progress.warn(`--keep ${keep}: could not remove ${image.imageId} in ${image.region}: ${external.message}`);
    }
  }
  return { removed, errors };
}
