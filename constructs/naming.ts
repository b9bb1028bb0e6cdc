/**
 * Names and tags, in one place. Every resource gets a predictable `Name`
 * (`<topology>-<role>-<suffix>`, e.g. `corp-dr-primary-vpc`); the topology and region-role tags
 * come from the provider's default tags. Later stacks find resources in their own region by these
 * tags, so the formats here are a contract: changing one breaks those lookups.
 */
import { IConstruct } from "constructs";
import type { RegionRole } from "../config/topology-model";

export const TAG_TOPOLOGY = "regionpair:topology";
export const TAG_REGION_ROLE = "regionpair:region-role";
export const TAG_MANAGED_BY = "regionpair:managed-by";
/** On VPCs: `management` or `workload`. */
export const TAG_VPC_ROLE = "regionpair:vpc";
/** On transit gateway route tables: which one of TRANSIT_ROUTE_TABLES it is. */
export const TAG_ROUTE_TABLE = "regionpair:tgw-route-table";
/** On DHCP option sets: `directory` or `fenced` (Amazon DNS, for a passive workload copy). */
export const TAG_DHCP_OPTIONS = "regionpair:dhcp-options";
/** On an on-premises connection's resources (customer gateway, VPN, its attachment): its name. */
export const TAG_CONNECTION = "regionpair:connection";

const NAMING = Symbol.for("regionpair.naming");

export class Naming {
  /** The naming of the nearest enclosing scope that has one (set by the stacks). */
  static of(scope: IConstruct): Naming {
    for (const candidate of [...scope.node.scopes].reverse()) {
      const naming = (candidate as unknown as Record<symbol, Naming | undefined>)[NAMING];
      if (naming) return naming;
    }
    throw new Error(`No Naming above ${scope.node.path}: create constructs inside a regionpair stack or call Naming.attach.`);
  }

  /** Makes `naming` the naming of `scope` and everything below it. */
  static attach(scope: IConstruct, naming: Naming): Naming {
    (scope as unknown as Record<symbol, Naming>)[NAMING] = naming;
    return naming;
  }

  constructor(
    readonly topologyName: string,
    /** Omitted for resources that belong to the pair rather than one region. */
    readonly role?: RegionRole,
  ) {}

  name(suffix: string): string {
    return this.role ? `${this.topologyName}-${this.role}-${suffix}` : `${this.topologyName}-${suffix}`;
  }

  nameTag(suffix: string): { Name: string } {
    return { Name: this.name(suffix) };
  }

  /** Tags every resource of a region carries (applied as the provider's default tags). */
  commonTags(role: RegionRole): Record<string, string> {
    return { ...this.pairTags(), [TAG_REGION_ROLE]: role };
  }

  /** Tags of resources that belong to the pair, identical in both regions (the peering). */
  pairTags(): Record<string, string> {
    return { [TAG_TOPOLOGY]: this.topologyName, [TAG_MANAGED_BY]: "regionpair" };
  }
}

export type VpcRole = "management" | "workload";

/** Suffixes shared by the constructs that set a Name and the stacks and commands that look resources up. */
export const NAME_SUFFIX = {
  vpc: (role: VpcRole) => (role === "management" ? "vpc" : "workload-vpc"),
  routeTable: (role: VpcRole, availabilityZone: string) => (role === "management" ? `private-${availabilityZone}` : `workload-${availabilityZone}`),
  dhcpOptions: (kind: "directory" | "fenced") => (kind === "directory" ? "dhcp-options" : "fenced-dhcp-options"),
  transitGateway: "tgw",
  transitGatewayRouteTable: (table: string) => `tgw-rt-${table}`,
  vpcAttachment: (role: VpcRole) => (role === "management" ? "tgw-vpc-attachment" : "tgw-workload-attachment"),
  customerGateway: (connection: string) => `cgw-${connection}`,
  vpnConnection: (connection: string) => `vpn-${connection}`,
  vpnAttachment: (connection: string) => `tgw-vpn-${connection}`,
  /** Named without a role: the peering belongs to the pair. */
  peeringAttachment: "tgw-peering",
} as const;
