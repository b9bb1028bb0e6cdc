/**
 * The topology file's schema: the shape and the rules that look at one field at a time. Rules
 * that compare fields live in `topology-rules.ts`; `zod-issues.ts` turns what zod reports into
 * problems with the field path and value. Every message says what is wrong and how to fix it.
 */
import { z } from "zod";
import { AWS_REGIONS, isAwsRegion, partitionOf } from "./regions";
import { INTERFACE_ENDPOINT_SERVICE_NAMES, isInterfaceEndpointService } from "./endpoint-services";
import { cidrProblem, parseIpv4 } from "./cidr";
import { nearest } from "./suggestions";

/** Amazon Time Sync Service, reachable from every VPC without an internet route. */
export const AMAZON_TIME_SYNC_IP = "169.254.169.123";

export const DEFAULT_TRANSIT_GATEWAY_ASN = { primary: 64512, secondary: 64513 } as const;

/** Separates a problem from its fix inside a zod message; `zod-issues.ts` splits on it. */
export const FIX_SEPARATOR = " Fix: ";

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
  fieldRule((value: string) => {
    if (!isAwsRegion(value)) return { problem: "is not a known AWS region", fix: `use a region code such as ${nearest(value, AWS_REGIONS)}.` };
    const partition = partitionOf(value);
    // China's endpoint service names (cn.com.amazonaws.…, per service) and ARNs (arn:aws-cn:…)
    // differ from every other partition's; building them wrongly would fail only at deploy time.
    if (partition === "aws-cn") {
      return { problem: `is in the ${partition} partition, whose endpoint service names and ARNs regionpair does not build`, fix: "use a region of the aws or aws-us-gov partition." };
    }
    return undefined;
  }),
);

const accountId = z
  .string()
  .regex(/^\d{12}$/, `is not an AWS account id.${FIX_SEPARATOR}write the 12 digits of the account this region deploys into, e.g. "123456789012".`);

const DOMAIN_LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const DOMAIN_NAME = new RegExp(`^${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})+$`, "i");

const regionSchema = z.strictObject({
  /** AWS region code, e.g. `eu-west-1`. */
  region: regionName,
  /**
   * The account this region's stacks deploy into. Terraform refuses to run with credentials of
   * any other account (the provider's `allowed_account_ids`).
   * @default any account (no check)
   */
  accountId: accountId.optional(),
  /** The management VPC's CIDR block (domain controllers, endpoints, tooling). */
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
    /** The directory's domain-controller DNS addresses in this region's management VPC. */
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
  /** A block of the workload VPC, the same in both regions; only the active region's copy is routed. */
  cidr: cidrBlock,
  /**
   * Prefix length of each workload subnet (one per AZ).
   * @default the smallest split of the CIDR that gives one subnet per AZ (for the first
   * workload: that also leaves room for the workload VPC's infrastructure subnets)
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
  /** In both VPCs of each region. @default ["ssm", "ssmmessages", "ec2messages", "ec2"] */
  interface: z.array(endpointService).optional(),
  /** S3 gateway endpoint on the private route tables. @default true */
  s3Gateway: z.boolean().optional(),
  /**
   * CIDRs allowed to reach the management VPC's interface endpoints on TCP 443 (the active
   * workload copy resolves the AWS APIs through the directory, hence to these). The workload VPC's
   * own endpoints admit the workload CIDRs only.
   * @default both management CIDRs and every workload CIDR
   */
  allowedCidrs: z.array(cidrBlock).min(1).optional(),
});

const connectionName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,20}$/, `must be lowercase letters, digits and dashes, at most 21 characters.${FIX_SEPARATOR}e.g. "hq-vpn".`);

const vpnSchema = z.strictObject({
  /** The on-premises device's public IPv4 address (the customer gateway). */
  customerGatewayIp: ipv4Address,
  /** The on-premises device's BGP ASN (also needed for static routing: AWS records it). */
  bgpAsn: z.number().int(),
  /**
   * `bgp`: routes exchanged over BGP; `static`: the device has static routes to the pair.
   * @default "bgp"
   */
  routing: z.enum(["bgp", "static"]).optional(),
});

const connectionSchema = z.strictObject({
  /** Short name used in resource names and `reach` output, e.g. `hq-vpn`. */
  name: connectionName,
  /** The region whose transit gateway this connection enters. */
  region: z.string(),
  /** A site-to-site VPN the network stack creates on the transit gateway. */
  vpn: vpnSchema.optional(),
  /**
   * An attachment created elsewhere on this region's transit gateway (Direct Connect gateway,
   * VPN, or another VPC), e.g. `tgw-attach-0123456789abcdef0`.
   */
  attachmentId: z.string().optional(),
  /**
   * The client networks behind this connection; they are routed back to it.
   * @default onPremises.cidrs
   */
  cidrs: z.array(cidrBlock).min(1).optional(),
});

const onPremisesSchema = z.strictObject({
  /** The on-premises networks whose users reach the workloads. */
  cidrs: z.array(cidrBlock).min(1, `is empty.${FIX_SEPARATOR}list the on-premises networks, e.g. ["172.16.0.0/12"].`),
  /** How they connect, per region: at least one connection. */
  connections: z.array(connectionSchema).min(1, `is empty.${FIX_SEPARATOR}add a connection per region, e.g. { "name": "hq-vpn", "region": "…", "vpn": { … } }.`),
});

const quotasSchema = z.strictObject({
  /**
   * The account's "IPv4 CIDR blocks per VPC" quota (L-83CA0A9D), if raised.
   * @default 5 (AWS's default; at most 50)
   */
  ipv4CidrBlocksPerVpc: z.number().int().min(1).max(50).optional(),
  /** "Subnets per VPC" (L-407747CB), if raised. @default 200 */
  subnetsPerVpc: z.number().int().min(1).optional(),
  /** "Routes per route table" (L-93826ACB), if raised. @default 50 (at most 1,000) */
  routesPerRouteTable: z.number().int().min(1).max(1000).optional(),
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

const environmentName = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,255}$/, `is not a GitHub environment name.${FIX_SEPARATOR}use letters, digits, dots, dashes and underscores, e.g. "production".`);

const iamSchema = z.strictObject({
  /** GitHub Actions OIDC trust for the roles the workflows assume. */
  github: z.strictObject({
    /** `owner/repo` of the repository whose workflows assume the roles. */
    repository: z
      .string()
      .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9_.-]+$/, `is not a GitHub repository.${FIX_SEPARATOR}write owner/name, e.g. "example-org/dr-network".`),
    /** Environment of the deploy and failover jobs. @default "production" */
    environment: environmentName.optional(),
    /** Environment of the pull-request plan job. @default "<environment>-plan" */
    planEnvironment: environmentName.optional(),
    /**
     * The account's GitHub OIDC provider, when it exists already (an account has one per URL).
     * @default the iam stack creates it
     */
    oidcProviderArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
        `is not the ARN of GitHub's OIDC provider.${FIX_SEPARATOR}write arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com, or leave it out to create the provider.`,
      )
      .optional(),
  }),
  /** KMS keys (ARNs in the pair's regions) `ami copy --kms-key` encrypts copies with. @default none (the default EBS key) */
  kmsKeyArns: z
    .array(z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, `is not a KMS key ARN.${FIX_SEPARATOR}write arn:aws:kms:<region>:<account>:key/<key id>.`))
    .optional(),
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
  /** The workload VPC's blocks, the same in both regions. @default [] (no workload VPC) */
  workloads: z.array(workloadSchema).optional(),
  /** Clients on premises and how they connect to each region. @default none */
  onPremises: onPremisesSchema.optional(),
  endpoints: endpointsSchema.optional(),
  /** Raised AWS quotas the topology may use. @default AWS's default quotas */
  quotas: quotasSchema.optional(),
  /** @default { "backend": "local" } */
  state: stateSchema.optional(),
  /** The IAM roles of the optional iam stack and their GitHub OIDC trust. @default no iam stack */
  iam: iamSchema.optional(),
});

export type TopologyInput = z.infer<typeof topologySchema>;
export type RegionInput = z.infer<typeof regionSchema>;
export type ConnectionInput = z.infer<typeof connectionSchema>;
