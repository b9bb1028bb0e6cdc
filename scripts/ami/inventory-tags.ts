/**
 * The tags regionpair puts on its images: which capture an image belongs to and an inventory of
 * the instance it was made from (id, Name, private IPs, subnet, type, platform, ENA support, time
 * of capture). A restore reads the inventory back to bring the instance up with the same IP.
 * Every key starts with `regionpair:`; AWS limits apply (50 tags, 128-character keys,
 * 256-character values), so a long value is split over numbered keys (`key`, `key:2`, ...).
 */
import { Instance, Tag } from "@aws-sdk/client-ec2";
import { instancePlatform } from "../lib/instance-platform";

export const TAG_LIMITS = { maxTags: 50, maxKeyLength: 128, maxValueLength: 256 } as const;

export const TAG_PREFIX = "regionpair:";

export const TAG_KEYS = {
  /** `source` for the image in the instance's Region, `copy` for the encrypted copy. */
  role: "regionpair:role",
  captureId: "regionpair:capture-id",
  /** ISO 8601 time the image was requested. */
  capturedAt: "regionpair:captured-at",
  /** `rebooted` (consistent) or `crash-consistent` (--no-reboot). */
  consistency: "regionpair:consistency",
  sourceRegion: "regionpair:source-region",
  /** On copies only: the image in the source Region this copy was made from. */
  sourceImageId: "regionpair:source-image-id",
  sourceInstanceId: "regionpair:source-instance-id",
  instanceName: "regionpair:instance-name",
  instanceType: "regionpair:instance-type",
  platform: "regionpair:platform",
  enaSupport: "regionpair:ena-support",
  vpcId: "regionpair:vpc-id",
  subnetId: "regionpair:subnet-id",
  availabilityZone: "regionpair:availability-zone",
  /** The primary private IPv4 address of the primary network interface. */
  privateIp: "regionpair:private-ip",
  /** Every private IPv4 address, by device index, each interface's primary first, comma-separated. */
  privateIps: "regionpair:private-ips",
} as const;

export type ImageRole = "source" | "copy";

/** What a restore needs to know about the instance an image was made from. */
export interface InstanceInventory {
  readonly instanceId: string;
  readonly name?: string;
  readonly instanceType: string;
  /** `Windows`, `Linux/UNIX`, ... as EC2 reports PlatformDetails. */
  readonly platform: string;
  readonly enaSupport: boolean;
  readonly vpcId?: string;
  readonly subnetId?: string;
  readonly availabilityZone?: string;
  /** Primary first. */
  readonly privateIps: readonly string[];
}

export interface CaptureLabels {
  readonly captureId: string;
  readonly capturedAt: Date;
  readonly rebooted: boolean;
  readonly sourceRegion: string;
}

export function tagValue(tags: readonly Tag[] | undefined, key: string): string | undefined {
  return tags?.find((tag) => tag.Key === key)?.Value;
}

export function inventoryFromInstance(instance: Instance): InstanceInventory {
  if (!instance.InstanceId || !instance.InstanceType) throw new Error("DescribeInstances returned an instance without id or type");
  const interfaces = [...(instance.NetworkInterfaces ?? [])].sort(
    (a, b) => (a.Attachment?.DeviceIndex ?? 0) - (b.Attachment?.DeviceIndex ?? 0),
  );
  const privateIps = interfaces.flatMap((eni) =>
    [...(eni.PrivateIpAddresses ?? [])]
      .sort((a, b) => Number(b.Primary ?? false) - Number(a.Primary ?? false))
      .map((address) => address.PrivateIpAddress)
      .filter((ip): ip is string => !!ip),
  );
  if (privateIps.length === 0 && instance.PrivateIpAddress) privateIps.push(instance.PrivateIpAddress);
  return {
    instanceId: instance.InstanceId,
    name: tagValue(instance.Tags, "Name"),
    instanceType: instance.InstanceType,
    platform: instancePlatform(instance),
    enaSupport: instance.EnaSupport === true,
    vpcId: instance.VpcId,
    subnetId: instance.SubnetId,
    availabilityZone: instance.Placement?.AvailabilityZone,
    privateIps: instance.PrivateIpAddress ? [instance.PrivateIpAddress, ...privateIps.filter((ip) => ip !== instance.PrivateIpAddress)] : privateIps,
  };
}

/** Splits a value longer than AWS allows over `key`, `key:2`, `key:3`, ... */
export function splitTag(key: string, value: string): Tag[] {
  if (value.length <= TAG_LIMITS.maxValueLength) return [{ Key: key, Value: value }];
  const tags: Tag[] = [];
  for (let start = 0, part = 1; start < value.length; start += TAG_LIMITS.maxValueLength, part += 1) {
    tags.push({ Key: part === 1 ? key : `${key}:${part}`, Value: value.slice(start, start + TAG_LIMITS.maxValueLength) });
  }
  return tags;
}

/** Reads a value written by `splitTag`. */
export function joinTag(tags: readonly Tag[] | undefined, key: string): string | undefined {
  const first = tagValue(tags, key);
  if (first === undefined) return undefined;
  let value = first;
  for (let part = 2, next = tagValue(tags, `${key}:2`); next !== undefined; part += 1, next = tagValue(tags, `${key}:${part}`)) {
    value += next;
  }
  return value;
}

/** The tags of a source image: the capture labels and the instance inventory. */
export function sourceImageTags(inventory: InstanceInventory, labels: CaptureLabels): Tag[] {
  const optional = (key: string, value: string | undefined): Tag[] => (value ? splitTag(key, value) : []);
  return [
    { Key: TAG_KEYS.role, Value: "source" },
    { Key: TAG_KEYS.captureId, Value: labels.captureId },
    { Key: TAG_KEYS.capturedAt, Value: labels.capturedAt.toISOString() },
    { Key: TAG_KEYS.consistency, Value: labels.rebooted ? "rebooted" : "crash-consistent" },
    { Key: TAG_KEYS.sourceRegion, Value: labels.sourceRegion },
    { Key: TAG_KEYS.sourceInstanceId, Value: inventory.instanceId },
    ...optional(TAG_KEYS.instanceName, inventory.name),
    { Key: TAG_KEYS.instanceType, Value: inventory.instanceType },
    { Key: TAG_KEYS.platform, Value: inventory.platform },
    { Key: TAG_KEYS.enaSupport, Value: String(inventory.enaSupport) },
    ...optional(TAG_KEYS.vpcId, inventory.vpcId),
    ...optional(TAG_KEYS.subnetId, inventory.subnetId),
    ...optional(TAG_KEYS.availabilityZone, inventory.availabilityZone),
    ...optional(TAG_KEYS.privateIp, inventory.privateIps[0]),
    ...optional(TAG_KEYS.privateIps, inventory.privateIps.join(",")),
  ];
}

export interface MergedTags {
  readonly tags: Tag[];
  /** Keys of the source image's own tags left off to stay within 50 tags. */
  readonly dropped: string[];
}

/**
 * The tags of a copy: the source image's tags, copied explicitly (CopyImage copies none by
 * default), with the copy's own labels on top. regionpair's tags always fit; the source image's
 * other tags fill the remaining places in key order, and any that do not fit are reported.
 * System tags (`aws:`) cannot be set by anyone and are left out.
 */
export function copyImageTags(sourceTags: readonly Tag[] | undefined, sourceImageId: string): MergedTags {
  const own: Tag[] = [
    ...(sourceTags ?? []).filter((tag) => tag.Key?.startsWith(TAG_PREFIX) && tag.Key !== TAG_KEYS.role),
    { Key: TAG_KEYS.role, Value: "copy" },
    { Key: TAG_KEYS.sourceImageId, Value: sourceImageId },
  ];
  const others = (sourceTags ?? [])
    .filter((tag) => tag.Key && !tag.Key.startsWith(TAG_PREFIX) && !tag.Key.startsWith("aws:"))
    .sort((a, b) => a.Key!.localeCompare(b.Key!));
  const room = Math.max(0, TAG_LIMITS.maxTags - own.length);
  return {
    tags: [...own, ...others.slice(0, room)],
    dropped: others.slice(room).map((tag) => tag.Key!),
  };
}
