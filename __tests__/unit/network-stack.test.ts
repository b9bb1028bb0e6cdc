import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcDhcpOptions } from "@cdktf/provider-aws/lib/vpc-dhcp-options";
import { Ec2TransitGateway } from "@cdktf/provider-aws/lib/ec2-transit-gateway";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { CustomerGateway } from "@cdktf/provider-aws/lib/customer-gateway";
import { VpnConnection } from "@cdktf/provider-aws/lib/vpn-connection";
import { resourceTypes, resourcesOfType, synthPair } from "../support/synth";
import { topologyWith } from "../support/topologies";

/** The resource of `type` whose logical id contains `idPart`. */
function resourceNamed(json: any, type: string, idPart: string): any {
  const entry = Object.entries(json.resource?.[type] ?? {}).find(([id]) => id.includes(idPart));
  if (!entry) throw new Error(`no ${type} with an id containing ${idPart}`);
  return entry[1];
}

/** `${aws_vpc.vpc_vpc_ABC.id}` → the logical id `vpc_vpc_ABC`. */
const referenced = (expression: string) => /\$\{[a-z_0-9]+\.([^.]+)\./.exec(expression)?.[1];

describe("network stack", () => {
  const pair = synthPair();
  const primary = pair.json(pair.stacks.network.primary);
  const secondary = pair.json(pair.stacks.network.secondary);
  const vpcId = (json: any, role: "management" | "workload") =>
    Object.entries(json.resource.aws_vpc).find(([, vpc]: [string, any]) => vpc.tags["regionpair:vpc"] === role)![0];
  const subnetsOf = (json: any, role: "management" | "workload") =>
    resourcesOfType(json, "aws_subnet").filter((s) => referenced(s.vpc_id) === vpcId(json, role));

  test("GIVEN a region WHEN synthesized THEN a management VPC and a workload VPC exist, tagged by role, with DNS support and hostnames", () => {
    expect(pair.text(pair.stacks.network.primary)).toHaveResourceWithProperties(Vpc, {
      cidr_block: "10.30.0.0/16",
      enable_dns_support: true,
      enable_dns_hostnames: true,
      tags: { Name: "test-dr-primary-vpc", "regionpair:vpc": "management" },
    });
    expect(pair.text(pair.stacks.network.primary)).toHaveResourceWithProperties(Vpc, {
      cidr_block: "10.60.0.0/20",
      tags: { Name: "test-dr-primary-workload-vpc", "regionpair:vpc": "workload" },
    });
  });

  test("GIVEN workload CIDRs WHEN synthesized THEN none is on the management VPC: the first is the workload VPC's primary block, the rest join it", () => {
    const associations = resourcesOfType(primary, "aws_vpc_ipv4_cidr_block_association");
    expect(associations.map((a) => [a.cidr_block, referenced(a.vpc_id)])).toEqual([["10.61.0.0/22", vpcId(primary, "workload")]]);
    expect(subnetsOf(primary, "management").map((s) => s.cidr_block).sort()).toEqual(["10.30.0.0/20", "10.30.16.0/20"]);
  });

  test("GIVEN any region WHEN synthesized THEN there is no internet gateway, NAT, public IP or default route, and VPC routes only lead to the transit gateway", () => {
    for (const json of [primary, secondary]) {
      const types = resourceTypes(json);
      for (const forbidden of ["aws_internet_gateway", "aws_egress_only_internet_gateway", "aws_nat_gateway", "aws_eip"]) expect(types).not.toContain(forbidden);
      for (const table of resourcesOfType(json, "aws_route_table")) expect(table.route ?? []).toEqual([]);
      for (const subnet of resourcesOfType(json, "aws_subnet")) expect(subnet.map_public_ip_on_launch).toBe(false);
      for (const route of resourcesOfType(json, "aws_route")) {
        expect(Object.keys(route).filter((k) => /_id$/.test(k) && k !== "route_table_id")).toEqual(["transit_gateway_id"]);
      }
      expect(JSON.stringify(json)).not.toContain("0.0.0.0/0");
    }
  });

  test("GIVEN two AZs and two workloads WHEN synthesized THEN the workload VPC has a subnet per workload and zone plus an infrastructure /28 per zone, on the zone's route table", () => {
    expect(subnetsOf(primary, "workload").map((s) => `${s.availability_zone} ${s.cidr_block}`).sort()).toEqual([
      "eu-west-1a 10.60.0.0/22",
      "eu-west-1a 10.60.15.224/28",
      "eu-west-1a 10.61.0.0/23",
      "eu-west-1b 10.60.15.240/28",
      "eu-west-1b 10.60.4.0/22",
      "eu-west-1b 10.61.2.0/23",
    ]);
    expect(resourcesOfType(primary, "aws_route_table")).toHaveLength(4);
    expect(resourcesOfType(primary, "aws_route_table_association")).toHaveLength(8);
  });

  test("GIVEN a secondary workload block WHEN synthesized THEN its subnets wait for the block's association", () => {
    for (const subnet of subnetsOf(primary, "workload").filter((s) => s.cidr_block.startsWith("10.61."))) {
      expect(subnet.depends_on).toEqual([expect.stringMatching(/^aws_vpc_ipv4_cidr_block_association\./)]);
    }
  });

  test("GIVEN both regions WHEN synthesized THEN the workload subnets are identical so instances keep their IPs", () => {
    const layout = (json: any) => subnetsOf(json, "workload").map((s) => s.cidr_block).sort();
    expect(layout(secondary)).toEqual(layout(primary));
  });

  test("GIVEN the directory WHEN synthesized THEN its DHCP option set lists this region's DCs first and the management VPC alone is associated here", () => {
    expect(pair.text(pair.stacks.network.secondary)).toHaveResourceWithProperties(VpcDhcpOptions, {
      domain_name: "ad.test.example",
      domain_name_servers: ["10.40.0.20", "10.40.16.20", "10.30.0.20", "10.30.16.20"],
      ntp_servers: ["169.254.169.123"],
      tags: { Name: "test-dr-secondary-dhcp-options", "regionpair:dhcp-options": "directory" },
    });
    const associations = resourcesOfType(secondary, "aws_vpc_dhcp_options_association");
    expect(associations.map((a) => referenced(a.vpc_id))).toEqual([vpcId(secondary, "management")]);
  });

  test("GIVEN workloads WHEN synthesized THEN a fenced option set with Amazon's DNS and no directory exists for the passive workload copy", () => {
    expect(pair.text(pair.stacks.network.secondary)).toHaveResourceWithProperties(VpcDhcpOptions, {
      domain_name: "eu-central-1.compute.internal",
      domain_name_servers: ["AmazonProvidedDNS"],
      tags: { Name: "test-dr-secondary-fenced-dhcp-options", "regionpair:dhcp-options": "fenced" },
    });
    const useast = synthPair(topologyWith((t) => ((t.primary.region = "us-east-1"), (t.primary.availabilityZones = ["us-east-1a", "us-east-1b"]), (t.onPremises.connections[0].region = "us-east-1"))));
    const fenced = resourcesOfType(useast.json(useast.stacks.network.primary), "aws_vpc_dhcp_options").find((o) => o.tags["regionpair:dhcp-options"] === "fenced");
    expect(fenced.domain_name).toBe("ec2.internal");
  });

  test("GIVEN DHCP options WHEN any argument changes THEN the new set is created before the old is destroyed, so no VPC is left on the defaults", () => {
    for (const options of resourcesOfType(primary, "aws_vpc_dhcp_options")) expect(options.lifecycle).toEqual({ create_before_destroy: true });
  });

  test("GIVEN the default endpoints WHEN synthesized THEN each VPC has ssm, ssmmessages, ec2messages and ec2 with private DNS in its attachment subnets", () => {
    const interfaces = resourcesOfType(primary, "aws_vpc_endpoint").filter((e) => e.vpc_endpoint_type === "Interface");
    for (const role of ["management", "workload"] as const) {
      const own = interfaces.filter((e) => referenced(e.vpc_id) === vpcId(primary, role));
      expect(own.map((e) => e.service_name).sort()).toEqual(["ec2", "ec2messages", "ssm", "ssmmessages"].map((s) => `com.amazonaws.eu-west-1.${s}`));
      for (const endpoint of own) {
        expect(endpoint.private_dns_enabled).toBe(true);
        expect(endpoint.subnet_ids.join()).toMatch(role === "management" ? /management-eu-west-1a.*management-eu-west-1b/ : /infrastructure-eu-west-1a.*infrastructure-eu-west-1b/);
      }
    }
    expect(resourcesOfType(primary, "aws_vpc_endpoint").filter((e) => e.vpc_endpoint_type === "Gateway")).toHaveLength(2);
  });

  test("GIVEN the endpoint security groups WHEN synthesized THEN each admits TCP 443 only: management from both management CIDRs and the workloads, workload from the workload CIDRs, no egress", () => {
    const rules = resourcesOfType(primary, "aws_vpc_security_group_ingress_rule");
    const groupOf = (rule: any) => resourceNamed(primary, "aws_security_group", referenced(rule.security_group_id)!).name;
    const cidrsFor = (group: string) => rules.filter((r) => groupOf(r) === group).map((r) => r.cidr_ipv4).sort();
    expect(cidrsFor("test-dr-primary-endpoints")).toEqual(["10.30.0.0/16", "10.40.0.0/16", "10.60.0.0/20", "10.61.0.0/22"]);
    expect(cidrsFor("test-dr-primary-workload-endpoints")).toEqual(["10.60.0.0/20", "10.61.0.0/22"]);
    for (const rule of rules) expect([rule.ip_protocol, rule.from_port, rule.to_port]).toEqual(["tcp", 443, 443]);
    expect(resourceTypes(primary)).not.toContain("aws_vpc_security_group_egress_rule");
    for (const group of resourcesOfType(primary, "aws_security_group")) expect([group.egress, group.ingress]).toEqual([undefined, undefined]);
    expect(pair.text(pair.stacks.network.primary)).toHaveResourceWithProperties(SecurityGroup, { name: "test-dr-primary-endpoints" });
  });

  test("GIVEN optional endpoints and no S3 gateway WHEN synthesized THEN exactly those endpoints exist in each VPC", () => {
    const custom = synthPair(topologyWith((t) => (t.endpoints = { interface: ["ssm", "kms", "logs"], s3Gateway: false })));
    const endpoints = resourcesOfType(custom.json(custom.stacks.network.primary), "aws_vpc_endpoint").map((e) => e.service_name);
    expect(endpoints.sort()).toEqual(["kms", "kms", "logs", "logs", "ssm", "ssm"].map((s) => `com.amazonaws.eu-west-1.${s}`));
  });

  test("GIVEN the hub WHEN synthesized THEN the TGW has default association and propagation disabled, and three route tables tagged by role", () => {
    expect(pair.text(pair.stacks.network.primary)).toHaveResourceWithProperties(Ec2TransitGateway, {
      default_route_table_association: "disable",
      default_route_table_propagation: "disable",
      dns_support: "enable",
      amazon_side_asn: 64512,
    });
    expect(pair.text(pair.stacks.network.secondary)).toHaveResourceWithProperties(Ec2TransitGateway, { amazon_side_asn: 64513 });
    expect(resourcesOfType(primary, "aws_ec2_transit_gateway_route_table").map((t) => [t.tags.Name, t.tags["regionpair:tgw-route-table"]]).sort()).toEqual([
      ["test-dr-primary-tgw-rt-clients", "clients"],
      ["test-dr-primary-tgw-rt-peering", "peering"],
      ["test-dr-primary-tgw-rt-workload", "workload"],
    ]);
    expect(resourceTypes(primary)).not.toContain("aws_ec2_transit_gateway_route_table_propagation");
  });

  test("GIVEN the attachments WHEN synthesized THEN the management VPC and the VPN are clients, the workload VPC has its own table, none is default-associated", () => {
    const tableOf = (association: any) => resourceNamed(primary, "aws_ec2_transit_gateway_route_table", referenced(association.transit_gateway_route_table_id)!).tags["regionpair:tgw-route-table"];
    const associations = Object.fromEntries(
      Object.entries(primary.resource.aws_ec2_transit_gateway_route_table_association).map(([id, a]: [string, any]) => [id.replace(/_[0-9A-F]{8}$/, ""), tableOf(a)]),
    );
    expect(associations).toEqual({
      "transit_vpc-attachment-association": "clients",
      "transit_workload-attachment-association": "workload",
      "transit_connection-office-association": "clients",
    });
    for (const attachment of resourcesOfType(primary, "aws_ec2_transit_gateway_vpc_attachment")) {
      expect(attachment).toMatchObject({ transit_gateway_default_route_table_association: false, transit_gateway_default_route_table_propagation: false, dns_support: "enable" });
    }
    expect(resourceNamed(primary, "aws_ec2_transit_gateway_vpc_attachment", "workload").subnet_ids.join()).toMatch(/infrastructure-eu-west-1a.*infrastructure-eu-west-1b/);
  });

  test("GIVEN a VPN connection WHEN synthesized THEN the customer gateway, the VPN on the transit gateway and its routing mode follow the topology, and its attachment is tagged for lookups", () => {
    expect(pair.text(pair.stacks.network.primary)).toHaveResourceWithProperties(CustomerGateway, { ip_address: "203.0.113.7", bgp_asn: "65020", type: "ipsec.1" });
    expect(pair.text(pair.stacks.network.primary)).toHaveResourceWithProperties(VpnConnection, { type: "ipsec.1", static_routes_only: false });
    expect(pair.text(pair.stacks.network.secondary)).toHaveResourceWithProperties(VpnConnection, { static_routes_only: true });
    expect(resourcesOfType(primary, "aws_vpn_connection")[0].transit_gateway_id).toMatch(/aws_ec2_transit_gateway\.transit_transit-gateway/);
    const tags = Object.fromEntries(resourcesOfType(primary, "aws_ec2_tag").map((t) => [t.key, t.value]));
    expect(tags).toEqual({ Name: "test-dr-primary-tgw-vpn-office", "regionpair:topology": "test-dr", "regionpair:region-role": "primary", "regionpair:connection": "office" });
    for (const tag of resourcesOfType(primary, "aws_ec2_tag")) expect(tag.resource_id).toMatch(/aws_vpn_connection\..*\.transit_gateway_attachment_id/);
  });

  test("GIVEN an existing attachment instead of a VPN WHEN synthesized THEN it is associated with the clients table and nothing is created for it", () => {
    const custom = synthPair(topologyWith((t) => (t.onPremises.connections[0] = { name: "dx", region: "eu-west-1", attachmentId: "tgw-attach-0123456789abcdef0" })));
    const json = custom.json(custom.stacks.network.primary);
    expect(resourceTypes(json)).not.toContain("aws_customer_gateway");
    expect(resourceTypes(json)).not.toContain("aws_vpn_connection");
    expect(resourceNamed(json, "aws_ec2_transit_gateway_route_table_association", "connection-dx").transit_gateway_attachment_id).toBe("tgw-attach-0123456789abcdef0");
  });

  test("GIVEN the routing design WHEN synthesized THEN the management VPC sends the workloads, the other region and the clients to the TGW, the workload VPC both management VPCs and the clients", () => {
    const destinations = (role: "management" | "workload") => {
      const tables = Object.entries(primary.resource.aws_route_table).filter(([, t]: [string, any]) => referenced((t as any).vpc_id) === vpcId(primary, role)).map(([id]) => id);
      return tables.map((table) => resourcesOfType(primary, "aws_route").filter((r) => referenced(r.route_table_id) === table).map((r) => r.destination_cidr_block).sort());
    };
    expect(destinations("management")).toEqual([0, 1].map(() => ["10.40.0.0/16", "10.60.0.0/20", "10.61.0.0/22", "192.168.0.0/16"]));
    expect(destinations("workload")).toEqual([0, 1].map(() => ["10.30.0.0/16", "10.40.0.0/16", "192.168.0.0/16"]));
    for (const route of resourcesOfType(primary, "aws_route")) expect(route.depends_on).toEqual([expect.stringMatching(/^aws_ec2_transit_gateway_vpc_attachment\./)]);
  });

  test("GIVEN no workloads WHEN synthesized THEN there is no workload VPC and the management VPC routes only the other region and the clients", () => {
    const custom = synthPair(topologyWith((t) => delete t.workloads));
    const json = custom.json(custom.stacks.network.primary);
    expect(resourcesOfType(json, "aws_vpc")).toHaveLength(1);
    expect([...new Set(resourcesOfType(json, "aws_route").map((r) => r.destination_cidr_block))].sort()).toEqual(["10.40.0.0/16", "192.168.0.0/16"]);
  });

  test("GIVEN any stack WHEN synthesized THEN every taggable resource gets a Name and the provider adds topology and region-role tags", () => {
    expect(primary.provider.aws[0].default_tags[0].tags).toEqual({
      "regionpair:topology": "test-dr",
      "regionpair:region-role": "primary",
      "regionpair:managed-by": "regionpair",
    });
    expect(resourcesOfType(primary, "aws_ec2_transit_gateway")[0].tags).toEqual({ Name: "test-dr-primary-tgw" });
    const untagged = [
      "aws_route",
      "aws_route_table_association",
      "aws_vpc_dhcp_options_association",
      "aws_ec2_transit_gateway_route_table_association",
      "aws_vpc_ipv4_cidr_block_association",
      "aws_vpc_security_group_ingress_rule",
      "aws_ec2_tag",
    ];
    for (const type of resourceTypes(primary).filter((t) => !untagged.includes(t))) {
      for (const resource of resourcesOfType(primary, type)) expect(resource.tags?.Name).toMatch(/^test-dr-primary-/);
    }
  });

  test("GIVEN the stack WHEN synthesized THEN it outputs the ids a person or a later stack needs", () => {
    expect(Object.keys(primary.output).sort()).toEqual(
      [
        "connection_attachment_ids",
        "dhcp_options_id",
        "endpoint_security_group_id",
        "fenced_dhcp_options_id",
        "interface_endpoint_ids",
        "management_subnet_ids",
        "peer_region",
        "region",
        "route_table_ids",
        "s3_gateway_endpoint_id",
        "transit_gateway_id",
        "transit_gateway_route_table_ids",
        "vpc_attachment_id",
        "vpc_id",
        "workload_attachment_id",
        "workload_route_table_ids",
        "workload_subnet_ids",
        "workload_vpc_id",
      ].sort(),
    );
  });
});
