/**
 * The DR subnet that mirrors a source instance's subnet. Workload subnets have the same CIDRs in
 * both regions, by zone position (topology-model `workloadSubnets`), so the copy's recorded IP
 * says which one: the topology's workload subnet holding the IP gives the zone position and the
 * CIDR; the DR subnet with that CIDR must exist, sit in the DR zone at that position, and the
 * source instance's recorded zone must be at the same position in the source region. Pure.
 */
import { contains, isReservedInSubnet, parseCidr, parseIpv4 } from "../../config/cidr";
import type { RegionRole, Topology } from "../../config/topology-model";
import type { SubnetFacts } from "./facts";

export interface MirroredSubnet {
  readonly subnet: SubnetFacts;
  readonly workload: string;
  /** Position of the zone in each region's `availabilityZones`. */
  readonly zoneIndex: number;
}

export interface MirrorProblem {
  readonly code: "NoMirroredSubnet" | "ZoneMismatch" | "NotAWorkloadAddress";
  readonly problem: string;
  readonly fix: string;
}

/** The topology's workload subnet (same in both regions) that holds `ip`. */
export function workloadSubnetOf(topology: Topology, role: RegionRole, ip: string): { workload: string; zoneIndex: number; cidr: string } | undefined {
  const address = parseIpv4(ip);
  if (address === undefined) return undefined;
  for (const { workload, subnets } of topology[role].workloadSubnets) {
    const zoneIndex = subnets.findIndex((s) => contains(parseCidr(s.cidr), address));
    if (zoneIndex !== -1) return { workload, zoneIndex, cidr: subnets[zoneIndex].cidr };
  }
  return undefined;
}

export function mirroredSubnet(
  topology: Topology,
  roles: { readonly source: RegionRole; readonly dr: RegionRole },
  recorded: { readonly ip: string; readonly availabilityZone?: string },
  drSubnets: readonly SubnetFacts[],
): MirroredSubnet | MirrorProblem {
  const dr = topology[roles.dr];
  const source = topology[roles.source];
  const layout = workloadSubnetOf(topology, roles.dr, recorded.ip);
  if (!layout) {
    return {
      code: "NotAWorkloadAddress",
      problem: `${recorded.ip} is in none of the topology's workload subnets, so no DR subnet mirrors it`,
      fix: `restore only instances of the workload VPC (workload CIDRs ${topology.workloads.map((w) => w.cidr).join(", ")})`,
    };
  }
  const zone = dr.availabilityZones[layout.zoneIndex];
  const subnet = drSubnets.find((s) => s.cidr === layout.cidr);
  if (!subnet) {
    return {
      code: "NoMirroredSubnet",
      problem: `the DR workload VPC has no subnet ${layout.cidr} (workload ${layout.workload}, ${zone}) for ${recorded.ip}`,
      fix: `deploy the network stack of ${dr.region} (it creates every workload subnet)`,
    };
  }
  if (subnet.availabilityZone !== zone) {
    return {
      code: "ZoneMismatch",
      problem: `DR subnet ${subnet.subnetId} (${subnet.cidr}) is in ${subnet.availabilityZone}, not ${zone}, zone ${layout.zoneIndex + 1} of ${dr.region} in the topology`,
      fix: `make the topology's availabilityZones for ${dr.region} match the deployed subnets, then deploy the network stack`,
    };
  }
  if (recorded.availabilityZone !== undefined) {
    const sourceIndex = source.availabilityZones.indexOf(recorded.availabilityZone);
    if (sourceIndex !== layout.zoneIndex) {
      const where = sourceIndex === -1 ? `is not one of ${source.region}'s zones in the topology` : `is zone ${sourceIndex + 1} of ${source.region}`;
      return {
        code: "ZoneMismatch",
        problem: `the source ran in ${recorded.availabilityZone}, which ${where}, but ${recorded.ip} belongs to zone ${layout.zoneIndex + 1}'s subnet ${layout.cidr}`,
        fix: `check the topology's availabilityZones for ${source.region}; the instance must be in the workload subnet of its own zone`,
      };
    }
  }
  return { subnet, workload: layout.workload, zoneIndex: layout.zoneIndex };
}

export function isMirrorProblem(result: MirroredSubnet | MirrorProblem): result is MirrorProblem {
  return "code" in result;
}

/** Why `ip` cannot be assigned in `subnet`, or undefined when it can. */
export function addressProblem(subnetCidr: string, ip: string): string | undefined {
  const address = parseIpv4(ip);
  const cidr = parseCidr(subnetCidr);
  if (address === undefined) return `${ip} is not an IPv4 address`;
  if (!contains(cidr, address)) return `${ip} is outside ${subnetCidr}`;
  if (isReservedInSubnet(cidr, address)) return `${ip} is one of the five addresses AWS reserves in ${subnetCidr}`;
  return undefined;
}
