/**
 * Where subnets go inside the topology's blocks: pure arithmetic shared by validation (does it
 * fit?) and resolution (the CIDRs the stacks create). The layout is by zone position, so both
 * regions get the same subnet CIDRs and a restored instance keeps its IP.
 */
import { Ipv4Cidr, carve, formatIpv4, overlaps, size } from "./cidr";

/** One /28 per zone for the workload VPC's transit gateway attachment and endpoint interfaces. */
export const INFRASTRUCTURE_SUBNET_PREFIX = 28;

export function defaultManagementPrefix(cidr: Ipv4Cidr): number {
  return Math.min(cidr.prefixLength + 4, 28);
}

/** The shortest prefix that gives `count` subnets in `cidr`. */
export function minimumSplitPrefix(cidr: Ipv4Cidr, count: number): number {
  return cidr.prefixLength + Math.ceil(Math.log2(Math.max(count, 1)));
}

/**
 * The workload VPC's infrastructure subnets: the last /28 of the first workload block per zone,
 * kept apart from the workload subnets so that no interface AWS places (the transit gateway's,
 * the endpoints') can take an address a restored instance needs.
 */
export function infrastructureSubnets(firstWorkload: Ipv4Cidr, zoneCount: number): Ipv4Cidr[] | undefined {
  const blockSize = 2 ** (32 - INFRASTRUCTURE_SUBNET_PREFIX);
  const start = firstWorkload.network + size(firstWorkload) - zoneCount * blockSize;
  if (firstWorkload.prefixLength > INFRASTRUCTURE_SUBNET_PREFIX || start < firstWorkload.network) return undefined;
  return Array.from({ length: zoneCount }, (_, i) => {
    const network = start + i * blockSize;
    return { text: `${formatIpv4(network)}/${INFRASTRUCTURE_SUBNET_PREFIX}`, network, prefixLength: INFRASTRUCTURE_SUBNET_PREFIX };
  });
}

export interface WorkloadLayout {
  readonly prefixLength: number;
  readonly subnets: readonly Ipv4Cidr[];
}

/**
 * A workload's subnets, one per zone, carved from the start of its block. The first workload
 * also holds the infrastructure subnets, so its default split is the largest that leaves them
 * free. Undefined when the subnets do not fit.
 */
export function workloadLayout(cidr: Ipv4Cidr, zoneCount: number, isFirst: boolean, prefixLength?: number): WorkloadLayout | undefined {
  const reserved = isFirst ? infrastructureSubnets(cidr, zoneCount) : [];
  if (!reserved) return undefined;
  const fits = (prefix: number) => {
    if (prefix > 28) return undefined;
    const subnets = carve(cidr, prefix, zoneCount);
    return subnets && !subnets.some((s) => reserved.some((r) => overlaps(s, r))) ? subnets : undefined;
  };
  if (prefixLength !== undefined) {
    const subnets = fits(prefixLength);
    return subnets ? { prefixLength, subnets } : undefined;
  }
  for (let prefix = minimumSplitPrefix(cidr, zoneCount); prefix <= 28; prefix++) {
    const subnets = fits(prefix);
    if (subnets) return { prefixLength: prefix, subnets };
  }
  return undefined;
}
