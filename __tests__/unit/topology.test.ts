import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { TopologyError, dnsServersFor, loadTopology, parseTopology, topologyPath } from "../../config/topology";
import { topologyWith, validTopologyInput } from "../support/topologies";
import { tempDirs } from "../support/tmp";

function problemsOf(change: (input: Record<string, any>) => void): TopologyError {
  const input = validTopologyInput();
  change(input);
  try {
    parseTopology(input, "bad.json");
  } catch (error) {
    if (error instanceof TopologyError) return error;
    throw error;
  }
  throw new Error("expected the topology to be rejected");
}

describe("the shipped example topology", () => {
  test("GIVEN topology.json WHEN loaded THEN it is valid and uses the documented defaults", () => {
    const topology = loadTopology();
    expect(topology.primary.region).not.toEqual(topology.secondary.region);
    expect(topology.endpoints.interfaceServices).toEqual(["ssm", "ssmmessages", "ec2messages", "ec2"]);
    expect(topology.endpoints.s3Gateway).toBe(true);
    expect(topology.primary.ntpServers).toEqual(["169.254.169.123"]);
    expect(topology.state).toEqual({ backend: "local" });
  });
});

describe("topology defaults and layout", () => {
  const topology = topologyWith();

  test("GIVEN no subnet sizes WHEN resolved THEN management subnets are /prefix+4, one per AZ, in AZ order", () => {
    expect(topology.primary.managementSubnets).toEqual([
      { availabilityZone: "eu-west-1a", cidr: "10.30.0.0/20" },
      { availabilityZone: "eu-west-1b", cidr: "10.30.16.0/20" },
    ]);
  });

  test("GIVEN workload CIDRs WHEN resolved THEN both regions get the same subnet CIDRs per AZ position", () => {
    const subnetsOf = (role: "primary" | "secondary", workload: string) => topology[role].workloadSubnets.find((w) => w.workload === workload)!.subnets.map((s) => s.cidr);
    // The first block also holds the infrastructure subnets at its end, so its default split is one step finer.
    expect(subnetsOf("primary", "app")).toEqual(["10.60.0.0/22", "10.60.4.0/22"]);
    expect(subnetsOf("primary", "db")).toEqual(["10.61.0.0/23", "10.61.2.0/23"]);
    for (const workload of ["app", "db"]) expect(subnetsOf("secondary", workload)).toEqual(subnetsOf("primary", workload));
  });

  test("GIVEN workloads WHEN resolved THEN the workload VPC's infrastructure subnets are the last /28 per zone of the first block, the same in both regions", () => {
    expect(topology.primary.infrastructureSubnets).toEqual([
      { availabilityZone: "eu-west-1a", cidr: "10.60.15.224/28" },
      { availabilityZone: "eu-west-1b", cidr: "10.60.15.240/28" },
    ]);
    expect(topology.secondary.infrastructureSubnets.map((s) => s.cidr)).toEqual(["10.60.15.224/28", "10.60.15.240/28"]);
  });

  test("GIVEN on-premises connections WHEN resolved THEN each region gets its own, with the shared client CIDRs and its routing mode", () => {
    expect(topology.primary.connections).toEqual([
      { name: "office", region: "eu-west-1", role: "primary", cidrs: ["192.168.0.0/16"], kind: "vpn", customerGatewayIp: "203.0.113.7", bgpAsn: 65020, staticRoutesOnly: false },
    ]);
    expect(topology.secondary.connections.map((c) => [c.region, c.kind === "vpn" && c.staticRoutesOnly])).toEqual([["eu-central-1", true]]);
    expect(topology.clientCidrs).toEqual(["192.168.0.0/16"]);
  });

  test("GIVEN no allowedCidrs WHEN resolved THEN the management endpoints admit both management CIDRs and the workloads, which resolve to them through the directory", () => {
    expect(topology.endpoints.allowedCidrs).toEqual(["10.30.0.0/16", "10.40.0.0/16", "10.60.0.0/20", "10.61.0.0/22"]);
  });

  test("GIVEN no quotas WHEN resolved THEN AWS's default quotas apply", () => {
    expect(topology.quotas).toMatchObject({ ipv4CidrBlocksPerVpc: 5, subnetsPerVpc: 200, routesPerRouteTable: 50 });
  });

  test("GIVEN two directories WHEN DNS servers are chosen THEN each region lists its own DCs first", () => {
    expect(dnsServersFor(topology, "primary")).toEqual(["10.30.0.20", "10.30.16.20", "10.40.0.20", "10.40.16.20"]);
    expect(dnsServersFor(topology, "secondary")).toEqual(["10.40.0.20", "10.40.16.20", "10.30.0.20", "10.30.16.20"]);
  });

  test("GIVEN no activeRegion WHEN resolved THEN the primary region is active", () => {
    expect(topology.activeRegion).toBe("eu-west-1");
  });

  test("GIVEN an s3 state backend WHEN resolved THEN each region has its bucket and locking defaults on", () => {
    const s3 = topologyWith((t) => {
      t.state = { backend: "s3", primary: { bucket: "tf-state-euw1" }, secondary: { bucket: "tf-state-euc1", keyPrefix: "dr" } };
    });
    expect(s3.state).toEqual({
      backend: "s3",
      useLockfile: true,
      locations: { primary: { bucket: "tf-state-euw1", keyPrefix: "regionpair" }, secondary: { bucket: "tf-state-euc1", keyPrefix: "dr" } },
    });
  });
});

// Every class of bad input: the field it must name and words the message must contain.
const badTopologies: Array<[string, (t: Record<string, any>) => void, string, RegExp]> = [
  ["malformed CIDR", (t) => (t.primary.managementCidr = "10.30.0.0/33"), "primary.managementCidr", /prefix length/],
  ["CIDR with host bits", (t) => (t.primary.managementCidr = "10.30.0.1/16"), "primary.managementCidr", /host bits.*10\.30\.0\.0\/16/],
  ["VPC CIDR too large", (t) => (t.primary.managementCidr = "10.0.0.0/8"), "primary.managementCidr", /\/16 to \/28/],
  ["overlapping management CIDRs", (t) => (t.secondary.managementCidr = "10.30.128.0/17"), "secondary.managementCidr", /overlaps primary\.managementCidr/],
  ["workload CIDR overlapping a management CIDR", (t) => (t.workloads[0].cidr = "10.40.64.0/20"), "workloads[0].cidr", /overlaps secondary\.managementCidr/],
  ["workload CIDRs overlapping each other", (t) => (t.workloads[1].cidr = "10.60.4.0/22"), "workloads[1].cidr", /overlaps workloads\[0\]\.cidr/],
  ["workload CIDR from another RFC 1918 range than the first", (t) => (t.workloads[1].cidr = "172.20.0.0/22"), "workloads[1].cidr", /does not allow a 172\.16\/12 secondary block in a VPC whose primary block 10\.60\.0\.0\/20/],
  ["workload CIDR in link-local space", (t) => (t.workloads[0].cidr = "169.254.0.0/20"), "workloads[0].cidr", /link-local/],
  ["management subnets that do not fit", (t) => (t.primary.managementSubnetPrefixLength = 16), "primary.managementSubnetPrefixLength", /do not fit in 10\.30\.0\.0\/16/],
  ["workload subnets that do not fit", (t) => (t.workloads[1].subnetPrefixLength = 22), "workloads[1].subnetPrefixLength", /2 subnets of \/22 do not fit/],
  ["first workload's subnets over its infrastructure subnets", (t) => (t.workloads[0].subnetPrefixLength = 21), "workloads[0].subnetPrefixLength", /do not fit in 10\.60\.0\.0\/20 next to the infrastructure subnets.*from 22 to 28/],
  ["first workload too small for infrastructure subnets", (t) => (t.workloads[0].cidr = "10.60.0.0/28"), "workloads[0].cidr", /too small to hold the workload VPC's infrastructure subnets/],
  ["management CIDR too small for two /28 subnets", (t) => (t.primary.managementCidr = "10.30.0.0/28"), "primary.managementSubnetPrefixLength", /use a management CIDR of \/27 or larger/],
  ["endpoint service listed twice", (t) => (t.endpoints = { interface: ["ssm", "ec2", "ssm"] }), "endpoints.interface[2]", /repeats endpoints\.interface\[0\]/],
  ["more workload blocks than the VPC quota", (t) => (t.workloads = Array.from({ length: 6 }, (_, i) => ({ name: `w${i}`, cidr: `10.${60 + i}.0.0/24` }))), "workloads", /6 CIDR blocks.*"IPv4 CIDR blocks per VPC" quota is 5.*L-83CA0A9D.*quotas\.ipv4CidrBlocksPerVpc/],
  ["more workload blocks than AWS ever allows", (t) => ((t.quotas = { ipv4CidrBlocksPerVpc: 50 }), (t.workloads = Array.from({ length: 51 }, (_, i) => ({ name: `w${i}`, cidr: `10.${60 + (i >> 4)}.${(i & 15) * 16}.0/24` })))), "workloads", /AWS allows at most 50/],
  ["more management routes than the route table quota", (t) => ((t.quotas = { ipv4CidrBlocksPerVpc: 50 }), (t.workloads = Array.from({ length: 50 }, (_, i) => ({ name: `w${i}`, cidr: `10.${60 + (i >> 4)}.${(i & 15) * 16}.0/24` })))), "workloads", /routes in each management VPC route table.*"Routes per route table" quota is 50.*quotas\.routesPerRouteTable/],
  ["an account id that is not 12 digits", (t) => (t.primary.accountId = "12345"), "primary.accountId", /not an AWS account id/],
  ["a China region", (t) => ((t.secondary.region = "cn-north-1"), (t.secondary.availabilityZones = ["cn-north-1a", "cn-north-1b"])), "secondary.region", /aws-cn partition/],
  ["on-premises CIDR overlapping a workload", (t) => (t.onPremises.cidrs = ["10.61.0.0/24"]), "onPremises.cidrs[0]", /overlaps workloads\[1\]\.cidr/],
  ["connection CIDR overlapping a management CIDR", (t) => (t.onPremises.connections[0].cidrs = ["10.40.0.0/20"]), "onPremises.connections[0].cidrs[0]", /overlaps secondary\.managementCidr/],
  ["a malformed attachment id", (t) => (t.onPremises.connections[1] = { name: "dx", region: "eu-central-1", attachmentId: "tgw-0123" }), "onPremises.connections[1].attachmentId", /not a transit gateway attachment id/],
  ["both a VPN and an attachment id", (t) => (t.onPremises.connections[0].attachmentId = "tgw-attach-0123456789abcdef0"), "onPremises.connections[0]", /exactly one of vpn and attachmentId/],
  ["a private customer gateway IP", (t) => (t.onPremises.connections[0].vpn.customerGatewayIp = "192.168.1.1"), "onPremises.connections[0].vpn.customerGatewayIp", /private \(RFC 1918\).*not a public unicast/],
  ["a multicast customer gateway IP", (t) => (t.onPremises.connections[0].vpn.customerGatewayIp = "224.0.0.5"), "onPremises.connections[0].vpn.customerGatewayIp", /multicast/],
  ["a customer gateway ASN AWS reserves", (t) => (t.onPremises.connections[0].vpn.bgpAsn = 7224), "onPremises.connections[0].vpn.bgpAsn", /AWS reserves/],
  ["a customer gateway ASN out of range", (t) => (t.onPremises.connections[0].vpn.bgpAsn = 0), "onPremises.connections[0].vpn.bgpAsn", /outside the 1-4294967294 range/],
  ["a customer gateway ASN equal to the transit gateway's", (t) => (t.onPremises.connections[1].vpn.bgpAsn = 64513), "onPremises.connections[1].vpn.bgpAsn", /equals the eu-central-1 transit gateway's ASN/],
  ["a connection in a region outside the pair", (t) => (t.onPremises.connections[0].region = "us-east-1"), "onPremises.connections[0].region", /neither the primary nor the secondary/],
  ["two connections of one region with one name", (t) => (t.onPremises.connections[1].region = "eu-west-1"), "onPremises.connections[1].name", /repeats onPremises\.connections\[0\]\.name in eu-west-1/],
  ["an unknown routing mode", (t) => (t.onPremises.connections[0].vpn.routing = "ospf"), "onPremises.connections[0].vpn.routing", /must be one of "bgp", "static"/],
  ["DC IP outside its VPC", (t) => (t.primary.directory.dnsIps[0] = "10.40.0.20"), "primary.directory.dnsIps[0]", /outside primary\.managementCidr/],
  ["DC IP at a reserved address", (t) => (t.secondary.directory.dnsIps[1] = "10.40.16.2"), "secondary.directory.dnsIps[1]", /reserves/],
  ["DC IP outside every management subnet", (t) => (t.primary.directory.dnsIps[0] = "10.30.200.5"), "primary.directory.dnsIps[0]", /no management subnet/],
  ["DC IP that is not an IP", (t) => (t.primary.directory.dnsIps[0] = "10.30.0"), "primary.directory.dnsIps[0]", /not an IPv4 address/],
  ["empty DNS list", (t) => (t.secondary.directory.dnsIps = []), "secondary.directory.dnsIps", /is empty/],
  ["more than four DNS servers in all", (t) => t.secondary.directory.dnsIps.push("10.40.0.21"), "secondary.directory.dnsIps", /at most 4/],
  ["missing domain name", (t) => delete t.primary.directory.domainName, "primary.directory.domainName", /is required/],
  ["domain name that is not a FQDN", (t) => (t.primary.directory.domainName = "CORP"), "primary.directory.domainName", /fully qualified/],
  ["same region twice", (t) => (t.secondary.region = "eu-west-1"), "secondary.region", /same region as primary/],
  ["unknown region string", (t) => (t.secondary.region = "eu-centrl-1"), "secondary.region", /not a known AWS region.*eu-central-1/],
  ["fewer than 2 AZs", (t) => (t.primary.availabilityZones = ["eu-west-1a"]), "primary.availabilityZones", /at least two/],
  ["an AZ of another region", (t) => (t.primary.availabilityZones[1] = "eu-central-1b"), "primary.availabilityZones[1]", /not a zone of eu-west-1/],
  ["unequal AZ counts with workloads", (t) => t.secondary.availabilityZones.push("eu-central-1c"), "secondary.availabilityZones", /same number of zones/],
  ["unknown endpoint service", (t) => (t.endpoints = { interface: ["ssm", "sqs"] }), "endpoints.interface[1]", /not a supported interface endpoint service/],
  ["unknown key (typo)", (t) => (t.primary.availabiltyZones = t.primary.availabilityZones), "primary.availabiltyZones", /not a known field.*did you mean "availabilityZones"/],
  ["unknown top-level key", (t) => (t.workload = []), "workload", /not a known field.*did you mean "workloads"/],
  ["active region outside the pair", (t) => (t.activeRegion = "us-east-1"), "activeRegion", /neither the primary nor the secondary/],
  ["equal transit gateway ASNs", (t) => (t.secondary.transitGatewayAsn = 64512), "secondary.transitGatewayAsn", /distinct ASNs/],
  ["unknown state backend", (t) => (t.state = { backend: "gcs" }), "state.backend", /"local" or "s3"/],
  ["s3 backend without a bucket", (t) => (t.state = { backend: "s3", primary: { bucket: "tf-state-a" } }), "state.secondary", /required for the s3 backend/],
  ["wrong type", (t) => (t.primary.availabilityZones = "eu-west-1a"), "primary.availabilityZones", /must be an array/],
];

describe("bad topologies are rejected with the field, the value and the fix", () => {
  test.each(badTopologies)("GIVEN %s WHEN validated THEN the error names %s", (_label, change, field, message) => {
    const error = problemsOf(change);
    const problem = error.problems.find((p) => p.field === field);
    expect(problem).toBeDefined();
    expect(`${problem!.problem}. Fix: ${problem!.fix}`).toMatch(message);
    expect(problem!.fix.length).toBeGreaterThan(3);
    expect(error.message).toContain("nothing was synthesized");
  });

  test("GIVEN several problems in one file WHEN validated THEN all are reported at once", () => {
    const error = problemsOf((t) => {
      t.primary.managementCidr = "10.30.0.0/33";
      t.secondary.region = "eu-centrl-1";
      t.secondary.directory.dnsIps = [];
      t.workloads[1].cidr = "10.60.4.0/22";
      t.endpoints = { interface: ["sqs"] };
      t.state = { backend: "gcs" };
      t.typo = true;
    });
    expect(error.problems.map((p) => p.field).sort()).toEqual(
      ["endpoints.interface[0]", "primary.managementCidr", "secondary.directory.dnsIps", "secondary.region", "state.backend", "typo", "workloads[1].cidr"].sort(),
    );
  });

  test("GIVEN a bad value WHEN reported THEN the message shows the value itself", () => {
    const error = problemsOf((t) => (t.primary.managementCidr = "10.30.0.0/33"));
    expect(error.message).toContain('primary.managementCidr = "10.30.0.0/33"');
  });
});

describe("loading the topology file", () => {
  const dir = tempDirs("topology")();

  test("GIVEN REGIONPAIR_TOPOLOGY WHEN resolving the path THEN it wins over topology.json", () => {
    expect(topologyPath({ REGIONPAIR_TOPOLOGY: "/some/where.json" })).toBe("/some/where.json");
    expect(topologyPath({})).toMatch(/topology\.json$/);
  });

  test("GIVEN a missing file WHEN loaded THEN the error says how to point at one", () => {
    expect(() => loadTopology(path.join(dir, "absent.json"))).toThrow(/does not exist.*REGIONPAIR_TOPOLOGY/s);
  });

  test("GIVEN invalid JSON WHEN loaded THEN the error says it is not valid JSON and where: line and column", () => {
    const file = path.join(dir, "broken.json");
    writeFileSync(file, '{\n  "name": "x",\n  "primary": { "region": "eu-west-1" },\n}\n');
    expect(() => loadTopology(file)).toThrow(/not valid JSON: .* at line 4, column 1/);
  });

  test("GIVEN a valid file in another region pair WHEN loaded THEN it resolves", () => {
    const file = path.join(dir, "apac.json");
    const input = validTopologyInput();
    input.primary = { ...input.primary, region: "ap-southeast-2", availabilityZones: ["ap-southeast-2a", "ap-southeast-2b"] };
    input.secondary = { ...input.secondary, region: "ap-northeast-1", availabilityZones: ["ap-northeast-1a", "ap-northeast-1c"] };
    input.onPremises.connections[0].region = "ap-southeast-2";
    input.onPremises.connections[1].region = "ap-northeast-1";
    writeFileSync(file, JSON.stringify(input));
    const topology = loadTopology(file);
    expect([topology.primary.region, topology.secondary.region]).toEqual(["ap-southeast-2", "ap-northeast-1"]);
  });
});
