/**
 * The resolved topology the stacks and commands build from: defaults filled in, subnet layouts
 * computed, on-premises connections grouped by region. `resolveTopology` runs only on input that
 * passed validation, so it may assume every rule holds.
 */
import { AwsRegion } from "./regions";
import { InterfaceEndpointService, DEFAULT_INTERFACE_ENDPOINTS } from "./endpoint-services";
import { parseCidr } from "./cidr";
import { AMAZON_TIME_SYNC_IP, DEFAULT_TRANSIT_GATEWAY_ASN, ConnectionInput, TopologyInput } from "./topology-schema";
import { QuotaLimits, quotaLimits } from "./aws-quotas";
import { defaultManagementPrefix, infrastructureSubnets, workloadLayout } from "./subnet-layout";
import { carve } from "./cidr";

export const REGION_ROLES = ["primary", "secondary"] as const;
export type RegionRole = (typeof REGION_ROLES)[number];

export function otherRole(role: RegionRole): RegionRole {
  return role === "primary" ? "secondary" : "primary";
}

export interface SubnetLayout {
  readonly availabilityZone: string;
  readonly cidr: string;
}

export interface Workload {
  readonly name: string;
  readonly cidr: string;
  /** Subnets by zone position; identical in both regions so a restored instance keeps its IP. */
  readonly subnetCidrs: readonly string[];
}

interface ConnectionBase {
  readonly name: string;
  readonly region: AwsRegion;
  readonly role: RegionRole;
  /** The client networks behind it, routed back to it. */
  readonly cidrs: readonly string[];
}

/** A site-to-site VPN the network stack creates on the region's transit gateway. */
export interface VpnConnection extends ConnectionBase {
  readonly kind: "vpn";
  readonly customerGatewayIp: string;
  readonly bgpAsn: number;
  readonly staticRoutesOnly: boolean;
}

/** An attachment made elsewhere (Direct Connect gateway, VPN, another VPC) on the region's transit gateway. */
export interface ExistingAttachmentConnection extends ConnectionBase {
  readonly kind: "attachment";
  readonly attachmentId: string;
}

export type OnPremisesConnection = VpnConnection | ExistingAttachmentConnection;

/** What one region of the pair holds. */
export interface RegionLayout {
  readonly role: RegionRole;
  readonly region: AwsRegion;
  /** Terraform refuses other accounts' credentials when set. */
  readonly accountId?: string;
  readonly managementCidr: string;
  readonly availabilityZones: readonly string[];
  readonly managementSubnets: readonly SubnetLayout[];
  /** Per workload, one subnet per zone (same zone order as `availabilityZones`). */
  readonly workloadSubnets: ReadonlyArray<{ readonly workload: string; readonly subnets: readonly SubnetLayout[] }>;
  /** The workload VPC's subnets for the transit gateway attachment and endpoints; none without workloads. */
  readonly infrastructureSubnets: readonly SubnetLayout[];
  readonly domainName: string;
  /** This region's domain controllers. */
  readonly domainControllerIps: readonly string[];
  readonly ntpServers: readonly string[];
  readonly transitGatewayAsn: number;
  /** On-premises connections into this region's transit gateway, in topology order. */
  readonly connections: readonly OnPremisesConnection[];
}

export type StateConfig =
  | { readonly backend: "local" }
  | {
      readonly backend: "s3";
      readonly useLockfile: boolean;
      readonly locations: Readonly<Record<RegionRole, { readonly bucket: string; readonly keyPrefix: string }>>;
    };

/** The optional iam stack: roles for the pipelines and operators, trusted by GitHub's OIDC provider. */
export interface IamConfig {
  readonly github: {
    readonly repository: string;
    readonly environment: string;
    readonly planEnvironment: string;
    /** An existing provider; undefined: the iam stack creates it. */
    readonly oidcProviderArn?: string;
  };
  readonly kmsKeyArns: readonly string[];
}

export interface Topology {
  readonly name: string;
  readonly primary: RegionLayout;
  readonly secondary: RegionLayout;
  /** Default of the `active_region` variable. */
  readonly activeRegion: AwsRegion;
  readonly workloads: readonly Workload[];
  /** Every client network behind an on-premises connection, in either region, in first-seen order. */
  readonly clientCidrs: readonly string[];
  readonly endpoints: {
    readonly interfaceServices: readonly InterfaceEndpointService[];
    readonly s3Gateway: boolean;
    /** Who may reach the management VPC's interface endpoints (the active workload copy uses them too). */
    readonly allowedCidrs: readonly string[];
  };
  readonly quotas: QuotaLimits;
  readonly state: StateConfig;
  /** Present only when the topology asks for the iam stack. */
  readonly iam?: IamConfig;
  /** The file it was read from, for messages. */
  readonly source: string;
}

/** DNS servers for a region's DHCP options: its own domain controllers first, then the other's. */
export function dnsServersFor(topology: Topology, role: RegionRole): string[] {
  return [...topology[role].domainControllerIps, ...topology[otherRole(role)].domainControllerIps];
}

/** The role of a region of the pair, or undefined for any other region. */
export function roleOfRegion(topology: Topology, region: string): RegionRole | undefined {
  return REGION_ROLES.find((role) => topology[role].region === region);
}

function resolveConnection(input: ConnectionInput, role: RegionRole, defaultCidrs: readonly string[]): OnPremisesConnection {
  const base = { name: input.name, region: input.region as AwsRegion, role, cidrs: input.cidrs ?? defaultCidrs };
  if (input.vpn) {
    return {
      ...base,
      kind: "vpn",
      customerGatewayIp: input.vpn.customerGatewayIp,
      bgpAsn: input.vpn.bgpAsn,
      staticRoutesOnly: (input.vpn.routing ?? "bgp") === "static",
    };
  }
  return { ...base, kind: "attachment", attachmentId: input.attachmentId! };
}

function resolveIam(input: NonNullable<TopologyInput["iam"]>): IamConfig {
  const environment = input.github.environment ?? "production";
  return {
    github: {
      repository: input.github.repository,
      environment,
      planEnvironment: input.github.planEnvironment ?? `${environment}-plan`,
      ...(input.github.oidcProviderArn ? { oidcProviderArn: input.github.oidcProviderArn } : {}),
    },
    kmsKeyArns: input.kmsKeyArns ?? [],
  };
}

export function resolveTopology(input: TopologyInput, source: string): Topology {
  const zoneCount = input.primary.availabilityZones.length;
  const workloads: Workload[] = (input.workloads ?? []).map((w, index) => {
    const layout = workloadLayout(parseCidr(w.cidr), zoneCount, index === 0, w.subnetPrefixLength)!;
    return { name: w.name, cidr: w.cidr, subnetCidrs: layout.subnets.map((s) => s.text) };
  });
  const infrastructure = workloads.length ? infrastructureSubnets(parseCidr(workloads[0].cidr), zoneCount)!.map((s) => s.text) : [];
  const onPremisesCidrs = input.onPremises?.cidrs ?? [];

  const layout = (role: RegionRole): RegionLayout => {
    const region = input[role];
    const cidr = parseCidr(region.managementCidr);
    const prefix = region.managementSubnetPrefixLength ?? defaultManagementPrefix(cidr);
    const managementBlocks = carve(cidr, prefix, region.availabilityZones.length)!;
    const inZone = (cidrs: readonly string[]) => cidrs.map((subnetCidr, i) => ({ availabilityZone: region.availabilityZones[i], cidr: subnetCidr }));
    return {
      role,
      region: region.region as AwsRegion,
      accountId: region.accountId,
      managementCidr: region.managementCidr,
      availabilityZones: region.availabilityZones,
      managementSubnets: inZone(managementBlocks.map((b) => b.text)),
      workloadSubnets: workloads.map((w) => ({ workload: w.name, subnets: inZone(w.subnetCidrs) })),
      infrastructureSubnets: inZone(infrastructure),
      domainName: region.directory.domainName.toLowerCase(),
      domainControllerIps: region.directory.dnsIps,
      ntpServers: region.ntpServers ?? [AMAZON_TIME_SYNC_IP],
      transitGatewayAsn: region.transitGatewayAsn ?? DEFAULT_TRANSIT_GATEWAY_ASN[role],
      connections: (input.onPremises?.connections ?? [])
        .filter((c) => c.region === region.region)
        .map((c) => resolveConnection(c, role, onPremisesCidrs)),
    };
  };

  const primary = layout("primary");
  const secondary = layout("secondary");
  const clientCidrs = [...new Set([...primary.connections, ...secondary.connections].flatMap((c) => c.cidrs))];
  const endpoints = input.endpoints ?? {};
  const state: StateConfig =
    input.state?.backend === "s3"
      ? {
          backend: "s3",
          useLockfile: input.state.useLockfile ?? true,
          locations: {
            primary: { bucket: input.state.primary!.bucket, keyPrefix: input.state.primary!.keyPrefix ?? "regionpair" },
            secondary: { bucket: input.state.secondary!.bucket, keyPrefix: input.state.secondary!.keyPrefix ?? "regionpair" },
          },
        }
      : { backend: "local" };

  return {
    name: input.name,
    primary,
    secondary,
    activeRegion: (input.activeRegion ?? primary.region) as AwsRegion,
    workloads,
    clientCidrs,
    endpoints: {
      interfaceServices: (endpoints.interface ?? DEFAULT_INTERFACE_ENDPOINTS) as InterfaceEndpointService[],
      s3Gateway: endpoints.s3Gateway ?? true,
      // The active workload copy resolves through the directory, so it uses these endpoints too.
      allowedCidrs: endpoints.allowedCidrs ?? [primary.managementCidr, secondary.managementCidr, ...workloads.map((w) => w.cidr)],
    },
    quotas: quotaLimits(input.quotas),
    state,
    ...(input.iam ? { iam: resolveIam(input.iam) } : {}),
    source,
  };
}
