/**
 * Topology documents for tests. `validTopologyInput()` returns a fresh, valid document in a
 * region pair other than the shipped example's, so tests also show nothing is tied to one pair.
 * It has two workloads and an on-premises VPN into each region (BGP in one, static in the other).
 */
import { Topology, parseTopology } from "../../config/topology";

export function validTopologyInput(): Record<string, any> {
  return {
    name: "test-dr",
    primary: {
      region: "eu-west-1",
      managementCidr: "10.30.0.0/16",
      availabilityZones: ["eu-west-1a", "eu-west-1b"],
      directory: { domainName: "ad.test.example", dnsIps: ["10.30.0.20", "10.30.16.20"] },
    },
    secondary: {
      region: "eu-central-1",
      managementCidr: "10.40.0.0/16",
      availabilityZones: ["eu-central-1a", "eu-central-1b"],
      directory: { domainName: "ad.test.example", dnsIps: ["10.40.0.20", "10.40.16.20"] },
    },
    workloads: [
      { name: "app", cidr: "10.60.0.0/20" },
      { name: "db", cidr: "10.61.0.0/22" },
    ],
    onPremises: {
      cidrs: ["192.168.0.0/16"],
      connections: [
        { name: "office", region: "eu-west-1", vpn: { customerGatewayIp: "203.0.113.7", bgpAsn: 65020 } },
        { name: "office", region: "eu-central-1", vpn: { customerGatewayIp: "203.0.113.7", bgpAsn: 65020, routing: "static" } },
      ],
    },
  };
}

/** A valid topology with `change` applied to a fresh document first. */
export function topologyWith(change: (input: Record<string, any>) => void = () => {}): Topology {
  const input = validTopologyInput();
  change(input);
  return parseTopology(input, "test-topology.json");
}

/**
 * The valid topology moved to another region pair (zones `<region>a` and `<region>b`, each
 * on-premises connection in the same role's region), for suites whose fixtures live there.
 */
export function topologyIn(primaryRegion: string, secondaryRegion: string): Topology {
  return topologyWith((input) => {
    const moved: Record<string, string> = { [input.primary.region]: primaryRegion, [input.secondary.region]: secondaryRegion };
    for (const [role, region] of [["primary", primaryRegion], ["secondary", secondaryRegion]] as const) {
      input[role].region = region;
      input[role].availabilityZones = [`${region}a`, `${region}b`];
    }
    for (const connection of input.onPremises.connections) connection.region = moved[connection.region];
  });
}
