/**
 * `ami copy --dry-run`: every mutating call the copy would make, sent with DryRun so that EC2
 * checks the permission and does nothing. CreateImage and CopyImage are the very requests the
 * real run builds (image-requests.ts), plus DryRun. Read-only calls (DescribeInstances,
 * DescribeImages) run for real: the checks need their answers, and a missing read permission
 * fails right there.
 */
import {
  CopyImageCommand,
  CreateImageCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  GetEbsDefaultKmsKeyIdCommand,
} from "@aws-sdk/client-ec2";
import { checkPermission, PermissionCheck } from "../lib/dry-run";
import { AmiCopyDependencies, AmiCopyOptions } from "./copy-images";
import { copyImageRequest, createImageRequest, expectedSourceImage } from "./image-requests";
import { inventoryFromInstance } from "./inventory-tags";
import { findManagedImages, ManagedImage } from "./managed-images";
import { describeSkipped, requireImageable, selectInstances, SkippedInstance } from "./select-instances";

export interface AmiCopyDryRunResult {
  readonly sourceRegion: string;
  readonly targetRegion: string;
  readonly instanceIds: readonly string[];
  /** Matched by tag but pending or stopping: the real run would skip them too. */
  readonly skipped: readonly SkippedInstance[];
  readonly checks: readonly PermissionCheck[];
  /** Calls not checked, and why (e.g. no image exists yet to try DeregisterImage on). */
  readonly notChecked: readonly string[];
}

/** Stands in for a source image when none exists yet; EC2 authorizes CopyImage on the new AMI only. */
const PLACEHOLDER_IMAGE_ID = "ami-00000000000000000";

function oldest(images: readonly ManagedImage[]): ManagedImage | undefined {
  return [...images].sort((a, b) => a.capturedAt.getTime() - b.capturedAt.getTime())[0];
}

export async function dryRunAmiCopy(options: AmiCopyOptions, deps: AmiCopyDependencies): Promise<AmiCopyDryRunResult> {
  const { sourceRegion, targetRegion } = options;
  const source = deps.clients.forRegion(sourceRegion);
  const target = deps.clients.forRegion(targetRegion);
  const selected = await selectInstances(source, sourceRegion, options.selection);
  for (const skipped of selected.skipped) deps.progress.warn(describeSkipped(skipped));
  requireImageable(selected, sourceRegion);
  const { instances } = selected;
  const instanceIds = instances.map((i) => i.InstanceId!);
  const [sourceImages, copies] = await Promise.all([
    findManagedImages(source, sourceRegion, { instanceIds, role: "source" }),
    findManagedImages(target, targetRegion, { instanceIds, role: "copy" }),
  ]);
  const checks: PermissionCheck[] = [];
  const notChecked: string[] = [];
  const capturedAt = (deps.now ?? (() => new Date()))();

  // CreateImage per instance: a policy may allow imaging some instances (by tag) and not others.
  for (const instance of instances) {
    const inventory = inventoryFromInstance(instance);
    deps.progress.item(inventory.instanceId, "checking", "checking ec2:CreateImage");
    const request = createImageRequest(inventory, options, capturedAt);
    checks.push(
      await checkPermission((DryRun) => source.send(new CreateImageCommand({ ...request, DryRun })), {
        operation: "CreateImage",
        region: sourceRegion,
        target: inventory.instanceId,
      }),
    );
    deps.progress.item(inventory.instanceId, "done", "checked");
  }

  // CopyImage of the newest source image there is, else of the image the first instance would get.
  const sample = [...sourceImages].sort((a, b) => b.capturedAt.getTime() - a.capturedAt.getTime())[0];
  const sampleImage = sample?.image ?? expectedSourceImage(PLACEHOLDER_IMAGE_ID, inventoryFromInstance(instances[0]), options, capturedAt);
  const sampleInstance = sample?.sourceInstanceId ?? instanceIds[0];
  const copy = copyImageRequest(sampleImage, sampleInstance, options);
  checks.push(
    await checkPermission((DryRun) => target.send(new CopyImageCommand({ ...copy.input, DryRun })), {
      operation: "CopyImage",
      region: targetRegion,
      target: copy.input.SourceImageId,
    }),
  );
  if (!options.kmsKeyId) {
    checks.push(
      await checkPermission((DryRun) => target.send(new GetEbsDefaultKmsKeyIdCommand({ DryRun })), { operation: "GetEbsDefaultKmsKeyId", region: targetRegion }),
    );
  }

  if (options.keep !== undefined) {
    // DryRun never acts, so the oldest image stands in even when retention would keep it.
    for (const [region, client, images] of [
      [sourceRegion, source, sourceImages],
      [targetRegion, target, copies],
    ] as const) {
      const candidate = oldest(images);
      if (!candidate) {
        notChecked.push(`ec2:DeregisterImage and ec2:DeleteSnapshot in ${region}: no regionpair image there yet`);
        continue;
      }
      checks.push(
        await checkPermission((DryRun) => client.send(new DeregisterImageCommand({ DryRun, ImageId: candidate.imageId })), {
          operation: "DeregisterImage",
          region,
          target: candidate.imageId,
        }),
      );
      const snapshotId = candidate.snapshotIds[0];
      if (snapshotId) {
        checks.push(
          await checkPermission((DryRun) => client.send(new DeleteSnapshotCommand({ DryRun, SnapshotId: snapshotId })), {
            operation: "DeleteSnapshot",
            region,
            target: snapshotId,
          }),
        );
      } else {
        notChecked.push(`ec2:DeleteSnapshot in ${region}: ${candidate.imageId} has no EBS snapshot`);
      }
    }
  }
  return { sourceRegion, targetRegion, instanceIds, skipped: selected.skipped, checks, notChecked };
}
