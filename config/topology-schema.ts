/**
 * The topology file's schema: field-level rules here, cross-field rules in `crossFieldProblems`.
 * Every message says what is wrong and how to fix it; `topology.ts` adds the field path and value.
 */
import { z } from "zod";
import { AWS_REGIONS, isAwsRegion } from "./regions";
import {
  DEFAULT_INTERFACE_ENDPOINTS,
  INTERFACE_ENDPOINT_SERVICE_NAMES,
  isInterfaceEndpointService,
} from "./endpoint-services";
import { cidrProblem, parseIpv4 } from "./cidr";

/** Amazon Time Sync Service, reachable from every VPC without an internet route. */
export const AMAZON_TIME_SYNC_IP = "169.254.169.123";

export const DEFAULT_TRANSIT_GATEWAY_ASN = { primary: 64512, secondary: 64513 } as const;

const FIX_SEPARATOR = " Fix: ";

function fieldRule<T>(check: (value: T) => { problem: string; fix: string } | undefined) {
  return (value: T, ctx: z.RefinementCtx) => {
    const result = check(value);
    if (result) ctx.addIssue({ code: "custom", message: result.problem + FIX_SEPARATOR + result.fix });
  };
}

const cidrBlock = z.string().superRefine(
  fieldRule((value: string) => {
    const problem = cidrProblem(value);
    return problem ? { problem, fix: "write a network address and prefix length, e.g. 10.20.0.0/16." } : undefined;
  }),
);

const ipv4Address = z.string().superRefine(
  fieldRule((value: string) =>
    parseIpv4(value) === undefined
      ? { problem: "is not an IPv4 address", fix: "write four dotted octets, e.g. 10.20.0.10." }
      : undefined,
  ),
);

const regionName = z.string().superRefine(
  fieldRule((value: string) =>
    isAwsRegion(value)
      ? undefined
      : { problem: "is not a known AWS region", fix: `use a region code such as ${nearest(value, AWS_REGIONS)}.` },
  ),
);

const DOMAIN_LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const DOMAIN_NAME = new RegExp(`^${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})+$`, "i");

const regionSchema = z.strictObject({
  /** AWS region code, e.g. `eu-west-1`. */
  region: regionName,
  /** The management VPC's primary CIDR block. */
  managementCidr: cidrBlock,
  /** Availability zone names in this region, at least two. */
  availabilityZones: z
    .array(z.string())
    .min(2, "needs at least two availability zones. Fix: list two or more zones of the region, e.g. [\"eu-west-1a\", \"eu-west-1b\"]."),
  /**
   * Prefix length of each management subnet (one per AZ).
   * @default the management CIDR's prefix length + 4 (sixteen subnet-sized blocks), at most /28
   */
  managementSubnetPrefixLength: z.number().int().min(16).max(28).optional(),
  /** The AWS Managed Microsoft AD directory this region's instances join. */
  directory: z.strictObject({
    /** Fully qualified domain name, e.g. `corp.example.com`. Windows accepts exactly one. */
    domainName: z
      .string()
      .regex(DOMAIN_NAME, `is not a fully qualified domain name.${FIX_SEPARATOR}write the directory's DNS name, e.g. corp.example.com.`),
    /** The directory's domain-controller DNS addresses in this region's VPC. */
    dnsIps: z
      .array(ipv4Address)
      .min(1, `is empty.${FIX_SEPARATOR}list the directory's domain-controller IPs (DescribeDirectories → DnsIpAddrs).`),
  }),
  /** @default ["169.254.169.123"] (Amazon Time Sync Service) */
  ntpServers: z.array(ipv4Address).min(1).max(4).optional(),
  /**
   * Private ASN of this region's transit gateway; the two must differ.
   * @default 64512 (primary), 64513 (secondary)
   */
  transitGatewayAsn: z.number().int().optional(),
});

const workloadSchema = z.strictObject({
  /** Short name used in resource names and outputs, e.g. `app`. */
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,20}$/, `must be lowercase letters, digits and dashes, at most 21 characters.${FIX_SEPARATOR}e.g. "app".`),
  /** Secondary CIDR block present in both VPCs; only the active region's copy is routed. */
  cidr: cidrBlock,
  /**
   * Prefix length of each workload subnet (one per AZ).
   * @default the smallest split of the CIDR that gives one subnet per AZ
   */
  subnetPrefixLength: z.number().int().min(16).max(28).optional(),
});

const endpointService = z.string().superRefine(
  fieldRule((value: string) =>
    isInterfaceEndpointService(value)
      ? undefined
      : { problem: "is not a supported interface endpoint service", fix: `use one of ${INTERFACE_ENDPOINT_SERVICE_NAMES.join(", ")}.` },
  ),
);

const endpointsSchema = z.strictObject({
  /** @default ["ssm", "ssmmessages", "ec2messages", "ec2"] */
  interface: z.array(endpointService).optional(),
  /** S3 gateway endpoint on the private route tables. @default true */
  s3Gateway: z.boolean().optional(),
  /** CIDRs allowed to reach the interface endpoints on TCP 443. @default management and workload CIDRs */
  allowedCidrs: z.array(cidrBlock).min(1).optional(),
});

const s3StateLocation = z.strictObject({
  /** An existing bucket in that region. */
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, `is not a valid S3 bucket name.${FIX_SEPARATOR}use 3-63 lowercase letters, digits, dots and dashes.`),
  /** @default "regionpair" */
  keyPrefix: z.string().optional(),
});

const stateSchema = z
  .strictObject({
    /** Where Terraform keeps each stack's state. */
    backend: z
      .string()
      .superRefine(
        fieldRule((value: string) =>
          value === "local" || value === "s3"
            ? undefined
            : { problem: 'must be "local" or "s3"', fix: 'use "local" (state files next to the project) or "s3" (a bucket per region).' },
        ),
      )
      .transform((value) => value as "local" | "s3"),
    /** S3-native state locking (Terraform ≥ 1.10); s3 only. @default true */
    useLockfile: z.boolean().optional(),
    /** s3 only: each region's stacks keep their state in that region's bucket. */
    primary: s3StateLocation.optional(),
    secondary: s3StateLocation.optional(),
  })
  .superRefine((state, ctx) => {
    for (const role of ["primary", "secondary"] as const) {
      if (state.backend === "s3" && !state[role]) {
        ctx.addIssue({ code: "custom", path: [role], message: `is required for the s3 backend.${FIX_SEPARATOR}add { "bucket": "<bucket in the ${role} region>" }.` });
      }
      if (state.backend === "local" && state[role]) {
        ctx.addIssue({ code: "custom", path: [role], message: `only applies to the s3 backend.${FIX_SEPARATOR}remove it, or set "backend": "s3".` });
      }
    }
    if (state.backend === "local" && state.useLockfile !== undefined) {
      ctx.addIssue({ code: "custom", path: ["useLockfile"], message: `only applies to the s3 backend.${FIX_SEPARATOR}remove it, or set "backend": "s3".` });
    }
  });

export const topologySchema = z.strictObject({
  /** Editor hint; ignored. */
  $schema: z.string().optional(),
  /** Used in tags and resource names. */
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,23}$/, `must be 2-24 lowercase letters, digits and dashes, starting with a letter.${FIX_SEPARATOR}e.g. "corp-dr".`),
  primary: regionSchema,
  secondary: regionSchema,
  /**
   * The region whose workload CIDRs are routed, the default of the `active_region` variable.
   * @default the primary region
   */
  activeRegion: z.string().optional(),
  /** @default [] */
  workloads: z.array(workloadSchema).optional(),
  endpoints: endpointsSchema.optional(),
  /** @default { "backend": "local" } */
  state: stateSchema.optional(),
});

export type TopologyInput = z.infer<typeof topologySchema>;
export type RegionInput = z.infer<typeof regionSchema>;

export { DEFAULT_INTERFACE_ENDPOINTS, FIX_SEPARATOR };

/** The closest candidate by edit distance, for "did you mean" hints. */
export function nearest(value: string, candidates: readonly string[]): string {
  let best = candidates[0];
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(value.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
