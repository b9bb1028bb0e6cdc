/**
 * The images regionpair made, found by their tags: the source images of a capture in the
 * instance's Region and their encrypted copies in the DR Region. A rerun uses them to continue
 * instead of starting over, and retention to decide what to remove.
 */
import { EC2Client, Image, ImageState, paginateDescribeImages } from "@aws-sdk/client-ec2";
import { withAwsErrors } from "../lib/aws-errors";
import { ImageRole, TAG_KEYS, tagValue } from "./inventory-tags";

export interface ManagedImage {
  readonly imageId: string;
  readonly region: string;
  readonly role: ImageRole;
  readonly name?: string;
  readonly state: ImageState | string;
  readonly stateReason?: string;
  readonly sourceInstanceId: string;
  readonly captureId?: string;
  readonly capturedAt: Date;
  /** Copies only: the source image they were copied from. */
  readonly sourceImageId?: string;
  readonly snapshotIds: readonly string[];
  readonly image: Image;
}

/** Filter values per request; EC2 accepts up to 200. */
const FILTER_VALUES_PER_CALL = 200;

export function toManagedImage(image: Image, region: string): ManagedImage | undefined {
  const role = tagValue(image.Tags, TAG_KEYS.role);
  const sourceInstanceId = tagValue(image.Tags, TAG_KEYS.sourceInstanceId);
  if (!image.ImageId || (role !== "source" && role !== "copy") || !sourceInstanceId) return undefined;
  const capturedAt = new Date(tagValue(image.Tags, TAG_KEYS.capturedAt) ?? image.CreationDate ?? 0);
  return {
    imageId: image.ImageId,
    region,
    role,
    name: image.Name,
    state: image.State ?? "unknown",
    stateReason: image.StateReason?.Message ?? image.StateReason?.Code,
    sourceInstanceId,
    captureId: tagValue(image.Tags, TAG_KEYS.captureId),
    capturedAt: Number.isNaN(capturedAt.getTime()) ? new Date(0) : capturedAt,
    sourceImageId: tagValue(image.Tags, TAG_KEYS.sourceImageId),
    snapshotIds: (image.BlockDeviceMappings ?? []).map((m) => m.Ebs?.SnapshotId).filter((id): id is string => !!id),
    image,
  };
}

/** The account's regionpair images of `role` made from any of `instanceIds`, in one Region. */
export async function findManagedImages(
  client: EC2Client,
  region: string,
  query: { readonly instanceIds: readonly string[]; readonly role: ImageRole },
): Promise<ManagedImage[]> {
  const found: ManagedImage[] = [];
  await withAwsErrors({ operation: "DescribeImages", region }, async () => {
    for (let start = 0; start < query.instanceIds.length; start += FILTER_VALUES_PER_CALL) {
      const pages = paginateDescribeImages(
        { client },
        {
          Owners: ["self"],
          // Disabled images are left out by default; a capture's disabled image must be seen to be reported.
          IncludeDisabled: true,
          Filters: [
            { Name: `tag:${TAG_KEYS.sourceInstanceId}`, Values: query.instanceIds.slice(start, start + FILTER_VALUES_PER_CALL) },
            { Name: `tag:${TAG_KEYS.role}`, Values: [query.role] },
          ],
        },
      );
      for await (const page of pages) {
        for (const image of page.Images ?? []) {
          const managed = toManagedImage(image, region);
          if (managed) found.push(managed);
        }
      }
    }
  });
  return found;
}
