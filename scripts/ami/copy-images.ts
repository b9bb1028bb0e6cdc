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
  EC2Client,
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
import { InterruptedError, retryUntil } from "../lib/retry";
import { ImagePoller, ImageWaitError } from "./image-poller";
import { ImageCondition, imageCondition, willNeverBeAvailable } from "./image-states";
import { copyImageRequest, createImageRequest } from "./image-requests";
import { InstanceInventory, instanceTagsLeftOff, inventoryFromInstance } from "./inventory-tags";
import { findManagedImages, ManagedImage, toManagedImage } from "./managed-images";
import { applyRetention, RemovedImage, removeImage } from "./retention";
import { describeSkipped, InstanceSelection, requireImageable, selectInstances, SkippedInstance } from "./select-instances";

/**
 * AWS allows 20 concurrent snapshot copies per destination Region (and 100 concurrent AMI
 * copies); an AMI copy copies all its snapshots at once, so copies are weighted by snapshots.
 */
export const SNAPSHOT_COPIES_PER_DESTINATION = 20;
export const AMI_COPIES_PER_DESTINATION = 100;

const DEFAULT_COPY_VISIBLE_WITHIN_MS = 2 * 60_000;
/** Fresh copies started in turn for one image when client tokens keep answering with copies that are gone. */
const MAX_FRESH_COPIES = 3;

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
  /**
   * Longest wait for the copy CopyImage answered with to show up in DescribeImages at all
   * (DescribeImages is eventually consistent). One that does not is gone: the client token's
   * remembered answer named a copy since deregistered. @default 2 minutes
   */
  readonly copyVisibleWithinMs?: number;
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
  /** Matched by tag but pending or stopping, so not imaged by this run. */
  readonly skipped: readonly SkippedInstance[];
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

const CONDITION_PREFERENCE: readonly ImageCondition[] = ["available", "in-progress", "disabled", "broken"];

/**
 * Of several images of the same capture, the one to continue with: available, else in progress,
 * else a disabled or broken one (to report or replace). A deregistered image is not there.
 */
function preferred(images: readonly ManagedImage[]): ManagedImage | undefined {
  const rank = (image: ManagedImage) => CONDITION_PREFERENCE.indexOf(imageCondition(image.state));
  return images
    .filter((image) => imageCondition(image.state) !== "gone")
    .sort((a, b) => rank(a) - rank(b) || b.capturedAt.getTime() - a.capturedAt.getTime())[0];
}

/** A disabled image was disabled on purpose: regionpair neither uses nor replaces it. */
function disabledImageError(image: Pick<ManagedImage, "imageId" | "region" | "role">): ExternalError {
  return new ExternalError(
    `${image.imageId} in ${image.region}, this capture's ${image.role === "copy" ? "copy" : "image"}, is disabled`,
    "ImageDisabled",
    `enable it ('aws ec2 enable-image --image-id ${image.imageId} --region ${image.region}') to continue with it, or deregister it so that the next run makes it anew`,
  );
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

  const selected = await selectInstances(source, sourceRegion, options.selection);
  for (const skipped of selected.skipped) progress.warn(describeSkipped(skipped));
  requireImageable(selected, sourceRegion);
  const { instances } = selected;
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

  async function createSourceImage(inventory: InstanceInventory): Promise<string> {
    const capturedAt = now();
    const request = createImageRequest(inventory, options, capturedAt);
    const name = request.Name!;
    const leftOff = instanceTagsLeftOff(inventory, { captureId: options.captureId, capturedAt, rebooted: options.reboot, sourceRegion });
    if (leftOff.length > 0) {
      progress.warn(`${inventory.instanceId}: ${leftOff.length} of its tag(s) left off its image to stay within 50 tags, so a restore will not set them: ${leftOff.join(", ")}`);
    }
    try {
      const output = await source.send(new CreateImageCommand(request));
      return output.ImageId!;
    } catch (error) {
      // The name is taken: this capture's image exists already (an earlier request whose answer
      // was lost, or a run at the same time). Continue with it.
      if (awsErrorCode(error) !== "InvalidAMIName.Duplicate") throw toExternalError(error, { operation: "CreateImage", region: sourceRegion });
      const existing = await withAwsErrors({ operation: "DescribeImages", region: sourceRegion }, () =>
        source.send(new DescribeImagesCommand({ Owners: ["self"], IncludeDisabled: true, Filters: [{ Name: "name", Values: [name] }] })),
      );
      const imageId = existing.Images?.[0]?.ImageId;
      if (!imageId) throw toExternalError(error, { operation: "CreateImage", region: sourceRegion });
      return imageId;
    }
  }

  async function ensureSourceImage(inventory: InstanceInventory): Promise<Captured> {
    const id = inventory.instanceId;
    let current = preferred(sourceImages.filter((i) => i.sourceInstanceId === id && i.captureId === options.captureId));
    if (current && imageCondition(current.state) === "disabled") throw disabledImageError(current);
    if (current && imageCondition(current.state) === "broken") {
      progress.note(`${id}: image ${current.imageId} of this capture is ${current.state} (${current.stateReason ?? "no reason given"}); replacing it`);
      await removeImage(source, current);
      current = undefined;
    }
    if (current?.state === "available") {
      progress.item(id, "imaging", `image ${current.imageId} in ${sourceRegion} exists from an earlier run`);
      return { image: current.image, created: false };
    }
    const imageId = current?.imageId ?? (await createSourceImage(inventory));
    progress.item(id, "imaging", `${current ? "waiting for" : "imaging"} ${imageId} in ${sourceRegion}`);
    return { image: await sourcePoller.waitUntilAvailable(imageId, deadline()), created: !current };
  }

  async function ensureCopy(id: string, sourceImage: Image): Promise<Captured> {
    const sourceImageId = sourceImage.ImageId!;
    let current = preferred(copies.filter((c) => c.sourceImageId === sourceImageId));
    let replacing: string | undefined;
    if (current && imageCondition(current.state) === "disabled") throw disabledImageError(current);
    if (current && imageCondition(current.state) === "broken") {
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
      if (current) {
        progress.item(id, "copying", `waiting for copy ${sourceImageId} → ${current.imageId} in ${targetRegion}`);
        return { image: await targetPoller.waitUntilAvailable(current.imageId, deadline()), created: false };
      }
      return { image: await copyAnew(id, sourceImage, replacing), created: true };
    });
  }

  /**
   * Starts the copy and waits for it. EC2 answers a repeated client token with the copy it made
   * the first time, also after that copy was deregistered or failed ("Ensuring idempotency in
   * Amazon EC2 API requests"). So the answer is looked at at once: a copy this request just made
   * is pending (or not visible yet: DescribeImages is eventually consistent), while a stale answer
   * names a copy that is deregistered or failed, or that never shows up. Then the next request
   * carries the token derived from that answer. Every run follows the same chain of tokens, so a
   * rerun still finds the copy an earlier run started instead of making a second one.
   */
  async function copyAnew(id: string, sourceImage: Image, replacing: string | undefined): Promise<Image> {
    const sourceImageId = sourceImage.ImageId!;
    let previousAnswer = replacing;
    for (let attempt = 1; ; attempt += 1) {
      const copyId = await startCopy(id, sourceImage, previousAnswer);
      progress.item(id, "copying", `copying ${sourceImageId} → ${copyId} in ${targetRegion}`);
      const answered = await lookUpImage(target, targetRegion, copyId);
      let stale: string | undefined;
      if (answered && imageCondition(answered.State) === "disabled") throw disabledImageError({ imageId: copyId, region: targetRegion, role: "copy" });
      if (answered && willNeverBeAvailable(answered.State)) {
        stale = `is ${answered.State}`;
        // A failed copy of ours goes, as one found by its tags does; a deregistered one is gone already.
        const managed = toManagedImage(answered, targetRegion);
        if (managed && imageCondition(managed.state) === "broken") await removeImage(target, managed);
      } else {
        try {
          return await targetPoller.waitUntilAvailable(copyId, deadline(), { appearBy: Date.now() + (options.copyVisibleWithinMs ?? DEFAULT_COPY_VISIBLE_WITHIN_MS) });
        } catch (error) {
          // Seen pending and then lost or failed: this copy was alive, the failure is real.
          if (!(error instanceof ImageWaitError) || error.wasLive || (error.failure !== "not-found" && error.failure !== "deregistered")) throw error;
          stale = error.failure === "not-found" ? "never showed up in DescribeImages" : "is deregistered";
        }
      }
      if (attempt >= MAX_FRESH_COPIES) {
        throw new ExternalError(
          `CopyImage of ${sourceImageId} answered ${attempt} times with a copy that is not there; the last, ${copyId}, ${stale}`,
          "StaleCopyAnswer",
          `the copies of ${sourceImageId} in ${targetRegion} (DescribeImages, and CloudTrail for CopyImage and DeregisterImage): something removes them as soon as they are made`,
        );
      }
      progress.note(`${id}: CopyImage answered with ${copyId}, an earlier copy that ${stale}; starting a new copy`);
      previousAnswer = copyId;
    }
  }

  async function startCopy(id: string, sourceImage: Image, replacing: string | undefined): Promise<string> {
    const { input, dropped } = copyImageRequest(sourceImage, id, options, replacing);
    if (dropped.length > 0) {
      progress.warn(`${id}: ${dropped.length} tag(s) of ${input.SourceImageId} left off the copy to stay within 50 tags: ${dropped.join(", ")}`);
    }
    const output = await withAwsErrors({ operation: "CopyImage", region: targetRegion }, () =>
      retryUntil(
        () => target.send(new CopyImageCommand(input)),
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
      sourceImage = await ensureSourceImage(inventory);
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
    skipped: selected.skipped,
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

/** The image as DescribeImages shows it now; undefined when it does not (yet, or any more). */
async function lookUpImage(client: EC2Client, region: string, imageId: string): Promise<Image | undefined> {
  const found = await withAwsErrors({ operation: "DescribeImages", region }, () =>
    client.send(new DescribeImagesCommand({ IncludeDisabled: true, Filters: [{ Name: "image-id", Values: [imageId] }] })),
  );
  return found.Images?.find((image) => image.ImageId === imageId);
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
    if (error.failure === "not-found") {
      return { code: "ImageNotFound", message: error.message, hint: "the image in the EC2 console; run the command again to make it anew" };
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
