/**
 * The tags regionpair puts on its images: which capture an image belongs to and an inventory of
 * the instance it was made from (id, Name, private IPs by interface, subnet, type, platform, ENA
 * support, security group names, instance profile, time of capture), plus the instance's own
 * tags. A restore reads the inventory back (`inventoryFromTags`) to bring the instance up with
 * the same IPs, groups, profile and tags, without asking the instance's Region.
 * Inventory keys start with `regionpair:`; AWS limits apply (50 tags, 128-character keys,
 * 256-character values), so a long value is split over numbered keys (`key`, `key:2`, ...).
 * Keys added later (security groups, profile, interfaces) are optional: images made before them
 * still read back, without those fields.
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
  /** How many of `private-ips` each network interface holds, by device index, e.g. `2,1`. */
  interfaces: "regionpair:interfaces",
  /** Names of the primary interface's security groups, comma-separated (names, not ids: ids differ per Region). */
  securityGroups: "regionpair:security-groups",
  /** The IAM instance profile's ARN (IAM is global, so it names the same profile in every Region). */
  instanceProfile: "regionpair:instance-profile",
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
  /**
   * How many of `privateIps` each network interface holds, by device index.
   * @default one interface holding them all (images made before this was recorded)
   */
  readonly interfaceSizes?: readonly number[];
  /** @default none recorded */
  readonly securityGroupNames?: readonly string[];
  /** @default none */
  readonly instanceProfileArn?: string;
  /** The instance's own tags, without `aws:` and `regionpair:` ones. @default none */
  readonly tags?: readonly Tag[];
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
  const byInterface = interfaces.map((eni) =>
    [...(eni.PrivateIpAddresses ?? [])]
      .sort((a, b) => Number(b.Primary ?? false) - Number(a.Primary ?? false))
      .map((address) => address.PrivateIpAddress)
      .filter((ip): ip is string => !!ip),
  );
  const privateIps = byInterface.flat();
  if (privateIps.length === 0 && instance.PrivateIpAddress) privateIps.push(instance.PrivateIpAddress);
  const sizes = byInterface.map((ips) => ips.length).filter((n) => n > 0);
  const groups = (instance.SecurityGroups ?? []).map((g) => g.GroupName).filter((name): name is string => !!name);
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
    ...(sizes.length > 0 && sizes.reduce((a, b) => a + b, 0) === privateIps.length ? { interfaceSizes: sizes } : {}),
    ...(groups.length > 0 ? { securityGroupNames: groups } : {}),
    ...(instance.IamInstanceProfile?.Arn ? { instanceProfileArn: instance.IamInstanceProfile.Arn } : {}),
    tags: userTags(instance.Tags),
  };
}

/** Tags anyone may set and regionpair does not own (no `aws:` system tags, no `regionpair:` ones), in key order. */
export function userTags(tags: readonly Tag[] | undefined): Tag[] {
  return (tags ?? [])
    .filter((tag) => tag.Key && !tag.Key.startsWith("aws:") && !tag.Key.startsWith(TAG_PREFIX))
    .sort((a, b) => a.Key!.localeCompare(b.Key!));
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

/**
 * The tags of a source image: the capture labels and the instance inventory, then the
 * instance's own tags (so the copy, which gets the source image's tags, carries them to a
 * restore) in key order as far as 50 tags allow; `instanceTagsLeftOff` names the rest.
 */
export function sourceImageTags(inventory: InstanceInventory, labels: CaptureLabels): Tag[] {
  return mergeInstanceTags(inventory, labels).tags;
}

/** Keys of the instance's own tags that did not fit on its source image. */
export function instanceTagsLeftOff(inventory: InstanceInventory, labels: CaptureLabels): string[] {
  return mergeInstanceTags(inventory, labels).dropped;
}

function mergeInstanceTags(inventory: InstanceInventory, labels: CaptureLabels): MergedTags {
  const own = inventoryTags(inventory, labels);
  const others = [...(inventory.tags ?? [])].sort((a, b) => a.Key!.localeCompare(b.Key!));
  const room = Math.max(0, TAG_LIMITS.maxTags - own.length);
  return { tags: [...own, ...others.slice(0, room)], dropped: others.slice(room).map((tag) => tag.Key!) };
}

function inventoryTags(inventory: InstanceInventory, labels: CaptureLabels): Tag[] {
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
    ...optional(TAG_KEYS.interfaces, inventory.interfaceSizes?.join(",")),
    ...optional(TAG_KEYS.securityGroups, inventory.securityGroupNames?.join(",")),
    ...optional(TAG_KEYS.instanceProfile, inventory.instanceProfileArn),
  ];
}

/** What an image's tags say about the instance it was made from; undefined without the required keys. */
export function inventoryFromTags(tags: readonly Tag[] | undefined): InstanceInventory | undefined {
  const instanceId = tagValue(tags, TAG_KEYS.sourceInstanceId);
  const instanceType = tagValue(tags, TAG_KEYS.instanceType);
  if (!instanceId || !instanceType) return undefined;
  const list = (key: string) => (joinTag(tags, key) ?? "").split(",").map((v) => v.trim()).filter(Boolean);
  const privateIps = list(TAG_KEYS.privateIps);
  const primary = tagValue(tags, TAG_KEYS.privateIp);
  const sizes = list(TAG_KEYS.interfaces).map(Number);
  const groups = list(TAG_KEYS.securityGroups);
  const profile = joinTag(tags, TAG_KEYS.instanceProfile);
  return {
    instanceId,
    name: joinTag(tags, TAG_KEYS.instanceName),
    instanceType,
    platform: tagValue(tags, TAG_KEYS.platform) ?? "Linux/UNIX",
    enaSupport: tagValue(tags, TAG_KEYS.enaSupport) === "true",
    vpcId: tagValue(tags, TAG_KEYS.vpcId),
    subnetId: tagValue(tags, TAG_KEYS.subnetId),
    availabilityZone: tagValue(tags, TAG_KEYS.availabilityZone),
    privateIps: privateIps.length > 0 ? privateIps : primary ? [primary] : [],
    ...(sizes.length > 0 && sizes.every((n) => Number.isInteger(n) && n > 0) ? { interfaceSizes: sizes } : {}),
    ...(groups.length > 0 ? { securityGroupNames: groups } : {}),
    ...(profile ? { instanceProfileArn: profile } : {}),
    tags: userTags(tags),
  };
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
