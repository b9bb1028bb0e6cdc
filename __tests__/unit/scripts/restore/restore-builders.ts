/**
 * Hand-built DR facts for the restore planning tests, in the test topology's pair
 * (`topologyWith()`: eu-west-1 primary, eu-central-1 secondary, workloads app 10.60.0.0/20 and
 * db 10.61.0.0/22 in zones a and b). The DR region is the secondary; the source the primary.
 * Builders only build; every expectation stays in the tests.
 */
import { Topology } from "../../../../config/topology-model";
import { TransitTarget, transitRoutes } from "../../../../config/transit-routes";
import type { InstanceInventory } from "../../../../scripts/ami/inventory-tags";
import type { CopyFacts, DrFacts, InstanceTypeFacts, LaunchedInstance } from "../../../../scripts/restore/facts";
import type { RegionRouting, RoutingObservation } from "../../../../scripts/restore/routing-state";
import { topologyWith } from "../../../support/topologies";

export const TOPOLOGY: Topology = topologyWith();
export const SOURCE = "eu-west-1";
export const DR = "eu-central-1";
export const WORKLOAD_VPC = "vpc-dr-workload";

/** The DR workload subnets, as the network stack makes them (same CIDRs as the source's). */
export const SUBNETS = {
  appA: { subnetId: "subnet-app-a", cidr: "10.60.0.0/22", availabilityZone: "eu-central-1a" },
  appB: { subnetId: "subnet-app-b", cidr: "10.60.4.0/22", availabilityZone: "eu-central-1b" },
  dbA: { subnetId: "subnet-db-a", cidr: "10.61.0.0/23", availabilityZone: "eu-central-1a" },
  dbB: { subnetId: "subnet-db-b", cidr: "10.61.2.0/23", availabilityZone: "eu-central-1b" },
} as const;

const ATTACHMENT_IDS: Record<string, string> = {
  "management-vpc": "tgw-attach-mgmt",
  "workload-vpc": "tgw-attach-work",
  peering: "tgw-attach-peering",
};

function attachmentIdOf(target: TransitTarget): string | undefined {
  if (target.kind === "blackhole") return undefined;
  return target.kind === "connection" ? `tgw-attach-vpn-${target.name}` : ATTACHMENT_IDS[target.kind];
}

/** A region's TGW routes exactly as the design says for it while active (or passive). */
export function routingAs(role: "primary" | "secondary", active: boolean, topology: Topology = TOPOLOGY): RoutingObservation {
  const tables: Record<string, Array<{ cidr: string; state: string; attachmentId?: string }>> = {};
  // Every attachment of the transit gateway, whatever the routes point at.
  const targets: TransitTarget[] = [
    { kind: "management-vpc" },
    { kind: "workload-vpc" },
    { kind: "peering" },
    ...topology[role].connections.map((c): TransitTarget => ({ kind: "connection", name: c.name })),
  ];
  const attachments: Record<string, TransitTarget> = Object.fromEntries(targets.map((t) => [attachmentIdOf(t)!, t]));
  for (const route of transitRoutes(topology, role)) {
    const target = active ? route.whileActive : route.whilePassive;
    const attachmentId = attachmentIdOf(target);
    (tables[route.table] ??= []).push({ cidr: route.cidr, state: attachmentId ? "active" : "blackhole", ...(attachmentId ? { attachmentId } : {}) });
  }
  return { status: "read", tables, attachments };
}

export const UNREACHABLE: RegionRouting = { status: "unreachable", reason: "ECONNREFUSED" };

export interface CopyOptions {
  readonly instanceId?: string;
  readonly imageId?: string;
  readonly state?: string;
  readonly capturedAt?: string;
  readonly ips?: readonly string[];
  readonly interfaceSizes?: readonly number[];
  readonly availabilityZone?: string;
  readonly instanceType?: string;
  readonly enaSupport?: boolean;
  readonly platform?: "windows" | "linux";
  readonly securityGroupNames?: readonly string[];
  readonly instanceProfileArn?: string | null;
  readonly tags?: ReadonlyArray<{ Key: string; Value: string }>;
  readonly sourceRegion?: string;
}

export const PROFILE = "arn:aws:iam::111122223333:instance-profile/ssm-managed";

export function copy(options: CopyOptions = {}): CopyFacts {
  const instanceId = options.instanceId ?? "i-0aaaaaaaaaaaaaaa1";
  const name = options.tags?.find((t) => t.Key === "Name")?.Value ?? "app-1";
  const inventory: InstanceInventory = {
    instanceId,
    name,
    instanceType: options.instanceType ?? "m5.large",
    platform: options.platform === "linux" ? "Linux/UNIX" : "Windows",
    enaSupport: options.enaSupport ?? true,
    vpcId: "vpc-source",
    subnetId: "subnet-source-app-a",
    availabilityZone: options.availabilityZone ?? "eu-west-1a",
    privateIps: options.ips ?? ["10.60.0.10"],
    ...(options.interfaceSizes ? { interfaceSizes: options.interfaceSizes } : {}),
    securityGroupNames: options.securityGroupNames ?? ["app"],
    ...(options.instanceProfileArn === null ? {} : { instanceProfileArn: options.instanceProfileArn ?? PROFILE }),
    tags: options.tags ?? [
      { Key: "Name", Value: name },
      { Key: "dr:protect", Value: "true" },
    ],
  };
  return {
    imageId: options.imageId ?? "ami-0copy0000000001",
    state: options.state ?? "available",
    capturedAt: new Date(options.capturedAt ?? "2024-06-01T02:00:00Z"),
    sourceRegion: options.sourceRegion ?? SOURCE,
    inventory,
    enaSupport: options.enaSupport ?? true,
    encrypted: true,
    platform: options.platform ?? "windows",
  };
}

export const TYPES: readonly InstanceTypeFacts[] = [
  { instanceType: "m5.large", exists: true, enaSupport: "required", zones: ["eu-central-1a", "eu-central-1b"] },
  { instanceType: "m4.large", exists: true, enaSupport: "unsupported", zones: ["eu-central-1a", "eu-central-1b"] },
  { instanceType: "c5.large", exists: true, enaSupport: "required", zones: ["eu-central-1b"] },
];

export function launched(options: Partial<LaunchedInstance> & { instanceId: string }): LaunchedInstance {
  return { state: "running", kind: "restore", sourceInstanceId: "i-0aaaaaaaaaaaaaaa1", copyImageId: "ami-0copy0000000001", privateIps: ["10.60.0.10"], subnetIds: [SUBNETS.appA.subnetId], ...options };
}

/** The DR region with the network deployed, passive (fenced) by default, and `copies` in it. */
export function drFacts(copies: readonly CopyFacts[], change: Partial<DrFacts> = {}): DrFacts {
  return {
    region: DR,
    workloadVpcId: WORKLOAD_VPC,
    copies,
    subnets: Object.values(SUBNETS),
    addressesInUse: [],
    launched: [],
    securityGroups: [
      { groupId: "sg-dr-app", groupName: "app" },
      { groupId: "sg-dr-rdp", groupName: "rdp-from-bastion" },
    ],
    instanceTypes: TYPES,
    routing: routingAs("secondary", false),
    workloadDhcp: "fenced",
    documents: { windows: "test-dr-secondary-windows-post-restore", linux: "test-dr-secondary-linux-post-restore" },
    ...change,
  };
}
