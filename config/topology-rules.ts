/**
 * The topology's cross-field rules: overlaps, AWS's VPC block restrictions, what fits where,
 * quotas, the directory, the on-premises connections. Each rule skips values a field-level rule
 * already rejected, so every problem is reported once, at the field that must change.
 */
import { DEFAULT_TRANSIT_GATEWAY_ASN, RegionInput, TopologyInput } from "./topology-schema";
import { TopologyProblem } from "./topology-error";
import { REGION_ROLES, RegionRole } from "./topology-model";
import { isAwsRegion } from "./regions";
import { Ipv4Cidr, SPECIAL_RANGES, carve, cidrProblem, contains, isReservedInSubnet, overlaps, parseCidr, parseIpv4, within } from "./cidr";
import { defaultManagementPrefix, infrastructureSubnets, minimumSplitPrefix, workloadLayout } from "./subnet-layout";
import { AWS_QUOTAS, QuotaName, quotaFix, quotaLimits } from "./aws-quotas";

function validCidr(text: string | undefined): Ipv4Cidr | undefined {
  return text !== undefined && cidrProblem(text) === undefined ? parseCidr(text) : undefined;
}

export function crossFieldProblems(input: TopologyInput): TopologyProblem[] {
  return [
    ...regionPairProblems(input),
    ...REGION_ROLES.flatMap((role) => regionProblems(role, input[role])),
    ...workloadProblems(input),
    ...directoryProblems(input),
    ...transitGatewayProblems(input),
    ...onPremisesProblems(input),
    ...endpointProblems(input),
    ...quotaProblems(input),
    ...iamProblems(input),
  ];
}

/** AWS's VPC size limits: a VPC CIDR block is between /16 and /28, outside special ranges. */
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
      : `AWS only adds 198.19.0.0/16 blocks to a VPC whose primary block is in 10.0.0.0/8 outside 10.0.0.0/15 (the workload VPC's is ${primary.text})`;
  }
  if (secondaryClass !== primaryClass) {
    return `AWS does not allow a ${secondaryClass} secondary block in a VPC whose primary block ${primary.text} is in ${primaryClass}`;
  }
  return undefined;
}

function regionPairProblems(input: TopologyInput): TopologyProblem[] {
  const problems: TopologyProblem[] = [];
  if (input.primary.region === input.secondary.region) {
    problems.push({ field: "secondary.region", value: input.secondary.region, problem: "is the same region as primary.region", fix: "choose a different AWS region for the secondary" });
  }
  for (const role of REGION_ROLES) problems.push(...vpcBlockProblems(`${role}.managementCidr`, input[role].managementCidr));
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
  if (input.activeRegion !== undefined && input.activeRegion !== input.primary.region && input.activeRegion !== input.secondary.region) {
    problems.push({ field: "activeRegion", value: input.activeRegion, problem: "is neither the primary nor the secondary region", fix: `use "${input.primary.region}" or "${input.secondary.region}"` });
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
  if (!subnets || prefix > 28) {
    const shortest = minimumSplitPrefix(cidr, zones.length);
    problems.push({
      field: `${role}.managementSubnetPrefixLength`,
      value: region.managementSubnetPrefixLength ?? prefix,
      problem: `${zones.length} subnets of /${prefix} do not fit in ${cidr.text}`,
      // A subnet is at most /28, so a block too small to split that far needs to grow instead.
      fix:
        shortest <= 28
          ? `use a prefix length from ${shortest} to 28, or a larger management CIDR`
          : `use a management CIDR of /${28 - Math.ceil(Math.log2(zones.length))} or larger (each of the ${zones.length} zones needs at least a /28)`,
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

function workloadProblems(input: TopologyInput): TopologyProblem[] {
  const problems: TopologyProblem[] = [];
  const workloads = input.workloads ?? [];
  const zoneCounts = REGION_ROLES.map((role) => input[role].availabilityZones.length);
  if (workloads.length && zoneCounts[0] !== zoneCounts[1]) {
    problems.push({
      field: "secondary.availabilityZones",
      value: input.secondary.availabilityZones,
      problem: `has ${zoneCounts[1]} zones but primary has ${zoneCounts[0]}; workload subnets are laid out per zone and must exist in both regions so a restored instance keeps its IP`,
      fix: "list the same number of zones in both regions",
    });
  }
  const firstBlock = validCidr(workloads[0]?.cidr);
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
    for (const role of REGION_ROLES) {
      const management = validCidr(input[role].managementCidr);
      if (management && overlaps(cidr, management)) {
        problems.push({ field: `${field}.cidr`, value: workload.cidr, problem: `overlaps ${role}.managementCidr ${management.text}`, fix: "choose a block outside both management CIDRs" });
      }
    }
    // The first workload block is the workload VPC's primary block; the others join it.
    const restriction = index > 0 && firstBlock ? secondaryBlockProblem(firstBlock, cidr) : undefined;
    if (restriction) {
      problems.push({ field: `${field}.cidr`, value: workload.cidr, problem: restriction, fix: `choose a block from the same private range as workloads[0].cidr, or from 100.64.0.0/10` });
    }
    workloads.slice(0, index).forEach((earlier, earlierIndex) => {
      const other = validCidr(earlier.cidr);
      if (other && overlaps(cidr, other)) {
        problems.push({ field: `${field}.cidr`, value: workload.cidr, problem: `overlaps workloads[${earlierIndex}].cidr ${other.text}`, fix: "give each workload its own block" });
      }
    });
    if (zoneCounts[0] !== zoneCounts[1]) return;
    const zones = zoneCounts[0];
    if (index === 0 && !infrastructureSubnets(cidr, zones)) {
      problems.push({
        field: `${field}.cidr`,
        value: workload.cidr,
        problem: `is too small to hold the workload VPC's infrastructure subnets (a /28 per zone, at the end of the first workload block) besides its own`,
        fix: "make the first workload block larger, e.g. a /24 or more",
      });
      return;
    }
    if (!workloadLayout(cidr, zones, index === 0, workload.subnetPrefixLength)) {
      const prefix = workload.subnetPrefixLength ?? minimumSplitPrefix(cidr, zones);
      const largest = workloadLayout(cidr, zones, index === 0)?.prefixLength;
      const room = index === 0 ? ` next to the infrastructure subnets (the last ${zones} /28s of ${cidr.text})` : "";
      problems.push({
        field: `${field}.subnetPrefixLength`,
        value: workload.subnetPrefixLength ?? prefix,
        problem: `${zones} subnets of /${prefix} do not fit in ${cidr.text}${room}`,
        fix: largest !== undefined ? `use a prefix length from ${largest} to 28, or a larger workload CIDR` : "use a larger workload CIDR",
      });
    }
  });
  return problems;
}

function directoryProblems(input: TopologyInput): TopologyProblem[] {
  const dnsCount = input.primary.directory.dnsIps.length + input.secondary.directory.dnsIps.length;
  const limit = AWS_QUOTAS.dnsServersPerDhcpOptionSet.maximum;
  if (dnsCount <= limit) return [];
  return [
    {
      field: "secondary.directory.dnsIps",
      value: input.secondary.directory.dnsIps,
      problem: `makes ${dnsCount} DNS servers in all; a DHCP option set holds at most ${limit} (each region lists its own, then the other's)`,
      fix: "list at most two domain controllers per region",
    },
  ];
}

function transitGatewayProblems(input: TopologyInput): TopologyProblem[] {
  const problems: TopologyProblem[] = [];
  const asns = REGION_ROLES.map((role) => input[role].transitGatewayAsn ?? DEFAULT_TRANSIT_GATEWAY_ASN[role]);
  REGION_ROLES.forEach((role, i) => {
    if (!isPrivateAsn(asns[i])) {
      problems.push({ field: `${role}.transitGatewayAsn`, value: asns[i], problem: "is not a private ASN", fix: "use 64512-65534 or 4200000000-4294967294" });
    }
  });
  if (asns[0] === asns[1]) {
    problems.push({ field: "secondary.transitGatewayAsn", value: asns[1], problem: "equals the primary's ASN; peered transit gateways should have distinct ASNs", fix: "choose another private ASN" });
  }
  return problems;
}

function isPrivateAsn(asn: number): boolean {
  return (asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294);
}

/**
 * ASNs a customer gateway cannot use: 0, AS_TRANS (RFC 6793), the documentation ranges (RFC
 * 5398), the last ASNs of each size (RFC 7300), and those AWS reserves in some Regions (Site-to-Site
 * VPN User Guide, "Customer gateway options").
 */
function customerGatewayAsnProblem(asn: number): string | undefined {
  if (asn < 1 || asn > 4294967294) return "is outside the 1-4294967294 range of BGP ASNs";
  if (asn === 23456) return "is AS_TRANS (23456), which no BGP speaker may use";
  if ((asn >= 64496 && asn <= 64511) || (asn >= 65536 && asn <= 65551)) return "is reserved for documentation (RFC 5398)";
  if (asn === 65535) return "is reserved (RFC 7300)";
  if ([7224, 9059, 10124, 17943].includes(asn)) return "is one AWS reserves in some Regions (7224, 9059, 10124, 17943)";
  return undefined;
}

/**
 * Ranges that are not public unicast: a customer gateway address must be the on-premises
 * device's public IP. The documentation ranges (RFC 5737) are accepted so examples can use them.
 */
const NOT_PUBLIC_UNICAST: ReadonlyArray<[string, string]> = [
  ["0.0.0.0/8", "\"this network\""],
  ["10.0.0.0/8", "private (RFC 1918)"],
  ["100.64.0.0/10", "shared address space (RFC 6598)"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local"],
  ["172.16.0.0/12", "private (RFC 1918)"],
  ["192.0.0.0/24", "IETF protocol assignments"],
  ["192.168.0.0/16", "private (RFC 1918)"],
  ["198.18.0.0/15", "benchmarking (RFC 2544)"],
  ["224.0.0.0/4", "multicast"],
  ["240.0.0.0/4", "reserved and broadcast"],
];

function publicUnicastProblem(ip: string): string | undefined {
  const address = parseIpv4(ip);
  if (address === undefined) return undefined;
  const range = NOT_PUBLIC_UNICAST.find(([cidr]) => contains(parseCidr(cidr), address));
  return range ? `is a ${range[1]} address (${range[0]}), not a public unicast address` : undefined;
}

const ATTACHMENT_ID = /^tgw-attach-[0-9a-f]{17}$/;

function onPremisesProblems(input: TopologyInput): TopologyProblem[] {
  const onPremises = input.onPremises;
  if (!onPremises) return [];
  const problems: TopologyProblem[] = [];
  const taken: Array<[string, Ipv4Cidr]> = [
    ...REGION_ROLES.map((role): [string, Ipv4Cidr | undefined] => [`${role}.managementCidr`, validCidr(input[role].managementCidr)]),
    ...(input.workloads ?? []).map((w, i): [string, Ipv4Cidr | undefined] => [`workloads[${i}].cidr`, validCidr(w.cidr)]),
  ].filter((entry): entry is [string, Ipv4Cidr] => entry[1] !== undefined);
  const overlapProblems = (field: string, cidrs: readonly string[]) =>
    cidrs.forEach((text, index) => {
      const cidr = validCidr(text);
      if (!cidr) return;
      for (const [otherField, other] of taken) {
        if (overlaps(cidr, other)) {
          problems.push({ field: `${field}[${index}]`, value: text, problem: `overlaps ${otherField} ${other.text}; clients and the pair's VPCs need distinct addresses to be routed`, fix: "list the on-premises networks without the pair's blocks" });
        }
      }
    });
  overlapProblems("onPremises.cidrs", onPremises.cidrs);

  const regions = [input.primary.region, input.secondary.region];
  const seen = new Map<string, number>();
  onPremises.connections.forEach((connection, index) => {
    const field = `onPremises.connections[${index}]`;
    const regionIndex = regions.indexOf(connection.region);
    // Only once both regions are valid: a mistyped region is reported once, at its own field.
    if (regionIndex < 0 && regions.every(isAwsRegion)) {
      problems.push({ field: `${field}.region`, value: connection.region, problem: "is neither the primary nor the secondary region", fix: `use "${regions[0]}" or "${regions[1]}"` });
    }
    const key = `${connection.region}/${connection.name}`;
    if (seen.has(key)) {
      problems.push({ field: `${field}.name`, value: connection.name, problem: `repeats onPremises.connections[${seen.get(key)}].name in ${connection.region}`, fix: "give each connection of a region its own name" });
    }
    seen.set(key, index);
    if ((connection.vpn === undefined) === (connection.attachmentId === undefined)) {
      problems.push({ field, value: undefined, problem: "needs exactly one of vpn and attachmentId", fix: 'add "vpn": { "customerGatewayIp", "bgpAsn" } for a VPN the stack creates, or "attachmentId" for an existing attachment' });
    }
    if (connection.attachmentId !== undefined && !ATTACHMENT_ID.test(connection.attachmentId)) {
      problems.push({ field: `${field}.attachmentId`, value: connection.attachmentId, problem: "is not a transit gateway attachment id", fix: 'write "tgw-attach-" and 17 hexadecimal digits, as DescribeTransitGatewayAttachments shows it' });
    }
    if (connection.vpn) {
      const ipProblem = publicUnicastProblem(connection.vpn.customerGatewayIp);
      if (ipProblem) {
        problems.push({ field: `${field}.vpn.customerGatewayIp`, value: connection.vpn.customerGatewayIp, problem: ipProblem, fix: "use the public IPv4 address of the on-premises VPN device" });
      }
      const asnProblem = customerGatewayAsnProblem(connection.vpn.bgpAsn);
      const tgwAsn = regionIndex >= 0 ? (input[REGION_ROLES[regionIndex]].transitGatewayAsn ?? DEFAULT_TRANSIT_GATEWAY_ASN[REGION_ROLES[regionIndex]]) : undefined;
      if (asnProblem) {
        problems.push({ field: `${field}.vpn.bgpAsn`, value: connection.vpn.bgpAsn, problem: asnProblem, fix: "use the on-premises device's ASN, e.g. a private one from 64512-65534" });
      } else if (connection.vpn.bgpAsn === tgwAsn) {
        problems.push({ field: `${field}.vpn.bgpAsn`, value: connection.vpn.bgpAsn, problem: `equals the ${connection.region} transit gateway's ASN; BGP drops routes that carry its own ASN`, fix: "use the on-premises device's own ASN" });
      }
    }
    if (connection.cidrs) overlapProblems(`${field}.cidrs`, connection.cidrs);
  });
  return problems;
}

function endpointProblems(input: TopologyInput): TopologyProblem[] {
  const services = input.endpoints?.interface ?? [];
  return services.flatMap((service, index) => {
    const first = services.indexOf(service);
    return first !== index
      ? [{ field: `endpoints.interface[${index}]`, value: service, problem: `repeats endpoints.interface[${first}]; a VPC has one endpoint per service`, fix: "list each service once" }]
      : [];
  });
}

function quotaProblems(input: TopologyInput): TopologyProblem[] {
  const limits = quotaLimits(input.quotas);
  const workloads = input.workloads ?? [];
  if (workloads.length === 0) return [];
  const zones = input.primary.availabilityZones.length;
  const clientCidrs = new Set([...(input.onPremises?.cidrs ?? []), ...(input.onPremises?.connections ?? []).flatMap((c) => c.cidrs ?? [])]);
  const gatewayRoute = input.endpoints?.s3Gateway ?? true ? 1 : 0;
  const routes = workloads.length + 1 + clientCidrs.size + gatewayRoute;
  const checks: Array<[QuotaName, number, string]> = [
    ["ipv4CidrBlocksPerVpc", workloads.length, `makes ${workloads.length} CIDR blocks in the workload VPC`],
    ["subnetsPerVpc", (workloads.length + 1) * zones, `makes ${(workloads.length + 1) * zones} subnets in the workload VPC (one per workload and zone, plus the infrastructure subnets)`],
    [
      "routesPerRouteTable",
      routes,
      `makes ${routes} routes in each management VPC route table (every workload CIDR, the other region, the client networks${gatewayRoute ? ", the S3 gateway" : ""})`,
    ],
  ];
  return checks
    .filter(([name, needed]) => needed > limits[name])
    .map(([name, needed, what]) => ({
      field: "workloads",
      value: undefined,
      problem: `${what}; the "${AWS_QUOTAS[name].name}" quota is ${limits[name]}`,
      fix: quotaFix(AWS_QUOTAS[name], needed),
    }));
}

/** The iam stack: plan and deploy jobs must not share an environment (the plan role is read-only), KMS keys in the pair's regions. */
function iamProblems(input: TopologyInput): TopologyProblem[] {
  if (!input.iam) return [];
  const problems: TopologyProblem[] = [];
  const environment = input.iam.github.environment ?? "production";
  const planEnvironment = input.iam.github.planEnvironment ?? `${environment}-plan`;
  if (planEnvironment === environment) {
    problems.push({
      field: "iam.github.planEnvironment",
      value: planEnvironment,
      problem: "is the deploy environment too; pull requests would get the deploy role's trust",
      fix: `use an environment of its own, e.g. "${environment}-plan"`,
    });
  }
  const regions = [input.primary.region, input.secondary.region];
  (input.iam.kmsKeyArns ?? []).forEach((arn, index) => {
    const region = arn.split(":")[3];
    if (!regions.includes(region)) {
      problems.push({ field: `iam.kmsKeyArns[${index}]`, value: arn, problem: `is a key in ${region}, not in the pair's regions`, fix: `use a key (or multi-Region replica) in ${regions.join(" or ")}` });
    }
  });
  return problems;
}
