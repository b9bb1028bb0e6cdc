/**
 * Reads the DR region for `restore` (and readiness): the regionpair copies, the workload VPC with
 * its subnets, security groups and the addresses its interfaces hold, the instances regionpair
 * launched there, the instance types asked for, the region's routing and the post-restore
 * documents. Only the DR region's APIs are called, so this works while the source region is down.
 */
import {
  DescribeDhcpOptionsCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  DescribeVpcsCommand,
  EC2Client,
  Image,
  paginateDescribeImages,
  paginateDescribeInstances,
  paginateDescribeNetworkInterfaces,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
} from "@aws-sdk/client-ec2";
import { DescribeDocumentCommand, SSMClient } from "@aws-sdk/client-ssm";
import type { RegionRole, Topology } from "../../config/topology-model";
import { NAME_SUFFIX, Naming, PostRestorePlatform, TAG_DHCP_OPTIONS, TAG_REGION_ROLE, TAG_TOPOLOGY, TAG_VPC_ROLE } from "../../constructs/naming";
import { awsErrorCode, withAwsErrors } from "../lib/aws-errors";
import { TAG_KEYS, inventoryFromTags, tagValue } from "../ami/inventory-tags";
import type { SupportLevel } from "../ena/instance-facts";
import { AddressUse, CopyFacts, DrFacts, InstanceTypeFacts, LaunchKind, LaunchedInstance, SecurityGroupFacts, SubnetFacts, WorkloadDhcpKind } from "./facts";
import { RESTORE_TAG_KEYS } from "./naming";
import type { RegionRouting } from "./routing-state";
import { ExternalError } from "../lib/cli";
import { readRegionRouting } from "./read-routing";

/** Filter values per request; EC2 accepts up to 200. */
const FILTER_VALUES_PER_CALL = 200;

export interface DrReadOptions {
  readonly topology: Topology;
  readonly role: RegionRole;
  /** Only these source instances' copies (--instance-id); @default every copy */
  readonly sourceInstanceIds?: readonly string[];
  /** Types to describe besides the recorded ones (--type). */
  readonly extraInstanceTypes?: readonly string[];
  readonly signal?: AbortSignal;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A copy image as the planning needs it; undefined when its tags carry no inventory. */
export function copyFromImage(image: Image): CopyFacts | undefined {
  const inventory = inventoryFromTags(image.Tags);
  if (!image.ImageId || !inventory) return undefined;
  const capturedAt = new Date(tagValue(image.Tags, TAG_KEYS.capturedAt) ?? image.CreationDate ?? 0);
  const volumes = (image.BlockDeviceMappings ?? []).filter((m) => m.Ebs);
  const windows = String(image.Platform ?? "").toLowerCase() === "windows" || inventory.platform.toLowerCase().startsWith("windows");
  return {
    imageId: image.ImageId,
    state: image.State ?? "unknown",
    capturedAt: Number.isNaN(capturedAt.getTime()) ? new Date(0) : capturedAt,
    sourceRegion: tagValue(image.Tags, TAG_KEYS.sourceRegion),
    inventory,
    enaSupport: image.EnaSupport === true,
    encrypted: volumes.length > 0 && volumes.every((m) => m.Ebs!.Encrypted === true),
    platform: windows ? "windows" : "linux",
  };
}

export async function readCopies(ec2: EC2Client, region: string, sourceInstanceIds?: readonly string[]): Promise<CopyFacts[]> {
  const copies: CopyFacts[] = [];
  const groups = sourceInstanceIds ? chunks(sourceInstanceIds, FILTER_VALUES_PER_CALL) : [undefined];
  await withAwsErrors({ operation: "DescribeImages", region }, async () => {
    for (const ids of groups) {
      if (ids && ids.length === 0) continue;
      const filters = [{ Name: `tag:${TAG_KEYS.role}`, Values: ["copy"] }, ...(ids ? [{ Name: `tag:${TAG_KEYS.sourceInstanceId}`, Values: ids }] : [])];
      for await (const page of paginateDescribeImages({ client: ec2 }, { Owners: ["self"], Filters: filters })) {
        for (const image of page.Images ?? []) {
          const copy = copyFromImage(image);
          if (copy) copies.push(copy);
        }
      }
    }
  });
  return copies;
}

/** The regionpair workload VPC of the region, by its tags, and the DHCP option set it uses now. */
export async function findWorkloadVpc(ec2: EC2Client, topology: Topology, role: RegionRole): Promise<{ vpcId: string; dhcpOptionsId?: string } | undefined> {
  const region = topology[role].region;
  const { Vpcs } = await withAwsErrors({ operation: "DescribeVpcs", region }, () =>
    ec2.send(
      new DescribeVpcsCommand({
        Filters: [
          { Name: `tag:${TAG_VPC_ROLE}`, Values: ["workload"] },
          { Name: `tag:${TAG_TOPOLOGY}`, Values: [topology.name] },
          { Name: `tag:${TAG_REGION_ROLE}`, Values: [role] },
        ],
      }),
    ),
  );
  const vpc = Vpcs?.[0];
  return vpc?.VpcId ? { vpcId: vpc.VpcId, dhcpOptionsId: vpc.DhcpOptionsId } : undefined;
}

export interface WorkloadDhcp {
  /** The set the workload VPC uses now, and which of regionpair's it is (its `regionpair:dhcp-options` tag). */
  readonly current?: { readonly dhcpOptionsId: string; readonly kind: WorkloadDhcpKind };
  /** The region's directory set, which the workload VPC gets while the region is active. */
  readonly directory?: { readonly dhcpOptionsId: string; readonly domainNameServers: readonly string[] };
}

/**
 * The region's DHCP option sets as the stacks made them: the directory's (its domain controllers)
 * and the fenced one (Amazon DNS) that the routing stack gives the workload VPC while passive.
 */
export async function readWorkloadDhcp(ec2: EC2Client, topology: Topology, role: RegionRole, currentId: string | undefined): Promise<WorkloadDhcp> {
  const region = topology[role].region;
  const { DhcpOptions } = await withAwsErrors({ operation: "DescribeDhcpOptions", region }, () =>
    ec2.send(
      new DescribeDhcpOptionsCommand({
        Filters: [
          { Name: `tag:${TAG_TOPOLOGY}`, Values: [topology.name] },
          { Name: `tag:${TAG_REGION_ROLE}`, Values: [role] },
        ],
      }),
    ),
  );
  const sets = DhcpOptions ?? [];
  const kindOf = (id: string): WorkloadDhcpKind => {
    const kind = tagValue(sets.find((d) => d.DhcpOptionsId === id)?.Tags, TAG_DHCP_OPTIONS);
    return kind === "directory" || kind === "fenced" ? kind : "other";
  };
  const directory = sets.find((d) => tagValue(d.Tags, TAG_DHCP_OPTIONS) === "directory");
  return {
    ...(currentId ? { current: { dhcpOptionsId: currentId, kind: kindOf(currentId) } } : {}),
    ...(directory?.DhcpOptionsId
      ? {
          directory: {
            dhcpOptionsId: directory.DhcpOptionsId,
            domainNameServers: directory.DhcpConfigurations?.find((c) => c.Key === "domain-name-servers")?.Values?.map((v) => v.Value).filter((v): v is string => !!v) ?? [],
          },
        }
      : {}),
  };
}

export async function readSubnets(ec2: EC2Client, region: string, vpcId: string): Promise<SubnetFacts[]> {
  const subnets: SubnetFacts[] = [];
  await withAwsErrors({ operation: "DescribeSubnets", region }, async () => {
    for await (const page of paginateDescribeSubnets({ client: ec2 }, { Filters: [{ Name: "vpc-id", Values: [vpcId] }] })) {
      for (const s of page.Subnets ?? []) {
        if (s.SubnetId && s.CidrBlock && s.AvailabilityZone) subnets.push({ subnetId: s.SubnetId, cidr: s.CidrBlock, availabilityZone: s.AvailabilityZone });
      }
    }
  });
  return subnets;
}

async function readAddresses(ec2: EC2Client, region: string, vpcId: string): Promise<AddressUse[]> {
  const uses: AddressUse[] = [];
  await withAwsErrors({ operation: "DescribeNetworkInterfaces", region }, async () => {
    for await (const page of paginateDescribeNetworkInterfaces({ client: ec2 }, { Filters: [{ Name: "vpc-id", Values: [vpcId] }] })) {
      for (const eni of page.NetworkInterfaces ?? []) {
        const ips = new Set([eni.PrivateIpAddress, ...(eni.PrivateIpAddresses ?? []).map((a) => a.PrivateIpAddress)].filter((ip): ip is string => !!ip));
        for (const ip of ips) {
          uses.push({ ip, networkInterfaceId: eni.NetworkInterfaceId ?? "?", subnetId: eni.SubnetId ?? "?", ...(eni.Attachment?.InstanceId ? { instanceId: eni.Attachment.InstanceId } : {}) });
        }
      }
    }
  });
  return uses;
}

async function readSecurityGroups(ec2: EC2Client, region: string, vpcId: string): Promise<SecurityGroupFacts[]> {
  const groups: SecurityGroupFacts[] = [];
  await withAwsErrors({ operation: "DescribeSecurityGroups", region }, async () => {
    for await (const page of paginateDescribeSecurityGroups({ client: ec2 }, { Filters: [{ Name: "vpc-id", Values: [vpcId] }] })) {
      for (const g of page.SecurityGroups ?? []) if (g.GroupId && g.GroupName) groups.push({ groupId: g.GroupId, groupName: g.GroupName });
    }
  });
  return groups;
}

/** Every instance regionpair launched in the region for this topology (restores and drills), in any state. */
export async function readLaunched(ec2: EC2Client, topology: Topology, region: string, filters: { drillId?: string } = {}): Promise<LaunchedInstance[]> {
  const launched: LaunchedInstance[] = [];
  await withAwsErrors({ operation: "DescribeInstances", region }, async () => {
    const pages = paginateDescribeInstances(
      { client: ec2 },
      {
        Filters: [
          { Name: `tag:${RESTORE_TAG_KEYS.topology}`, Values: [topology.name] },
          { Name: `tag:${RESTORE_TAG_KEYS.role}`, Values: ["restore", "drill"] },
          ...(filters.drillId ? [{ Name: `tag:${RESTORE_TAG_KEYS.drillId}`, Values: [filters.drillId] }] : []),
        ],
        MaxResults: 1000,
      },
    );
    for await (const page of pages) {
      for (const instance of (page.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
        const sourceInstanceId = tagValue(instance.Tags, RESTORE_TAG_KEYS.sourceInstanceId);
        if (!instance.InstanceId || !sourceInstanceId) continue;
        launched.push({
          instanceId: instance.InstanceId,
          state: instance.State?.Name ?? "unknown",
          kind: tagValue(instance.Tags, RESTORE_TAG_KEYS.role) as LaunchKind,
          sourceInstanceId,
          copyImageId: tagValue(instance.Tags, RESTORE_TAG_KEYS.restoredFrom),
          drillId: tagValue(instance.Tags, RESTORE_TAG_KEYS.drillId),
          clientToken: instance.ClientToken,
          instanceType: instance.InstanceType,
          privateIps: [
            ...new Set(
              [...(instance.NetworkInterfaces ?? [])]
                .sort((a, b) => (a.Attachment?.DeviceIndex ?? 0) - (b.Attachment?.DeviceIndex ?? 0))
                .flatMap((eni) => [...(eni.PrivateIpAddresses ?? [])].sort((a, b) => Number(b.Primary ?? false) - Number(a.Primary ?? false)).map((a) => a.PrivateIpAddress))
                .filter((ip): ip is string => !!ip),
            ),
          ],
          subnetIds: [...new Set((instance.NetworkInterfaces ?? []).map((eni) => eni.SubnetId).filter((id): id is string => !!id))],
          availabilityZone: instance.Placement?.AvailabilityZone,
        });
      }
    }
  });
  return launched;
}

function supportLevel(value: string | undefined): SupportLevel {
  return value === "required" || value === "supported" ? value : "unsupported";
}

/** Each type's ENA support and the region's zones it is offered in; a type EC2 does not know is `exists: false`. */
export async function readInstanceTypes(ec2: EC2Client, region: string, types: readonly string[]): Promise<InstanceTypeFacts[]> {
  if (types.length === 0) return [];
  const described = await withAwsErrors({ operation: "DescribeInstanceTypes", region }, () =>
    Promise.all(
      types.map(async (instanceType) => {
        try {
          const { InstanceTypes } = await ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: [instanceType as never] }));
          return { instanceType, info: InstanceTypes?.[0] };
        } catch (error) {
          if (awsErrorCode(error) === "InvalidInstanceType") return { instanceType, info: undefined };
          throw error;
        }
      }),
    ),
  );
  const { InstanceTypeOfferings } = await withAwsErrors({ operation: "DescribeInstanceTypeOfferings", region }, () =>
    ec2.send(new DescribeInstanceTypeOfferingsCommand({ LocationType: "availability-zone", Filters: [{ Name: "instance-type", Values: [...types] }] })),
  );
  return described.map(({ instanceType, info }) => ({
    instanceType,
    exists: info !== undefined,
    enaSupport: supportLevel(info?.NetworkInfo?.EnaSupport),
    zones: (InstanceTypeOfferings ?? []).filter((o) => o.InstanceType === instanceType && o.Location).map((o) => o.Location!),
  }));
}

/** The post-restore documents the network stack made in the region; a problem reading one is a warning, not a failure. */
async function readDocuments(ssm: SSMClient, topology: Topology, role: RegionRole): Promise<{ documents: Partial<Record<PostRestorePlatform, string>>; warnings: string[] }> {
  const naming = new Naming(topology.name, role);
  const documents: Partial<Record<PostRestorePlatform, string>> = {};
  const warnings: string[] = [];
  await Promise.all(
    (["windows", "linux"] as const).map(async (platform) => {
      const name = naming.name(NAME_SUFFIX.postRestoreDocument(platform));
      try {
        const { Document } = await ssm.send(new DescribeDocumentCommand({ Name: name }));
        if (Document?.Status === "Active") documents[platform] = name;
      } catch (error) {
        const code = awsErrorCode(error);
        if (code !== "InvalidDocument") warnings.push(`could not read the ${platform} post-restore document ${name} (${code ?? (error as Error).message}); its fix-ups are skipped`);
      }
    }),
  );
  return { documents, warnings };
}

export interface DrRead {
  readonly facts: DrFacts;
  /** Problems that do not stop a restore (e.g. the documents could not be read). */
  readonly warnings: readonly string[];
}

export async function readDrFacts(ec2: EC2Client, ssm: SSMClient, options: DrReadOptions): Promise<DrRead> {
  const { topology, role } = options;
  const region = topology[role].region;
  const [copies, workloadVpc, launched, routing, documents] = await Promise.all([
    readCopies(ec2, region, options.sourceInstanceIds),
    findWorkloadVpc(ec2, topology, role),
    readLaunched(ec2, topology, region),
    readRegionRouting(ec2, topology, role, options.signal).catch((error: unknown): RegionRouting => {
      // Routing decides only warnings for a restore, and refuses a drill when it is unknown.
      if (!(error instanceof ExternalError)) throw error;
      return { status: "unreachable", reason: `could not be read: ${error.code ? `${error.code}: ` : ""}${error.message}` };
    }),
    readDocuments(ssm, topology, role),
  ]);
  const types = [...new Set([...copies.map((c) => c.inventory.instanceType), ...(options.extraInstanceTypes ?? [])])].sort();
  const workloadVpcId = workloadVpc?.vpcId;
  const [subnets, addresses, securityGroups, instanceTypes, dhcp] = await Promise.all([
    workloadVpcId ? readSubnets(ec2, region, workloadVpcId) : [],
    workloadVpcId ? readAddresses(ec2, region, workloadVpcId) : [],
    workloadVpcId ? readSecurityGroups(ec2, region, workloadVpcId) : [],
    readInstanceTypes(ec2, region, types),
    workloadVpc ? readWorkloadDhcp(ec2, topology, role, workloadVpc.dhcpOptionsId) : undefined,
  ]);
  // An interface still attached to an instance that is gone holds nothing.
  const gone = new Set(launched.filter((l) => l.state === "terminated" || l.state === "shutting-down").map((l) => l.instanceId));
  return {
    facts: {
      region,
      workloadVpcId,
      copies,
      subnets,
      addressesInUse: addresses.filter((a) => !a.instanceId || !gone.has(a.instanceId)),
      launched,
      securityGroups,
      instanceTypes,
      routing,
      ...(dhcp?.current ? { workloadDhcp: dhcp.current.kind } : {}),
      documents: documents.documents,
    },
    warnings: documents.warnings,
  };
}
