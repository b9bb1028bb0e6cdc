/**
 * The routing design, as data: every static route of a region's transit gateway route tables,
 * with where it points while the region is active and while it is passive, and the routes each
 * VPC sends to the transit gateway. The routing stack, the failover command, `status` and `reach`
 * all read this one list, so what terraform declares and what a failover moves cannot differ.
 *
 * Three TGW route tables per region, chosen by where a packet enters the gateway:
 * - `clients` (management VPC and on-premises connections): workload CIDRs go to the local
 *   workload VPC while the region is active and over the peering to the other region while it is
 *   passive, so every client reaches the active copy at the same IPs;
 * - `peering` (traffic from the other region): workload CIDRs go to the local workload VPC while
 *   active and to a blackhole while passive. Nothing in this table points back at the peering,
 *   so a packet can cross between the regions at most once: no loop is possible;
 * - `workload` (the workload VPC): while active, routes to the management VPCs and the client
 *   networks; while passive, every route is a blackhole. That is the fence: a pre-staged or
 *   drill instance in the passive copy, carrying a production IP, hostname and SID, cannot reach
 *   the directory, on premises or the active copy, and no client can reach it.
 *
 * The fence has a second layer: the workload VPC's DHCP options. While active they are the
 * directory's (its domain controllers resolve every name, AWS's through the management VPC, whose
 * endpoints the active copy then uses over the TGW); while passive they are Amazon's DNS, so the
 * fenced copy cannot even find the domain, and resolves the AWS APIs to its own VPC's endpoints,
 * which keep drills and pre-staged instances manageable through Session Manager.
 */
import { RegionRole, Topology, otherRole } from "./topology-model";

export const TRANSIT_ROUTE_TABLES = ["clients", "peering", "workload"] as const;
export type TransitRouteTable = (typeof TRANSIT_ROUTE_TABLES)[number];

export type TransitTarget =
  | { readonly kind: "management-vpc" }
  | { readonly kind: "workload-vpc" }
  | { readonly kind: "peering" }
  /** An on-premises connection of this region, by name. */
  | { readonly kind: "connection"; readonly name: string }
  /** A deliberate blackhole: the fence. */
  | { readonly kind: "blackhole" };

export interface TransitRoute {
  /** Stable construct id (never derived from list position), e.g. `clients-workload-app`. */
  readonly id: string;
  readonly table: TransitRouteTable;
  readonly cidr: string;
  /** What the destination is, in words, e.g. `workload app`. */
  readonly destination: string;
  /** Where it points while this region is the active one. */
  readonly whileActive: TransitTarget;
  readonly whilePassive: TransitTarget;
}

const MANAGEMENT_VPC: TransitTarget = { kind: "management-vpc" };
const WORKLOAD_VPC: TransitTarget = { kind: "workload-vpc" };
const PEERING: TransitTarget = { kind: "peering" };
const BLACKHOLE: TransitTarget = { kind: "blackhole" };

export function sameTarget(a: TransitTarget, b: TransitTarget): boolean {
  return a.kind === b.kind && (a.kind !== "connection" || a.name === (b as { name: string }).name);
}

/** True for the routes a failover moves. */
export function movesOnFailover(route: TransitRoute): boolean {
  return !sameTarget(route.whileActive, route.whilePassive);
}

export function targetWhen(route: TransitRoute, active: boolean): TransitTarget {
  return active ? route.whileActive : route.whilePassive;
}

/** Which DHCP option set the workload VPC uses. */
export type WorkloadDhcp = "directory" | "fenced";

export function workloadDhcpWhen(active: boolean): WorkloadDhcp {
  return active ? "directory" : "fenced";
}

/** `172.16.0.0/12` → `172-16-0-0-12`, for construct ids. */
export function cidrSlug(cidr: string): string {
  return cidr.replace(/[./]/g, "-");
}

/** The connection of `role` that serves `cidr` (the first listed), if any. */
export function connectionFor(topology: Topology, role: RegionRole, cidr: string): string | undefined {
  return topology[role].connections.find((c) => c.cidrs.includes(cidr))?.name;
}

/** Every static route of one region's transit gateway route tables. */
export function transitRoutes(topology: Topology, role: RegionRole): TransitRoute[] {
  const local = topology[role];
  const remote = topology[otherRole(role)];
  const hasWorkloads = topology.workloads.length > 0;
  const routes: TransitRoute[] = [];
  const add = (table: TransitRouteTable, key: string, cidr: string, destination: string, whileActive: TransitTarget, whilePassive = whileActive) =>
    routes.push({ id: `${table}-${key}`, table, cidr, destination, whileActive, whilePassive });

  // Clients: the management VPC and the on-premises connections.
  add("clients", "management-local", local.managementCidr, `management VPC ${local.region}`, MANAGEMENT_VPC);
  add("clients", "management-remote", remote.managementCidr, `management VPC ${remote.region}`, PEERING);
  for (const workload of topology.workloads) {
    add("clients", `workload-${workload.name}`, workload.cidr, `workload ${workload.name}`, WORKLOAD_VPC, PEERING);
  }
  for (const cidr of topology.clientCidrs) {
    const here = connectionFor(topology, role, cidr);
    // A client network only the other region connects to is reached through it.
    add("clients", `client-${cidrSlug(cidr)}`, cidr, `clients ${cidr}`, here ? { kind: "connection", name: here } : PEERING);
  }

  // Arriving over the peering: never sent back over it.
  add("peering", "management-local", local.managementCidr, `management VPC ${local.region}`, MANAGEMENT_VPC);
  for (const workload of topology.workloads) {
    add("peering", `workload-${workload.name}`, workload.cidr, `workload ${workload.name}`, WORKLOAD_VPC, BLACKHOLE);
  }
  for (const cidr of topology.clientCidrs) {
    const here = connectionFor(topology, role, cidr);
    if (here) add("peering", `client-${cidrSlug(cidr)}`, cidr, `clients ${cidr}`, { kind: "connection", name: here });
  }

  // Leaving the workload VPC: open while active, fenced while passive.
  if (hasWorkloads) {
    add("workload", "management-local", local.managementCidr, `management VPC ${local.region}`, MANAGEMENT_VPC, BLACKHOLE);
    add("workload", "management-remote", remote.managementCidr, `management VPC ${remote.region}`, PEERING, BLACKHOLE);
    for (const cidr of topology.clientCidrs) {
      const here = connectionFor(topology, role, cidr);
      add("workload", `client-${cidrSlug(cidr)}`, cidr, `clients ${cidr}`, here ? { kind: "connection", name: here } : PEERING, BLACKHOLE);
    }
  }
  return routes;
}

/** The destinations each VPC of a region sends to its transit gateway; they never change. */
export function vpcRoutesToTransitGateway(topology: Topology, role: RegionRole): { readonly management: readonly string[]; readonly workload: readonly string[] } {
  const local = topology[role];
  const remote = topology[otherRole(role)];
  return {
    management: [...topology.workloads.map((w) => w.cidr), remote.managementCidr, ...topology.clientCidrs],
    workload: topology.workloads.length ? [local.managementCidr, remote.managementCidr, ...topology.clientCidrs] : [],
  };
}
