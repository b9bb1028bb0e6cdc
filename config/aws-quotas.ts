/**
 * The AWS quotas a topology can run into, with the names and codes the Service Quotas console
 * uses, so a validation message says exactly which quota to raise (or that it cannot be).
 * Figures from the Amazon VPC and Transit Gateway quota pages.
 */

export interface Quota {
  readonly name: string;
  /** Service Quotas code, for `aws service-quotas request-service-quota-increase`. */
  readonly code?: string;
  readonly defaultValue: number;
  /** The most AWS grants; undefined when no upper bound is published. */
  readonly maximum?: number;
  /** The topology's `quotas` field that declares a raised value. */
  readonly field?: "ipv4CidrBlocksPerVpc" | "subnetsPerVpc" | "routesPerRouteTable";
}

export const AWS_QUOTAS = {
  ipv4CidrBlocksPerVpc: { name: "IPv4 CIDR blocks per VPC", code: "L-83CA0A9D", defaultValue: 5, maximum: 50, field: "ipv4CidrBlocksPerVpc" },
  subnetsPerVpc: { name: "Subnets per VPC", code: "L-407747CB", defaultValue: 200, field: "subnetsPerVpc" },
  routesPerRouteTable: { name: "Routes per route table", code: "L-93826ACB", defaultValue: 50, maximum: 1000, field: "routesPerRouteTable" },
  routesPerTransitGatewayRouteTable: { name: "Routes per transit gateway route table", defaultValue: 10_000, maximum: 10_000 },
  dnsServersPerDhcpOptionSet: { name: "DNS servers per DHCP option set", defaultValue: 4, maximum: 4 },
} as const satisfies Record<string, Quota>;

export type QuotaName = keyof typeof AWS_QUOTAS;

/** The limits a topology is checked against: AWS's defaults, or the raised values it declares. */
export type QuotaLimits = Readonly<Record<QuotaName, number>>;

export function quotaLimits(declared: Partial<Record<NonNullable<Quota["field"]>, number>> = {}): QuotaLimits {
  const limits = {} as Record<QuotaName, number>;
  for (const [name, quota] of Object.entries(AWS_QUOTAS) as Array<[QuotaName, Quota]>) {
    limits[name] = (quota.field && declared[quota.field]) ?? quota.defaultValue;
  }
  return limits;
}

/** How to get past a quota: raise it (and declare it), or stay under its hard maximum. */
export function quotaFix(quota: Quota, needed: number): string {
  const named = `"${quota.name}"${quota.code ? ` (${quota.code})` : ""}`;
  if (quota.maximum !== undefined && needed > quota.maximum) {
    return `AWS allows at most ${quota.maximum} for ${named}: reduce the topology`;
  }
  if (!quota.field) return `reduce the topology to fit ${named}`;
  return `request an increase of ${named} in Service Quotas and declare it as quotas.${quota.field}, or reduce the topology`;
}
