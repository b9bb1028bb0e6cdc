import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcDhcpOptions } from "@cdktf/provider-aws/lib/vpc-dhcp-options";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Ec2TransitGateway } from "@cdktf/provider-aws/lib/ec2-transit-gateway";
import { Ec2TransitGatewayVpcAttachment } from "@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { resourceTypes, resourcesOfType, synthPair } from "../support/synth";
import { topologyWith } from "../support/topologies";

describe("network stack", () => {
  const pair = synthPair();
  const primary = pair.json(pair.stacks.network.primary);
  const secondary = pair.json(pair.stacks.network.secondary);

  test("GIVEN the primary region WHEN synthesized THEN a VPC with the management CIDR has DNS support and hostnames", () => {
    expect(pair.text(pair.stacks.network.primary)).toHaveResourceWithProperties(Vpc, {
      cidr_block: "10.30.0.0/16",
      enable_dns_support: true,
      enable_dns_hostnames: true,
    });
  });

  test("GIVEN any region WHEN synthesized THEN there is no internet gateway, NAT, public IP or default route", () => {
    for (const json of [primary, secondary]) {
      const types = resourceTypes(json);
      for (const forbidden of ["aws_internet_gateway", "aws_egress_only_internet_gateway", "aws_nat_gateway", "aws_eip", "aws_route"]) {
        expect(types).not.toContain(forbidden);
      }
      for (const table of resourcesOfType(json, "aws_route_table")) expect(table.route ?? []).toEqual([]);
      for (const subnet of resourcesOfType(json, "aws_subnet")) expect(subnet.map_public_ip_on_launch).toBe(false);
      expect(JSON.stringify(json)).not.toContain("0.0.0.0/0");
    }
  });

  test("GIVEN two AZs and two workloads WHEN synthesized THEN each AZ has a management and a subnet per workload, on the AZ's route table", () => {
    const subnets = resourcesOfType(primary, "aws_subnet").map((s) => `${s.availability_zone} ${s.cidr_block}`).sort();
    expect(subnets).toEqual([
      "eu-west-1a 10.30.0.0/20",
      "eu-west-1a 10.60.0.0/21",
      "eu-west-1a 10.61.0.0/23",
      "eu-west-1b 10.30.16.0/20",
      "eu-west-1b 10.60.8.0/21",
      "eu-west-1b 10.61.2.0/23",
    ]);
    expect(resourcesOfType(primary, "aws_route_table")).toHaveLength(2);
    expect(resourcesOfType(primary, "aws_route_table_association")).toHaveLength(6);
  });

  test("GIVEN workload CIDRs WHEN synthesized THEN each is a secondary VPC block its subnets wait for", () => {
    const associations = primary.resource.aws_vpc_ipv4_cidr_block_association;
    expect(Object.values(associations).map((a: any) => a.cidr_block).sort()).toEqual(["10.60.0.0/20", "10.61.0.0/22"]);
    const workloadSubnets = resourcesOfType(primary, "aws_subnet").filter((s) => s.cidr_block.startsWith("10.6"));
    for (const subnet of workloadSubnets) {
      expect(subnet.depends_on).toHaveLength(1);
      expect(subnet.depends_on[0]).toMatch(/^aws_vpc_ipv4_cidr_block_association\./);
    }
  });

  test("GIVEN both regions WHEN synthesized THEN the workload subnets are identical so instances keep their IPs", () => {
    const workloadLayout = (json: any) =>
      resourcesOfType(json, "aws_subnet").filter((s) => s.cidr_block.startsWith("10.6")).map((s) => s.cidr_block).sort();
    expect(workloadLayout(secondary)).toEqual(workloadLayout(primary));
  });

  test("GIVEN the directory WHEN synthesized THEN DHCP options list this region's DCs first and Amazon Time Sync, and are associated", () => {
    expect(pair.text(pair.stacks.network.secondary)).toHaveResourceWithProperties(VpcDhcpOptions, {
      domain_name: "ad.test.example",
      domain_name_servers: ["10.40.0.20", "10.40.16.20", "10.30.0.20", "10.30.16.20"],
      ntp_servers: ["169.254.169.123"],
    });
    expect(resourcesOfType(secondary, "aws_vpc_dhcp_options_association")).toHaveLength(1);
  });

  test("GIVEN the default endpoints WHEN synthesized THEN ssm, ssmmessages, ec2messages and ec2 are private-DNS interface endpoints in the management subnets", () => {
    const interfaces = resourcesOfType(primary, "aws_vpc_endpoint").filter((e) => e.vpc_endpoint_type === "Interface");
    expect(interfaces.map((e) => e.service_name).sort()).toEqual(
      ["ec2", "ec2messages", "ssm", "ssmmessages"].map((s) => `com.amazonaws.eu-west-1.${s}`),
    );
    for (const endpoint of interfaces) {
      expect(endpoint.private_dns_enabled).toBe(true);
      expect(endpoint.subnet_ids).toHaveLength(2);
      expect(endpoint.subnet_ids.join()).toMatch(/management-eu-west-1a.*management-eu-west-1b/);
      expect(endpoint.security_group_ids).toHaveLength(1);
    }
    expect(pair.text(pair.stacks.network.primary)).toHaveResourceWithProperties(VpcEndpoint, {
      service_name: "com.amazonaws.eu-west-1.s3",
      vpc_endpoint_type: "Gateway",
    });
  });

  test("GIVEN allowed CIDRs WHEN synthesized THEN the endpoint security group admits TCP 443 from exactly those and has no egress", () => {
    const rules = resourcesOfType(primary, "aws_vpc_security_group_ingress_rule");
    expect(rules.map((r) => r.cidr_ipv4).sort()).toEqual(["10.30.0.0/16", "10.40.0.0/16", "10.60.0.0/20", "10.61.0.0/22"]);
    for (const rule of rules) expect([rule.ip_protocol, rule.from_port, rule.to_port]).toEqual(["tcp", 443, 443]);
    expect(resourceTypes(primary)).not.toContain("aws_vpc_security_group_egress_rule");
    const [group] = resourcesOfType(primary, "aws_security_group");
    expect(group.egress).toBeUndefined();
    expect(group.ingress).toBeUndefined();
    expect(pair.text(pair.stacks.network.primary)).toHaveResourceWithProperties(SecurityGroup, { name: "test-dr-primary-endpoints" });
  });

  test("GIVEN optional endpoints and no S3 gateway WHEN synthesized THEN exactly those endpoints exist", () => {
    const custom = synthPair(topologyWith((t) => (t.endpoints = { interface: ["ssm", "kms", "logs"], s3Gateway: false })));
    const endpoints = resourcesOfType(custom.json(custom.stacks.network.primary), "aws_vpc_endpoint").map((e) => e.service_name);
    expect(endpoints.sort()).toEqual(["kms", "logs", "ssm"].map((s) => `com.amazonaws.eu-west-1.${s}`));
  });

  test("GIVEN the hub WHEN synthesized THEN the TGW has default association and propagation disabled and DNS support on", () => {
    expect(pair.text(pair.stacks.network.primary)).toHaveResourceWithProperties(Ec2TransitGateway, {
      default_route_table_association: "disable",
      default_route_table_propagation: "disable",
      dns_support: "enable",
      amazon_side_asn: 64512,
    });
    expect(pair.text(pair.stacks.network.secondary)).toHaveResourceWithProperties(Ec2TransitGateway, { amazon_side_asn: 64513 });
  });

  test("GIVEN the hub WHEN synthesized THEN the VPC attachment uses one management subnet per AZ and is associated with the hub's own table, never propagated", () => {
    expect(pair.text(pair.stacks.network.primary)).toHaveResourceWithProperties(Ec2TransitGatewayVpcAttachment, {
      transit_gateway_default_route_table_association: false,
      transit_gateway_default_route_table_propagation: false,
      dns_support: "enable",
    });
    const [attachment] = resourcesOfType(primary, "aws_ec2_transit_gateway_vpc_attachment");
    expect(attachment.subnet_ids.join()).toMatch(/management-eu-west-1a.*management-eu-west-1b/);
    const [association] = resourcesOfType(primary, "aws_ec2_transit_gateway_route_table_association");
    expect(association.transit_gateway_route_table_id).toMatch(/aws_ec2_transit_gateway_route_table\./);
    expect(resourceTypes(primary)).not.toContain("aws_ec2_transit_gateway_route_table_propagation");
  });

  test("GIVEN any stack WHEN synthesized THEN every taggable resource gets a Name and the provider adds topology and region-role tags", () => {
    expect(primary.provider.aws[0].default_tags[0].tags).toEqual({
      "regionpair:topology": "test-dr",
      "regionpair:region-role": "primary",
      "regionpair:managed-by": "regionpair",
    });
    expect(resourcesOfType(primary, "aws_vpc")[0].tags).toEqual({ Name: "test-dr-primary-vpc" });
    expect(resourcesOfType(primary, "aws_ec2_transit_gateway")[0].tags).toEqual({ Name: "test-dr-primary-tgw" });
    const untagged = ["aws_route_table_association", "aws_vpc_dhcp_options_association", "aws_ec2_transit_gateway_route_table_association", "aws_vpc_ipv4_cidr_block_association", "aws_vpc_security_group_ingress_rule"];
    for (const type of resourceTypes(primary).filter((t) => !untagged.includes(t))) {
      for (const resource of resourcesOfType(primary, type)) expect(resource.tags?.Name).toMatch(/^test-dr-primary-/);
    }
  });

  test("GIVEN the stack WHEN synthesized THEN it outputs the ids a person or a later stack needs", () => {
    expect(Object.keys(primary.output).sort()).toEqual(
      [
        "dhcp_options_id",
        "endpoint_security_group_id",
        "interface_endpoint_ids",
        "management_subnet_ids",
        "peer_region",
        "region",
        "route_table_ids",
        "s3_gateway_endpoint_id",
        "transit_gateway_id",
        "transit_gateway_route_table_id",
        "vpc_attachment_id",
        "vpc_id",
        "workload_subnet_ids",
      ].sort(),
    );
  });
});
