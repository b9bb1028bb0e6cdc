/**
 * The two requests `ami copy` makes, built in one place: CreateImage for an instance and
 * CopyImage for a source image. The real run sends them as built; `--dry-run` sends the very
 * same requests with DryRun added, so what the dry run checks cannot drift from what runs.
 */
import { CopyImageCommandInput, CreateImageCommandInput, Image } from "@aws-sdk/client-ec2";
import { copyImageTags, InstanceInventory, sourceImageTags } from "./inventory-tags";
import { captureDescription, captureImageName, copyClientToken } from "./naming";

export interface CaptureSettings {
  readonly sourceRegion: string;
  readonly targetRegion: string;
  readonly captureId: string;
  /** Reboot before imaging. */
  readonly reboot: boolean;
  /** @default the account's default EBS key in the target Region */
  readonly kmsKeyId?: string;
}

/** CreateImage for one instance: the capture's name, and the inventory on the image and its snapshots. */
export function createImageRequest(inventory: InstanceInventory, settings: CaptureSettings, capturedAt: Date): CreateImageCommandInput {
  const tags = sourceImageTags(inventory, { captureId: settings.captureId, capturedAt, rebooted: settings.reboot, sourceRegion: settings.sourceRegion });
  return {
    InstanceId: inventory.instanceId,
    Name: captureImageName(inventory.instanceId, settings.captureId),
    Description: captureDescription(inventory.instanceId, inventory.name, settings.captureId),
    NoReboot: !settings.reboot,
    TagSpecifications: [
      { ResourceType: "image", Tags: tags },
      { ResourceType: "snapshot", Tags: tags },
    ],
  };
}

/** What a source image would be before CreateImage has made it: for a dry run with no image yet. */
export function expectedSourceImage(imageId: string, inventory: InstanceInventory, settings: CaptureSettings, capturedAt: Date): Image {
  const request = createImageRequest(inventory, settings, capturedAt);
  return { ImageId: imageId, Name: request.Name, Description: request.Description, Tags: request.TagSpecifications![0].Tags };
}

export interface CopyRequest {
  readonly input: CopyImageCommandInput;
  /** Keys of the source image's own tags left off to stay within 50 tags. */
  readonly dropped: readonly string[];
}

/**
 * CopyImage of a source image into the target Region: encrypted, with the source's tags and the
 * copy's labels, and the client token for `previousAnswer` (see copyClientToken).
 */
export function copyImageRequest(sourceImage: Image, instanceId: string, settings: CaptureSettings, previousAnswer?: string): CopyRequest {
  const sourceImageId = sourceImage.ImageId!;
  const { tags, dropped } = copyImageTags(sourceImage.Tags, sourceImageId);
  return {
    input: {
      SourceImageId: sourceImageId,
      SourceRegion: settings.sourceRegion,
      Name: sourceImage.Name ?? captureImageName(instanceId, settings.captureId),
      Description: sourceImage.Description,
      Encrypted: true,
      KmsKeyId: settings.kmsKeyId,
      ClientToken: copyClientToken(sourceImageId, settings.targetRegion, previousAnswer),
      TagSpecifications: [
        { ResourceType: "image", Tags: tags },
        { ResourceType: "snapshot", Tags: tags },
      ],
    },
    dropped,
  };
}
