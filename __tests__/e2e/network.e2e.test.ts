/**
 * The network stacks deployed with real terraform into the patched emulator, read back with the
 * SDK: what exists, that a second plan is empty, and that destroy leaves nothing.
 */
import {
  DescribeDhcpOptionsCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSubnetsCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewaysCommand,
  DescribeTransitGatewayVpcAttachmentsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  GetTransitGatewayRouteTableAssociationsCommand,
} from "@aws-sdk/client-ec2";
import { EmulatorDeployment } from "../../scripts/lib/emulator-deployment";
import { STACK_NAMES } from "../../stacks/stack-names";
import { REGION_ROLES, dnsServersFor } from "../../config/topology";
import { findVpc, tagFilters, tagMap } from "../support/readback";
import { topologyWith } from "../support/topologies";

jest.setTimeout(600_000);

const topology = topologyWith();
const networkStacks = REGION_ROLES.map((role) => STACK_NAMES.network(role));
let deployment: EmulatorDeployment;
let outputs: Record<string, Record<string, any>>;

beforeAll(async () => {
  deployment = await EmulatorDeployment.start({ topology });
  await deployment.apply(networkStacks);
  outputs = await deployment.outputs(networkStacks);
});

afterAll(async () => {
  await deployment?.stop();
});

describe.each(REGION_ROLES)("the %s network, read back from the emulator", (role) => {
  const plan = topology[role];
  const ec2 = () => deployment.ec2(plan.region);
  const out = () => outputs[STACK_NAMES.network(role)];

  test("GIVEN the applied stack WHEN reading the VPC THEN it has the management CIDR, every workload block, and DNS support", async () => {
    const vpc = await findVpc(ec2(), topology.name, `${topology.name}-${role}-vpc`);
    expect(vpc?.VpcId).toBe(out().vpc_id);
    expect(vpc?.CidrBlock).toBe(plan.managementCidr);
    const blocks = (vpc?.CidrBlockAssociationSet ?? []).filter((b) => b.CidrBlockState?.State === "associated").map((b) => b.CidrBlock);
    expect(blocks.sort()).toEqual([plan.managementCidr, ...topology.workloads.map((w) => w.cidr)].sort());
    expect(tagMap(vpc?.Tags)).toMatchObject({ "regionpair:topology": topology.name, "regionpair:region-role": role });
  });

  test("GIVEN the applied stack WHEN reading subnets THEN each AZ has its management and workload subnets", async () => {
    const { Subnets } = await ec2().send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [out().vpc_id] }] }));
    const layout = (Subnets ?? []).map((s) => `${s.AvailabilityZone} ${s.CidrBlock}`).sort();
    const expected = [
      ...plan.managementSubnets.map((s) => `${s.availabilityZone} ${s.cidr}`),
      ...plan.workloadSubnets.flatMap((w) => w.subnets.map((s) => `${s.availabilityZone} ${s.cidr}`)),
    ].sort();
    expect(layout).toEqual(expected);
    for (const subnet of Subnets ?? []) expect(subnet.MapPublicIpOnLaunch).toBe(false);
  });

  test("GIVEN the applied stack WHEN reading DHCP options THEN the VPC uses the directory's domain, DCs (own first) and NTP", async () => {
    const { Vpcs } = await ec2().send(new DescribeVpcsCommand({ VpcIds: [out().vpc_id] }));
    expect(Vpcs?.[0].DhcpOptionsId).toBe(out().dhcp_options_id);
    const { DhcpOptions } = await ec2().send(new DescribeDhcpOptionsCommand({ DhcpOptionsIds: [out().dhcp_options_id] }));
    const config = Object.fromEntries((DhcpOptions?.[0].DhcpConfigurations ?? []).map((c) => [c.Key, (c.Values ?? []).map((v) => v.Value)]));
    expect(config["domain-name"]).toEqual([plan.domainName]);
    expect(config["domain-name-servers"]).toEqual(dnsServersFor(topology, role));
    expect(config["ntp-servers"]).toEqual(["169.254.169.123"]);
    expect(tagMap(DhcpOptions?.[0].Tags).Name).toBe(`${topology.name}-${role}-dhcp-options`);
  });

  test("GIVEN the applied stack WHEN reading endpoints THEN SSM, SSM messages, EC2 messages and EC2 are available with private DNS in the management subnets", async () => {
    const { VpcEndpoints } = await ec2().send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: "vpc-id", Values: [out().vpc_id] }] }));
    const interfaces = (VpcEndpoints ?? []).filter((e) => e.VpcEndpointType === "Interface");
    expect(interfaces.map((e) => e.ServiceName).sort()).toEqual(["ec2", "ec2messages", "ssm", "ssmmessages"].map((s) => `com.amazonaws.${plan.region}.${s}`));
    const managementSubnets = Object.values(out().management_subnet_ids as Record<string, string>).sort();
    for (const endpoint of interfaces) {
      expect(endpoint.State?.toLowerCase()).toBe("available");
      expect(endpoint.PrivateDnsEnabled).toBe(true);
      expect([...(endpoint.SubnetIds ?? [])].sort()).toEqual(managementSubnets);
      expect(endpoint.Groups?.map((g) => g.GroupId)).toEqual([out().endpoint_security_group_id]);
    }
    const gateway = (VpcEndpoints ?? []).find((e) => e.VpcEndpointType === "Gateway");
    expect(gateway?.ServiceName).toBe(`com.amazonaws.${plan.region}.s3`);
    expect([...(gateway?.RouteTableIds ?? [])].sort()).toEqual(Object.values(out().route_table_ids as Record<string, string>).sort());
  });

  test("GIVEN the applied stack WHEN reading the endpoint security group THEN it admits TCP 443 from the allowed CIDRs only, with no egress", async () => {
    const { SecurityGroupRules } = await ec2().send(
      new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [out().endpoint_security_group_id] }] }),
    );
    const ingress = (SecurityGroupRules ?? []).filter((r) => !r.IsEgress);
    const egress = (SecurityGroupRules ?? []).filter((r) => r.IsEgress);
    expect(ingress.map((r) => `${r.IpProtocol} ${r.FromPort}-${r.ToPort} ${r.CidrIpv4}`).sort()).toEqual(
      topology.endpoints.allowedCidrs.map((cidr) => `tcp 443-443 ${cidr}`).sort(),
    );
    expect(egress).toEqual([]);
  });

  test("GIVEN the applied stack WHEN reading the transit gateway THEN default association and propagation are off and DNS support is on", async () => {
    const { TransitGateways } = await ec2().send(new DescribeTransitGatewaysCommand({ TransitGatewayIds: [out().transit_gateway_id] }));
    const options = TransitGateways?.[0].Options;
    expect(TransitGateways?.[0].State).toBe("available");
    expect(options?.DefaultRouteTableAssociation).toBe("disable");
    expect(options?.DefaultRouteTablePropagation).toBe("disable");
    expect(options?.DnsSupport).toBe("enable");
    expect(options?.AmazonSideAsn).toBe(plan.transitGatewayAsn);
  });

  test("GIVEN the applied stack WHEN reading the VPC attachment THEN it is available, in one management subnet per AZ, associated only with the hub's table", async () => {
    const { TransitGatewayVpcAttachments } = await ec2().send(
      new DescribeTransitGatewayVpcAttachmentsCommand({ TransitGatewayAttachmentIds: [out().vpc_attachment_id] }),
    );
    const attachment = TransitGatewayVpcAttachments?.[0];
    expect(attachment?.State).toBe("available");
    expect([...(attachment?.SubnetIds ?? [])].sort()).toEqual(Object.values(out().management_subnet_ids as Record<string, string>).sort());
    expect(tagMap(attachment?.Tags).Name).toBe(`${topology.name}-${role}-tgw-vpc-attachment`);
    const { Associations } = await ec2().send(
      new GetTransitGatewayRouteTableAssociationsCommand({ TransitGatewayRouteTableId: out().transit_gateway_route_table_id }),
    );
    expect(Associations?.map((a) => [a.TransitGatewayAttachmentId, a.State])).toEqual([[out().vpc_attachment_id, "associated"]]);
  });

  test("GIVEN the applied stack WHEN looking for internet paths THEN there is no internet gateway, NAT gateway or default route", async () => {
    const vpcFilter = [{ Name: "attachment.vpc-id", Values: [out().vpc_id] }];
    expect((await ec2().send(new DescribeInternetGatewaysCommand({ Filters: vpcFilter }))).InternetGateways).toEqual([]);
    const { NatGateways } = await ec2().send(new DescribeNatGatewaysCommand({ Filter: [{ Name: "vpc-id", Values: [out().vpc_id] }] }));
    expect(NatGateways ?? []).toEqual([]);
    const { RouteTables } = await ec2().send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [out().vpc_id] }] }));
    const routes = (RouteTables ?? []).flatMap((t) => t.Routes ?? []);
    expect(routes.filter((r) => r.DestinationCidrBlock === "0.0.0.0/0" || r.GatewayId?.startsWith("igw-") || r.NatGatewayId)).toEqual([]);
  });
});

describe("after apply", () => {
  test("GIVEN both network stacks applied WHEN planning again THEN there are no changes (detailed exit code 0)", async () => {
    for (const stack of networkStacks) {
      const plan = await deployment.workspace.plan(stack);
      expect({ stack, changes: plan.changes, exitCode: plan.exitCode }).toEqual({ stack, changes: false, exitCode: 0 });
    }
  });
});

describe("destroy", () => {
  test("GIVEN both network stacks WHEN destroyed THEN no VPC, subnet, endpoint, DHCP option set or live transit gateway of the topology remains", async () => {
    await deployment.destroy(networkStacks);
    for (const role of REGION_ROLES) {
      const ec2 = deployment.ec2(topology[role].region);
      const filters = tagFilters(topology.name);
      expect((await ec2.send(new DescribeVpcsCommand({ Filters: filters }))).Vpcs).toEqual([]);
      expect((await ec2.send(new DescribeSubnetsCommand({ Filters: filters }))).Subnets).toEqual([]);
      expect((await ec2.send(new DescribeDhcpOptionsCommand({ Filters: filters }))).DhcpOptions).toEqual([]);
      const { VpcEndpoints } = await ec2.send(new DescribeVpcEndpointsCommand({ Filters: filters }));
      expect((VpcEndpoints ?? []).filter((e) => e.State?.toLowerCase() !== "deleted")).toEqual([]);
      const { TransitGateways } = await ec2.send(new DescribeTransitGatewaysCommand({ Filters: filters }));
      expect((TransitGateways ?? []).filter((t) => t.State !== "deleted")).toEqual([]);
      const { TransitGatewayAttachments } = await ec2.send(new DescribeTransitGatewayAttachmentsCommand({ Filters: filters }));
      expect((TransitGatewayAttachments ?? []).filter((a) => a.State !== "deleted")).toEqual([]);
    }
  });
});
