/**
 * The topology: one typed, validated source of truth for both regions. `loadTopology` reads the
 * file, reports every problem at once (field, bad value, fix) and returns the resolved model the
 * stacks build from, with subnet layouts and defaults filled in.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { z } from "zod";
import {
  AMAZON_TIME_SYNC_IP,
  DEFAULT_INTERFACE_ENDPOINTS,
  DEFAULT_TRANSIT_GATEWAY_ASN,
  FIX_SEPARATOR,
  RegionInput,
  TopologyInput,
  editDistance,
  nearest,
  topologySchema,
} from "./topology-schema";
import { AwsRegion, isAwsRegion } from "./regions";
import { InterfaceEndpointService } from "./endpoint-services";
import {
  Ipv4Cidr,
  SPECIAL_RANGES,
  carve,
  cidrProblem,
  contains,
  isReservedInSubnet,
  overlaps,
  parseCidr,
  parseIpv4,
  within,
} from "./cidr";

export const REGION_ROLES = ["primary", "secondary"] as const;
export type RegionRole = (typeof REGION_ROLES)[number];

export function otherRole(role: RegionRole): RegionRole {
  return role === "primary" ? "secondary" : "primary";
}

export interface SubnetPlan {
  readonly availabilityZone: string;
  readonly cidr: string;
}

export interface WorkloadPlan {
  readonly name: string;
  readonly cidr: string;
  /** Subnets by AZ position; identical in both regions so a restored instance keeps its IP. */
  readonly subnetCidrs: readonly string[];
}

export interface RegionPlan {
  readonly role: RegionRole;
  readonly region: AwsRegion;
  readonly managementCidr: string;
  readonly availabilityZones: readonly string[];
  readonly managementSubnets: readonly SubnetPlan[];
  /** Per workload, one subnet per AZ (same AZ order as `availabilityZones`). */
  readonly workloadSubnets: ReadonlyArray<{ readonly workload: string; readonly subnets: readonly SubnetPlan[] }>;
  readonly domainName: string;
  /** This region's domain controllers. */
  readonly domainControllerIps: readonly string[];
  readonly ntpServers: readonly string[];
  readonly transitGatewayAsn: number;
}

export type StateConfig =
  | { readonly backend: "local" }
  | {
      readonly backend: "s3";
      readonly useLockfile: boolean;
      readonly locations: Readonly<Record<RegionRole, { readonly bucket: string; readonly keyPrefix: string }>>;
    };

export interface Topology {
  readonly name: string;
  readonly primary: RegionPlan;
  readonly secondary: RegionPlan;
  /** Default of the `active_region` variable. */
  readonly activeRegion: AwsRegion;
  readonly workloads: readonly WorkloadPlan[];
  readonly endpoints: {
    readonly interfaceServices: readonly InterfaceEndpointService[];
    readonly s3Gateway: boolean;
    readonly allowedCidrs: readonly string[];
  };
  readonly state: StateConfig;
  /** The file it was read from, for messages. */
  readonly source: string;
}

export function regionPlans(topology: Topology): readonly RegionPlan[] {
  return [topology.primary, topology.secondary];
}

/** DNS servers for a region's DHCP options: its own domain controllers first, then the other's. */
export function dnsServersFor(topology: Topology, role: RegionRole): string[] {
  return [...topology[role].domainControllerIps, ...topology[otherRole(role)].domainControllerIps];
}

export interface TopologyProblem {
  /** Dotted field path, e.g. `primary.managementCidr`; empty for the file as a whole. */
  readonly field: string;
  readonly value: unknown;
  readonly problem: string;
  readonly fix: string;
}

export class TopologyError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly TopologyProblem[],
  ) {
    super(formatProblems(source, problems));
    this.name = "TopologyError";
  }
}

export function formatProblems(source: string, problems: readonly TopologyProblem[]): string {
  const lines = problems.map((p) => {
    const where = p.field || "(file)";
    const value = p.value === undefined ? "" : ` = ${JSON.stringify(p.value)}`;
    return `  - ${where}${value}: ${p.problem}.${FIX_SEPARATOR}${p.fix}`;
  });
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return `Invalid topology ${source} (${count}); nothing was synthesized:\n${lines.join("\n")}`;
}

/** The project root: the folder holding package.json, one level above this module. */
export const PROJECT_ROOT = path.resolve(__dirname, "..");

export const TOPOLOGY_ENV = "REGIONPAIR_TOPOLOGY";

/** `$REGIONPAIR_TOPOLOGY` if set (relative to the working directory), else `<project>/topology.json`. */
export function topologyPath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[TOPOLOGY_ENV];
  return fromEnv ? path.resolve(fromEnv) : path.join(PROJECT_ROOT, "topology.json");
}

export function loadTopology(file: string = topologyPath()): Topology {
  if (!existsSync(file)) {
    throw new TopologyError(file, [
      {
        field: "",
        value: undefined,
        problem: "the file does not exist",
        fix: `create it (the shipped topology.json is an example) or point ${TOPOLOGY_ENV} at your file`,
      },
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new TopologyError(file, [
      { field: "", value: undefined, problem: `it is not valid JSON (${(error as Error).message})`, fix: "correct the JSON syntax" },
    ]);
  }
  return parseTopology(raw, file);
}

/** Validates an already-parsed topology document. Throws TopologyError listing every problem. */
export function parseTopology(raw: unknown, source = "(inline)"): Topology {
  const parsed = checkedSchema.safeParse(raw);
  if (!parsed.success) {
    throw new TopologyError(source, dedupe(parsed.error.issues.flatMap((issue) => fromZodIssue(issue, raw))));
  }
  return resolve(parsed.data, source);
}

/**
 * The schema plus the cross-field rules. Zod runs this refinement even after field-level
 * refinements failed (not after type errors), so one run reports nearly every problem.
 */
const checkedSchema = topologySchema.superRefine((input, ctx) => {
  for (const problem of crossFieldProblems(input)) {
    ctx.addIssue({ code: "custom", path: [], message: problem.problem, params: { problem } });
  }
});

function dedupe(problems: TopologyProblem[]): TopologyProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.field}|${p.problem}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function fieldPath(segments: readonly PropertyKey[]): string {
  return segments
    .map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? String(s) : `.${String(s)}`))
    .join("");
}

function valueAt(raw: unknown, segments: readonly PropertyKey[]): unknown {
  let current: unknown = raw;
  for (const segment of segments) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

const KNOWN_KEYS: Record<string, readonly string[]> = {
  "": Object.keys(topologySchema.shape),
};

function knownKeysAt(segments: readonly PropertyKey[]): readonly string[] {
  // Walk the schema shape along the path; arrays and unions are stepped through.
  let schema: z.ZodType = topologySchema;
  for (const segment of segments) {
    schema = unwrap(schema);
    const def = (schema as unknown as { def: { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType } }).def;
    if (def.type === "object" && def.shape) schema = def.shape[String(segment)];
    else if (def.type === "array" && def.element) schema = def.element;
    else return KNOWN_KEYS[""];
    if (!schema) return [];
  }
  schema = unwrap(schema);
  const def = (schema as unknown as { def: { type: string; shape?: Record<string, unknown>; options?: z.ZodType[] } }).def;
  if (def.type === "object" && def.shape) return Object.keys(def.shape);
  if (def.type === "union" && def.options) {
    return [...new Set(def.options.flatMap((o) => Object.keys((o as unknown as { def: { shape: object } }).def.shape)))];
  }
  return [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema as unknown as { def: { type: string; innerType?: z.ZodType; in?: z.ZodType } };
  while (current.def.type === "optional" || current.def.type === "default" || current.def.type === "pipe") {
    current = (current.def.innerType ?? current.def.in) as unknown as typeof current;
  }
  return current as unknown as z.ZodType;
}

function fromZodIssue(issue: z.core.$ZodIssue, raw: unknown): TopologyProblem[] {
  const crossField = issue.code === "custom" ? (issue.params as { problem?: TopologyProblem } | undefined)?.problem : undefined;
  if (crossField) return [crossField];
  const field = fieldPath(issue.path);
  const value = valueAt(raw, issue.path);
  if (issue.code === "unrecognized_keys") {
    const known = knownKeysAt(issue.path);
    return issue.keys.map((key) => ({
      field: field ? `${field}.${key}` : key,
      value: undefined,
      problem: "is not a known field",
      fix: suggestion(key, known),
    }));
  }
  const [problem, fix] = splitMessage(issue, value);
  return [{ field, value, problem, fix }];
}

function suggestion(key: string, known: readonly string[]): string {
  const candidate = known.length ? nearest(key, known) : undefined;
  return candidate && editDistance(key.toLowerCase(), candidate.toLowerCase()) <= Math.max(2, Math.floor(key.length / 3))
    ? `remove it, or did you mean "${candidate}"?`
    : `remove it (known fields here: ${known.join(", ")})`;
}

function splitMessage(issue: z.core.$ZodIssue, value: unknown): [string, string] {
  const index = issue.message.indexOf(FIX_SEPARATOR);
  if (index >= 0) {
    return [issue.message.slice(0, index).replace(/\.$/, ""), issue.message.slice(index + FIX_SEPARATOR.length)];
  }
  switch (issue.code) {
    case "invalid_type":
      return value === undefined
        ? ["is required", `add it (${issue.expected})`]
        : [`must be ${article(issue.expected)}, not ${describe(value)}`, `write it as ${article(issue.expected)}`];
    case "too_small":
      return [`must be at least ${issue.minimum}${issue.origin === "array" ? " item(s)" : ""}`, "raise it"];
    case "too_big":
      return [`must be at most ${issue.maximum}${issue.origin === "array" ? " item(s)" : ""}`, "lower it"];
    case "invalid_value":
      return [`must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`, "use one of those values"];
    default:
      return [issue.message.replace(/\.$/, ""), "correct the value"];
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return article(typeof value);
}

// ---------------------------------------------------------------------------------------------
// Cross-field rules. Each one skips values a field-level rule already rejected.

function validCidr(text: string | undefined): Ipv4Cidr | undefined {
  return text !== undefined && cidrProblem(text) === undefined ? parseCidr(text) : undefined;
}

/** AWS's VPC size limits: a VPC CIDR block is between /16 and /28. */
function vpcBlockProblems(field: string, text: string): TopologyProblem[] {
  const cidr = validCidr(text);
  if (!cidr) return [];
  const problems: TopologyProblem[] = [];
  if (cidr.prefixLength < 16 || cidr.prefixLength > 28) {
    problems.push({ field, value: text, problem: "is outside the /16 to /28 size AWS allows for a VPC CIDR block", fix: "use a prefix length from 16 to 28" });
  }
  const forbidden: Array<[Ipv4Cidr, string]> = [
    [SPECIAL_RANGES.linkLocal, "link-local 169.254.0.0/16"],
    [SPECIAL_RANGES.loopback, "loopback 127.0.0.0/8"],
    [SPECIAL_RANGES.multicastAndReserved, "multicast/reserved 224.0.0.0/3"],
    [SPECIAL_RANGES.thisNetwork, "0.0.0.0/8"],
  ];
  for (const [range, label] of forbidden) {
    if (overlaps(cidr, range)) {
      problems.push({ field, value: text, problem: `lies in ${label}, which AWS does not allow in a VPC`, fix: "use an RFC 1918 range such as 10.0.0.0/8" });
    }
  }
  return problems;
}

type AddressClass = "10/8" | "172.16/12" | "192.168/16" | "198.19/16" | "100.64/10 or public";

function addressClass(cidr: Ipv4Cidr): AddressClass {
  if (within(cidr, SPECIAL_RANGES.rfc1918Ten)) return "10/8";
  if (within(cidr, SPECIAL_RANGES.rfc1918OneSevenTwo)) return "172.16/12";
  if (within(cidr, SPECIAL_RANGES.rfc1918OneNineTwo)) return "192.168/16";
  if (within(cidr, SPECIAL_RANGES.benchmarking)) return "198.19/16";
  return "100.64/10 or public";
}

/**
 * AWS's restrictions on a secondary IPv4 CIDR block, by the class of the VPC's primary block
 * (VPC User Guide, "IPv4 CIDR block association restrictions"): RFC 1918 ranges cannot be mixed,
 * 198.19.0.0/16 only joins a 10/8 VPC whose blocks avoid 10.0.0.0/15, and 100.64.0.0/10 or
 * publicly routable blocks may join any VPC.
 */
function secondaryBlockProblem(primary: Ipv4Cidr, secondary: Ipv4Cidr): string | undefined {
  const primaryClass = addressClass(primary);
  const secondaryClass = addressClass(secondary);
  if (secondaryClass === "100.64/10 or public") return undefined;
  if (secondaryClass === "198.19/16") {
    return primaryClass === "10/8" && !overlaps(primary, parseCidr("10.0.0.0/15"))
      ? undefined
      : `AWS only adds 198.19.0.0/16 blocks to a VPC whose primary block is in 10.0.0.0/8 outside 10.0.0.0/15 (this VPC's is ${primary.text})`;
  }
  if (secondaryClass !== primaryClass) {
    return `AWS does not allow a ${secondaryClass} secondary block in a VPC whose primary block ${primary.text} is in ${primaryClass}`;
  }
  return undefined;
}

function defaultManagementPrefix(cidr: Ipv4Cidr): number {
  return Math.min(cidr.prefixLength + 4, 28);
}

function defaultWorkloadPrefix(cidr: Ipv4Cidr, azCount: number): number {
  return cidr.prefixLength + Math.ceil(Math.log2(Math.max(azCount, 1)));
}

function crossFieldProblems(input: TopologyInput): TopologyProblem[] {
  const problems: TopologyProblem[] = [];
  const roles = REGION_ROLES;

  // Regions: distinct.
  if (input.primary.region === input.secondary.region) {
    problems.push({
      field: "secondary.region",
      value: input.secondary.region,
      problem: "is the same region as primary.region",
      fix: "choose a different AWS region for the secondary",
    });
  }

  // Management CIDRs: valid VPC blocks that do not overlap.
  for (const role of roles) problems.push(...vpcBlockProblems(`${role}.managementCidr`, input[role].managementCidr));
  const primaryCidr = validCidr(input.primary.managementCidr);
  const secondaryCidr = validCidr(input.secondary.managementCidr);
  if (primaryCidr && secondaryCidr && overlaps(primaryCidr, secondaryCidr)) {
    problems.push({
      field: "secondary.managementCidr",
      value: input.secondary.managementCidr,
      problem: `overlaps primary.managementCidr ${primaryCidr.text}; routed regions need distinct addresses`,
      fix: "choose non-overlapping blocks, e.g. 10.10.0.0/16 and 10.20.0.0/16",
    });
  }

  for (const role of roles) problems.push(...regionProblems(role, input[role]));

  // Workloads.
  const workloads = input.workloads ?? [];
  const seenNames = new Map<string, number>();
  workloads.forEach((workload, index) => {
    const field = `workloads[${index}]`;
    if (seenNames.has(workload.name)) {
      problems.push({ field: `${field}.name`, value: workload.name, problem: `repeats workloads[${seenNames.get(workload.name)}].name`, fix: "give each workload a unique name" });
    }
    seenNames.set(workload.name, index);
    const cidr = validCidr(workload.cidr);
    if (!cidr) return;
    problems.push(...vpcBlockProblems(`${field}.cidr`, workload.cidr));
    for (const role of roles) {
      const management = validCidr(input[role].managementCidr);
      if (!management) continue;
      if (overlaps(cidr, management)) {
        problems.push({ field: `${field}.cidr`, value: workload.cidr, problem: `overlaps ${role}.managementCidr ${management.text}`, fix: "choose a block outside both management CIDRs" });
        continue;
      }
      const restriction = secondaryBlockProblem(management, cidr);
      if (restriction) {
        problems.push({ field: `${field}.cidr`, value: workload.cidr, problem: restriction, fix: `choose a block from the same private range as ${role}.managementCidr, or from 100.64.0.0/10` });
      }
    }
    workloads.slice(0, index).forEach((earlier, earlierIndex) => {
      const other = validCidr(earlier.cidr);
      if (other && overlaps(cidr, other)) {
        problems.push({ field: `${field}.cidr`, value: workload.cidr, problem: `overlaps workloads[${earlierIndex}].cidr ${other.text}`, fix: "give each workload its own block" });
      }
    });
    const azCounts = roles.map((role) => input[role].availabilityZones.length);
    if (azCounts[0] !== azCounts[1]) {
      if (index === 0) {
        problems.push({
          field: "secondary.availabilityZones",
          value: input.secondary.availabilityZones,
          problem: `has ${azCounts[1]} zones but primary has ${azCounts[0]}; workload subnets are laid out per zone and must exist in both regions so a restored instance keeps its IP`,
          fix: "list the same number of zones in both regions",
        });
      }
      return;
    }
    const prefix = workload.subnetPrefixLength ?? defaultWorkloadPrefix(cidr, azCounts[0]);
    if (prefix > 28 || !carve(cidr, prefix, azCounts[0])) {
      problems.push({
        field: `${field}.subnetPrefixLength`,
        value: workload.subnetPrefixLength ?? prefix,
        problem: `${azCounts[0]} subnets of /${prefix} do not fit in ${cidr.text}`,
        fix: `use a prefix length between ${defaultWorkloadPrefix(cidr, azCounts[0])} and 28, or a larger workload CIDR`,
      });
    }
  });

  // DHCP options carry at most four DNS servers.
  const dnsCount = input.primary.directory.dnsIps.length + input.secondary.directory.dnsIps.length;
  if (dnsCount > 4) {
    problems.push({
      field: "secondary.directory.dnsIps",
      value: input.secondary.directory.dnsIps,
      problem: `makes ${dnsCount} DNS servers in all; a DHCP option set holds at most 4 (each region lists its own, then the other's)`,
      fix: "list at most two domain controllers per region",
    });
  }

  // Active region.
  if (input.activeRegion !== undefined && input.activeRegion !== input.primary.region && input.activeRegion !== input.secondary.region) {
    problems.push({
      field: "activeRegion",
      value: input.activeRegion,
      problem: "is neither the primary nor the secondary region",
      fix: `use "${input.primary.region}" or "${input.secondary.region}"`,
    });
  }

  // Transit gateway ASNs.
  const asns = roles.map((role) => input[role].transitGatewayAsn ?? DEFAULT_TRANSIT_GATEWAY_ASN[role]);
  roles.forEach((role, i) => {
    const asn = asns[i];
    const privateAsn = (asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294);
    if (!privateAsn) {
      problems.push({ field: `${role}.transitGatewayAsn`, value: asn, problem: "is not a private ASN", fix: "use 64512-65534 or 4200000000-4294967294" });
    }
  });
  if (asns[0] === asns[1]) {
    problems.push({ field: "secondary.transitGatewayAsn", value: asns[1], problem: "equals the primary's ASN; peered transit gateways should have distinct ASNs", fix: "choose another private ASN" });
  }

  return problems;
}

function regionProblems(role: RegionRole, region: RegionInput): TopologyProblem[] {
  const problems: TopologyProblem[] = [];
  const zones = region.availabilityZones;
  zones.forEach((zone, index) => {
    if (isAwsRegion(region.region) && !new RegExp(`^${region.region}[a-z]$`).test(zone)) {
      problems.push({ field: `${role}.availabilityZones[${index}]`, value: zone, problem: `is not a zone of ${region.region}`, fix: `use a zone name like ${region.region}a` });
    }
    if (zones.indexOf(zone) !== index) {
      problems.push({ field: `${role}.availabilityZones[${index}]`, value: zone, problem: "is listed twice", fix: "list each zone once" });
    }
  });

  const cidr = validCidr(region.managementCidr);
  if (!cidr) return problems;
  const prefix = region.managementSubnetPrefixLength ?? defaultManagementPrefix(cidr);
  const subnets = carve(cidr, prefix, zones.length);
  if (!subnets) {
    problems.push({
      field: `${role}.managementSubnetPrefixLength`,
      value: region.managementSubnetPrefixLength ?? prefix,
      problem: `${zones.length} subnets of /${prefix} do not fit in ${cidr.text}`,
      fix: `use a prefix length between ${cidr.prefixLength + Math.ceil(Math.log2(zones.length))} and 28, or a larger management CIDR`,
    });
    return problems;
  }

  region.directory.dnsIps.forEach((ip, index) => {
    const field = `${role}.directory.dnsIps[${index}]`;
    const address = parseIpv4(ip);
    if (address === undefined) return;
    if (!contains(cidr, address)) {
      problems.push({ field, value: ip, problem: `is outside ${role}.managementCidr ${cidr.text}`, fix: "use the directory's domain-controller IPs in this region's VPC" });
      return;
    }
    const subnet = subnets.find((s) => contains(s, address));
    if (!subnet) {
      problems.push({ field, value: ip, problem: `is in no management subnet (${subnets.map((s) => s.text).join(", ")})`, fix: "use the domain-controller IPs the directory was given in these subnets" });
    } else if (isReservedInSubnet(subnet, address)) {
      problems.push({ field, value: ip, problem: `is one of the five addresses AWS reserves in subnet ${subnet.text}`, fix: "use the directory's actual domain-controller IPs" });
    }
    if (region.directory.dnsIps.indexOf(ip) !== index) {
      problems.push({ field, value: ip, problem: "is listed twice", fix: "list each domain controller once" });
    }
  });
  return problems;
}

// ---------------------------------------------------------------------------------------------

function resolve(input: TopologyInput, source: string): Topology {
  const workloads: WorkloadPlan[] = (input.workloads ?? []).map((w) => {
    const cidr = parseCidr(w.cidr);
    const azCount = input.primary.availabilityZones.length;
    const prefix = w.subnetPrefixLength ?? defaultWorkloadPrefix(cidr, azCount);
    return { name: w.name, cidr: w.cidr, subnetCidrs: carve(cidr, prefix, azCount)!.map((s) => s.text) };
  });

  const plan = (role: RegionRole): RegionPlan => {
    const region = input[role];
    const cidr = parseCidr(region.managementCidr);
    const prefix = region.managementSubnetPrefixLength ?? defaultManagementPrefix(cidr);
    const managementBlocks = carve(cidr, prefix, region.availabilityZones.length)!;
    return {
      role,
      region: region.region as AwsRegion,
      managementCidr: region.managementCidr,
      availabilityZones: region.availabilityZones,
      managementSubnets: managementBlocks.map((block, i) => ({ availabilityZone: region.availabilityZones[i], cidr: block.text })),
      workloadSubnets: workloads.map((w) => ({
        workload: w.name,
        subnets: w.subnetCidrs.map((subnetCidr, i) => ({ availabilityZone: region.availabilityZones[i], cidr: subnetCidr })),
      })),
      domainName: region.directory.domainName.toLowerCase(),
      domainControllerIps: region.directory.dnsIps,
      ntpServers: region.ntpServers ?? [AMAZON_TIME_SYNC_IP],
      transitGatewayAsn: region.transitGatewayAsn ?? DEFAULT_TRANSIT_GATEWAY_ASN[role],
    };
  };

  const primary = plan("primary");
  const secondary = plan("secondary");
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
    endpoints: {
      interfaceServices: [...new Set((endpoints.interface ?? DEFAULT_INTERFACE_ENDPOINTS) as InterfaceEndpointService[])],
      s3Gateway: endpoints.s3Gateway ?? true,
      allowedCidrs: endpoints.allowedCidrs ?? [primary.managementCidr, secondary.managementCidr, ...workloads.map((w) => w.cidr)],
    },
    state,
    source,
  };
}
