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

  test("GIVEN a workload CIDR WHEN resolved THEN both regions get the same subnet CIDRs per AZ position", () => {
    const primary = topology.primary.workloadSubnets.find((w) => w.workload === "app")!.subnets.map((s) => s.cidr);
    const secondary = topology.secondary.workloadSubnets.find((w) => w.workload === "app")!.subnets.map((s) => s.cidr);
    expect(primary).toEqual(["10.60.0.0/21", "10.60.8.0/21"]);
    expect(secondary).toEqual(primary);
  });

  test("GIVEN no allowedCidrs WHEN resolved THEN endpoints admit both management CIDRs and every workload CIDR", () => {
    expect(topology.endpoints.allowedCidrs).toEqual(["10.30.0.0/16", "10.40.0.0/16", "10.60.0.0/20", "10.61.0.0/22"]);
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
  ["workload CIDR from another RFC 1918 range", (t) => (t.workloads[0].cidr = "192.168.0.0/20"), "workloads[0].cidr", /does not allow a 192\.168\/16 secondary block/],
  ["workload CIDR in link-local space", (t) => (t.workloads[0].cidr = "169.254.0.0/20"), "workloads[0].cidr", /link-local/],
  ["management subnets that do not fit", (t) => (t.primary.managementSubnetPrefixLength = 16), "primary.managementSubnetPrefixLength", /do not fit in 10\.30\.0\.0\/16/],
  ["workload subnets that do not fit", (t) => (t.workloads[1].subnetPrefixLength = 22), "workloads[1].subnetPrefixLength", /2 subnets of \/22 do not fit/],
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

  test("GIVEN invalid JSON WHEN loaded THEN the error says it is not valid JSON", () => {
    const file = path.join(dir, "broken.json");
    writeFileSync(file, '{ "name": "x", }');
    expect(() => loadTopology(file)).toThrow(/not valid JSON/);
  });

  test("GIVEN a valid file in another region pair WHEN loaded THEN it resolves", () => {
    const file = path.join(dir, "apac.json");
    const input = validTopologyInput();
    input.primary = { ...input.primary, region: "ap-southeast-2", availabilityZones: ["ap-southeast-2a", "ap-southeast-2b"] };
    input.secondary = { ...input.secondary, region: "ap-northeast-1", availabilityZones: ["ap-northeast-1a", "ap-northeast-1c"] };
    writeFileSync(file, JSON.stringify(input));
    const topology = loadTopology(file);
    expect([topology.primary.region, topology.secondary.region]).toEqual(["ap-southeast-2", "ap-northeast-1"]);
  });
});
