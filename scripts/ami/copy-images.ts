/**
 * The work of `ami copy`: for each selected instance, an image in its Region (CreateImage), then
 * an encrypted copy in the DR Region (CopyImage), both tagged with the instance's inventory; then
 * retention. Idempotent: images of the same capture are found by their tags (or by their unique
 * name) and waited for instead of made again, and CopyImage carries a deterministic client token.
 * Bounded: at most `concurrency` instances at a time, and snapshot copies within AWS's
 * per-destination quota; all waiting is one batched DescribeImages per Region per poll round.
 */
import {
  CopyImageCommand,
  CreateImageCommand,
  DescribeImagesCommand,
  GetEbsDefaultKmsKeyIdCommand,
  Image,
  Instance,
} from "@aws-sdk/client-ec2";
import { Ec2Clients } from "../lib/aws";
import { awsErrorCode, toExternalError, withAwsErrors } from "../lib/aws-errors";
import { ExternalError } from "../lib/cli";
import { FailureReport } from "./retention";
import { WeightedSemaphore } from "../lib/concurrency";
import { Progress } from "../lib/progress";
import { InterruptedError, retryUntil } from "../lib/waiters";
import { ImagePoller, ImageWaitError } from "./image-poller";
import { copyImageTags, InstanceInventory, instanceTagsLeftOff, inventoryFromInstance, sourceImageTags } from "./inventory-tags";
import { findManagedImages, ManagedImage } from "./managed-images";
import { captureDescription, captureImageName, copyClientToken } from "./naming";
import { applyRetention, RemovedImage, removeImage } from "./retention";
import { InstanceSelection, selectInstances } from "./select-instances";

/**
 * AWS allows 20 concurrent snapshot copies per destination Region (and 100 concurrent AMI
 * copies); an AMI copy copies all its snapshots at once, so copies are weighted by snapshots.
 */
export const SNAPSHOT_COPIES_PER_DESTINATION = 20;
export const AMI_COPIES_PER_DESTINATION = 100;

export interface AmiCopyOptions {
  readonly sourceRegion: string;
  readonly targetRegion: string;
  readonly selection: InstanceSelection;
  /** Reboot before imaging for a consistent file system. @default true */
  readonly reboot: boolean;
  readonly captureId: string;
  /** KMS key for the copies in the target Region. @default the account's default EBS key there */
  readonly kmsKeyId?: string;
  /** Images to keep per instance and Region; undefined keeps everything. */
  readonly keep?: number;
  /** Instances worked on at once. */
  readonly concurrency: number;
  /** Longest wait for one image to become available. */
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
}

export interface AmiCopyDependencies {
  readonly clients: Ec2Clients;
  readonly progress: Progress;
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
}

export type { FailureReport } from "./retention";

export interface InstanceOutcome {
  readonly instanceId: string;
  readonly name?: string;
  readonly status: "copied" | "failed";
  readonly sourceImageId?: string;
  readonly copyImageId?: string;
  /** False when the image came from an earlier run of the same capture. */
  readonly createdSourceImage: boolean;
  readonly createdCopy: boolean;
  readonly error?: FailureReport;
}

export interface AmiCopyResult {
  readonly sourceRegion: string;
  readonly targetRegion: string;
  readonly captureId: string;
  /** The key the copies are encrypted with, as given or as EC2 reports the default. */
  readonly kmsKeyId: string;
  readonly instances: readonly InstanceOutcome[];
  readonly removed: readonly RemovedImage[];
  readonly retentionErrors: readonly FailureReport[];
  readonly stats: {
    readonly pollRounds: { readonly source: number; readonly target: number };
    readonly peakInstancesInProgress: number;
    readonly peakSnapshotCopies: number;
  };
}

interface Captured {
  readonly image: Image;
  readonly created: boolean;
}

const FAILED_STATES = new Set(["failed", "error", "invalid"]);
const STATE_PREFERENCE = ["available", "pending"];

/** Of several images of the same capture, the one to continue with: available, else pending, else any. */
function preferred(images: readonly ManagedImage[]): ManagedImage | undefined {
  return [...images].sort((a, b) => rank(a.state) - rank(b.state) || b.capturedAt.getTime() - a.capturedAt.getTime())[0];
}

function rank(state: string): number {
  const index = STATE_PREFERENCE.indexOf(state);
  return index === -1 ? STATE_PREFERENCE.length : index;
}

function snapshotCount(image: Image): number {
  return Math.max(1, (image.BlockDeviceMappings ?? []).filter((m) => m.Ebs?.SnapshotId).length);
}

export async function runAmiCopy(options: AmiCopyOptions, deps: AmiCopyDependencies): Promise<AmiCopyResult> {
  const { progress, signal } = deps;
  const now = deps.now ?? (() => new Date());
  const { sourceRegion, targetRegion } = options;
  const source = deps.clients.forRegion(sourceRegion);
  const target = deps.clients.forRegion(targetRegion);

  const instances = await selectInstances(source, sourceRegion, options.selection);
  const instanceIds = instances.map((i) => i.InstanceId!);
  progress.note(`capture ${options.captureId}: ${instances.length} instance(s) in ${sourceRegion}, encrypted copies to ${targetRegion}`);
  if (!options.reboot) {
    progress.warn("--no-reboot: images are crash-consistent; data not yet written to disk (buffers, open databases) is not in them");
  }
  for (const id of instanceIds) progress.item(id, "queued", "queued");

  const kmsKeyId = options.kmsKeyId ?? (await defaultEbsKmsKey(deps.clients, targetRegion));
  const [sourceImages, copies] = await Promise.all([
    findManagedImages(source, sourceRegion, { instanceIds, role: "source" }),
    findManagedImages(target, targetRegion, { instanceIds, role: "copy" }),
  ]);

  const pollerOptions = (region: string) => ({
    region,
    intervalMs: options.pollIntervalMs,
    signal,
    onTransientError: (error: unknown) => progress.warn(`DescribeImages in ${region}: ${awsErrorCode(error)}; trying again next round`),
  });
  const sourcePoller = new ImagePoller(source, pollerOptions(sourceRegion));
  const targetPoller = new ImagePoller(target, pollerOptions(targetRegion));
  const instanceSlots = new WeightedSemaphore(options.concurrency);
  const snapshotCopySlots = new WeightedSemaphore(SNAPSHOT_COPIES_PER_DESTINATION);
  const deadline = () => Date.now() + options.timeoutMs;

  async function createSourceImage(instance: Instance, inventory: InstanceInventory): Promise<string> {
    const name = captureImageName(inventory.instanceId, options.captureId);
    const labels = { captureId: options.captureId, capturedAt: now(), rebooted: options.reboot, sourceRegion };
    const tags = sourceImageTags(inventory, labels);
    const leftOff = instanceTagsLeftOff(inventory, labels);
    if (leftOff.length > 0) {
      progress.warn(`${inventory.instanceId}: ${leftOff.length} of its tag(s) left off its image to stay within 50 tags, so a restore will not set them: ${leftOff.join(", ")}`);
    }
    try {
      const output = await source.send(
        new CreateImageCommand({
          InstanceId: instance.InstanceId,
          Name: name,
          Description: captureDescription(inventory.instanceId, inventory.name, options.captureId),
          NoReboot: !options.reboot,
          TagSpecifications: [
            { ResourceType: "image", Tags: tags },
            { ResourceType: "snapshot", Tags: tags },
          ],
        }),
      );
      return output.ImageId!;
    } catch (error) {
      // The name is taken: this capture's image exists already (an earlier request whose answer
      // was lost, or a run at the same time). Continue with it.
      if (awsErrorCode(error) !== "InvalidAMIName.Duplicate") throw toExternalError(error, { operation: "CreateImage", region: sourceRegion });
      const existing = await withAwsErrors({ operation: "DescribeImages", region: sourceRegion }, () =>
        source.send(new DescribeImagesCommand({ Owners: ["self"], Filters: [{ Name: "name", Values: [name] }] })),
      );
      const imageId = existing.Images?.[0]?.ImageId;
      if (!imageId) throw toExternalError(error, { operation: "CreateImage", region: sourceRegion });
      return imageId;
    }
  }

  async function ensureSourceImage(instance: Instance, inventory: InstanceInventory): Promise<Captured> {
    const id = inventory.instanceId;
    let current = preferred(sourceImages.filter((i) => i.sourceInstanceId === id && i.captureId === options.captureId));
    if (current && FAILED_STATES.has(current.state)) {
      progress.note(`${id}: image ${current.imageId} of this capture is ${current.state} (${current.stateReason ?? "no reason given"}); replacing it`);
      await removeImage(source, current);
      current = undefined;
    }
    if (current?.state === "available") {
      progress.item(id, "imaging", `image ${current.imageId} in ${sourceRegion} exists from an earlier run`);
      return { image: current.image, created: false };
    }
    const imageId = current?.imageId ?? (await createSourceImage(instance, inventory));
    progress.item(id, "imaging", `${current ? "waiting for" : "imaging"} ${imageId} in ${sourceRegion}`);
    return { image: await sourcePoller.waitUntilAvailable(imageId, deadline()), created: !current };
  }

  async function ensureCopy(id: string, sourceImage: Image): Promise<Captured> {
    const sourceImageId = sourceImage.ImageId!;
    let current = preferred(copies.filter((c) => c.sourceImageId === sourceImageId));
    let replacing: string | undefined;
    if (current && FAILED_STATES.has(current.state)) {
      progress.note(`${id}: copy ${current.imageId} is ${current.state} (${current.stateReason ?? "no reason given"}); replacing it`);
      await removeImage(target, current);
      replacing = current.imageId;
      current = undefined;
    }
    if (current?.state === "available") {
      progress.item(id, "copying", `copy ${current.imageId} in ${targetRegion} exists from an earlier run`);
      return { image: current.image, created: false };
    }
    // A copy in progress holds AWS's copy quota whether this run started it or an earlier one.
    return snapshotCopySlots.run(snapshotCount(sourceImage), async () => {
      const copyId = current?.imageId ?? (await startCopy(id, sourceImage, replacing));
      progress.item(id, "copying", `${current ? "waiting for copy" : "copying"} ${sourceImageId} → ${copyId} in ${targetRegion}`);
      return { image: await targetPoller.waitUntilAvailable(copyId, deadline()), created: !current };
    });
  }

  async function startCopy(id: string, sourceImage: Image, replacing: string | undefined): Promise<string> {
    const sourceImageId = sourceImage.ImageId!;
    const { tags, dropped } = copyImageTags(sourceImage.Tags, sourceImageId);
    if (dropped.length > 0) {
      progress.warn(`${id}: ${dropped.length} tag(s) of ${sourceImageId} left off the copy to stay within 50 tags: ${dropped.join(", ")}`);
    }
    const output = await withAwsErrors({ operation: "CopyImage", region: targetRegion }, () =>
      retryUntil(
        () =>
          target.send(
            new CopyImageCommand({
              SourceImageId: sourceImageId,
              SourceRegion: sourceRegion,
              Name: sourceImage.Name ?? captureImageName(id, options.captureId),
              Description: sourceImage.Description,
              Encrypted: true,
              KmsKeyId: options.kmsKeyId,
              ClientToken: copyClientToken(sourceImageId, targetRegion, replacing),
              TagSpecifications: [
                { ResourceType: "image", Tags: tags },
                { ResourceType: "snapshot", Tags: tags },
              ],
            }),
          ),
        {
          // The per-destination copy quota is full (also with other tools' copies): wait for a slot.
          isRetryable: (error) => awsErrorCode(error) === "ResourceLimitExceeded",
          intervalMs: options.pollIntervalMs,
          deadline: deadline(),
          signal,
          onRetry: () => progress.item(id, "copying", `waiting for a free copy slot in ${targetRegion} (ResourceLimitExceeded)`),
        },
      ),
    );
    return output.ImageId!;
  }

  async function captureInstance(instance: Instance): Promise<InstanceOutcome> {
    const inventory = inventoryFromInstance(instance);
    const id = inventory.instanceId;
    let sourceImage: Captured | undefined;
    try {
      sourceImage = await ensureSourceImage(instance, inventory);
      const copy = await ensureCopy(id, sourceImage.image);
      progress.item(id, "done", `done: ${sourceImage.image.ImageId} → ${copy.image.ImageId} in ${targetRegion}`);
      return {
        instanceId: id,
        name: inventory.name,
        status: "copied",
        sourceImageId: sourceImage.image.ImageId,
        copyImageId: copy.image.ImageId,
        createdSourceImage: sourceImage.created,
        createdCopy: copy.created,
      };
    } catch (error) {
      if (error instanceof InterruptedError) throw error;
      const failure = describeFailure(error, options);
      progress.item(id, "failed", `failed: ${failure.code ? `${failure.code}: ` : ""}${failure.message}`);
      return {
        instanceId: id,
        name: inventory.name,
        status: "failed",
        sourceImageId: sourceImage?.image.ImageId,
        createdSourceImage: sourceImage?.created ?? false,
        createdCopy: false,
        error: failure,
      };
    }
  }

  const settled = await Promise.allSettled(instances.map((instance) => instanceSlots.run(1, () => captureInstance(instance))));
  if (signal?.aborted) throw new InterruptedError("stopped by a signal; images already requested keep going in AWS");
  const outcomes = settled.map((result) => {
    if (result.status === "rejected") throw result.reason;
    return result.value;
  });

  // Only instances whose capture landed in both Regions are pruned.
  const copied = outcomes.filter((o) => o.status === "copied").map((o) => o.instanceId);
  const { removed, errors: retentionErrors } =
    options.keep === undefined || copied.length === 0
      ? { removed: [], errors: [] }
      : await applyRetention(
          [
            { region: sourceRegion, client: source, role: "source" },
            { region: targetRegion, client: target, role: "copy" },
          ],
          copied,
          options.keep,
          progress,
        );

  return {
    sourceRegion,
    targetRegion,
    captureId: options.captureId,
    kmsKeyId,
    instances: outcomes,
    removed,
    retentionErrors,
    stats: {
      pollRounds: { source: sourcePoller.pollRounds, target: targetPoller.pollRounds },
      peakInstancesInProgress: instanceSlots.peak,
      peakSnapshotCopies: snapshotCopySlots.peak,
    },
  };
}

/** The key EC2 uses for `Encrypted` without `KmsKeyId`: the account's default for EBS in the Region. */
export async function defaultEbsKmsKey(clients: Ec2Clients, region: string): Promise<string> {
  const output = await withAwsErrors({ operation: "GetEbsDefaultKmsKeyId", region }, () =>
    clients.forRegion(region).send(new GetEbsDefaultKmsKeyIdCommand({})),
  );
  return output.KmsKeyId ?? "alias/aws/ebs";
}

/** An instance's failure as the user should read it; bugs are rethrown. */
function describeFailure(error: unknown, options: AmiCopyOptions): FailureReport {
  if (error instanceof ImageWaitError) {
    const isCopy = error.region === options.targetRegion;
    if (error.failure === "timeout") {
      return {
        code: "DeadlineExceeded",
        message: `${error.message} (--timeout ${Math.round(options.timeoutMs / 60_000)} min)`,
        hint: "the image keeps going in AWS: run the command again later and it waits for it, or raise --timeout",
      };
    }
    if (error.failure === "deregistered") {
      return { code: "ImageDeregistered", message: error.message, hint: "whether someone deregistered it; run the command again to make it anew" };
    }
    return {
      code: error.stateReason?.code ?? (isCopy ? "ImageCopyFailed" : "ImageCreationFailed"),
      message: error.message,
      hint: isCopy
        ? `the KMS key: it must exist in ${options.targetRegion} (keys are regional), be enabled, and let the role use it (kms:CreateGrant, kms:Decrypt, kms:DescribeKey, kms:GenerateDataKeyWithoutPlaintext, kms:ReEncrypt*) — ${options.kmsKeyId ? `--kms-key ${options.kmsKeyId}` : `the account's default EBS key in ${options.targetRegion}`}; run the command again to retry the copy`
        : "the image's state reason in the EC2 console; run the command again to image the instance anew",
    };
  }
  const external = toExternalError(error);
  if (external instanceof ExternalError) return { code: external.code, message: external.message, hint: external.hint };
  throw error;
}
