/**
 * The network stacks deployed with real terraform into the patched emulator, read back with the
 * SDK: both VPCs, DHCP, endpoints, the transit gateway's tables and attachments, the VPN; that a
 * second plan is empty; that changing the domain controllers never leaves the management VPC
 * without its DHCP options; and that destroy leaves nothing. Terraform signs as the deploy role,
 * holding only its generated policy, with IAM enforced (REGIONPAIR_E2E_IAM=off: as the root
 * user, unenforced), so a call of apply, plan or destroy that policy lacks fails the suite.
 */
import {
  DescribeCustomerGatewaysCommand,
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
  DescribeVpnConnectionsCommand,
  EC2Client,
  GetTransitGatewayRouteTableAssociationsCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { EMULATOR_ROOT_CREDENTIALS } from "../../config/emulator-credentials";
import { EmulatorDeployment, defaultIamMode } from "../../scripts/lib/emulator-deployment";
import { STACK_NAMES } from "../../stacks/stack-names";
import { REGION_ROLES, RegionRole, dnsServersFor } from "../../config/topology";
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

async function subnetLayout(ec2: EC2Client, vpcId: string): Promise<string[]> {
  const { Subnets } = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }));
  for (const subnet of Subnets ?? []) expect(subnet.MapPublicIpOnLaunch).toBe(false);
  return (Subnets ?? []).map((s) => `${s.AvailabilityZone} ${s.CidrBlock}`).sort();
}

async function dhcpOptionsOf(ec2: EC2Client, vpcIds: string[]): Promise<Array<string | undefined>> {
  const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ VpcIds: vpcIds }));
  return vpcIds.map((id) => Vpcs?.find((v) => v.VpcId === id)?.DhcpOptionsId);
}

describe.each(REGION_ROLES)("the %s network, read back from the emulator", (role) => {
  const layout = topology[role];
  const ec2 = () => deployment.ec2(layout.region);
  const out = () => outputs[STACK_NAMES.network(role)];
  const inZone = (subnets: ReadonlyArray<{ availabilityZone: string; cidr: string }>) => subnets.map((s) => `${s.availabilityZone} ${s.cidr}`);

  test("GIVEN the applied stack WHEN reading the VPCs THEN the management VPC holds only its CIDR and the workload VPC every workload block", async () => {
    const management = await findVpc(ec2(), topology.name, `${topology.name}-${role}-vpc`);
    const workload = await findVpc(ec2(), topology.name, `${topology.name}-${role}-workload-vpc`);
    expect([management?.VpcId, workload?.VpcId]).toEqual([out().vpc_id, out().workload_vpc_id]);
    const blocks = (vpc: typeof management) => (vpc?.CidrBlockAssociationSet ?? []).filter((b) => b.CidrBlockState?.State === "associated").map((b) => b.CidrBlock).sort();
    expect(blocks(management)).toEqual([layout.managementCidr]);
    expect(blocks(workload)).toEqual(topology.workloads.map((w) => w.cidr).sort());
    expect(tagMap(workload?.Tags)).toMatchObject({ "regionpair:topology": topology.name, "regionpair:region-role": role, "regionpair:vpc": "workload" });
  });

  test("GIVEN the applied stack WHEN reading subnets THEN the management VPC has its subnets and the workload VPC every workload subnet and the infrastructure subnets, per zone", async () => {
    expect(await subnetLayout(ec2(), out().vpc_id)).toEqual(inZone(layout.managementSubnets).sort());
    expect(await subnetLayout(ec2(), out().workload_vpc_id)).toEqual([...layout.workloadSubnets.flatMap((w) => inZone(w.subnets)), ...inZone(layout.infrastructureSubnets)].sort());
  });

  test("GIVEN the applied stack WHEN reading DHCP options THEN the management VPC uses the directory's domain, DCs (own first) and NTP, and a fenced set with Amazon's DNS waits for the routing stack", async () => {
    // The workload VPC's association belongs to the routing stack (it moves with the fence).
    expect(await dhcpOptionsOf(ec2(), [out().vpc_id, out().workload_vpc_id])).toEqual([out().dhcp_options_id, "default"]);
    const configOf = async (id: string) => {
      const { DhcpOptions } = await ec2().send(new DescribeDhcpOptionsCommand({ DhcpOptionsIds: [id] }));
      return Object.fromEntries((DhcpOptions?.[0].DhcpConfigurations ?? []).map((c) => [c.Key, (c.Values ?? []).map((v) => v.Value)]));
    };
    expect(await configOf(out().dhcp_options_id)).toEqual({
      "domain-name": [layout.domainName],
      "domain-name-servers": dnsServersFor(topology, role),
      "ntp-servers": ["169.254.169.123"],
    });
    expect((await configOf(out().fenced_dhcp_options_id))["domain-name-servers"]).toEqual(["AmazonProvidedDNS"]);
  });

  test("GIVEN the applied stack WHEN reading endpoints THEN each VPC has SSM, SSM messages, EC2 messages and EC2 with private DNS in its attachment subnets, and an S3 gateway", async () => {
    const subnetIdsIn = async (vpcId: string, namePart: string) => {
      const { Subnets } = await ec2().send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }));
      return (Subnets ?? []).filter((s) => tagMap(s.Tags).Name?.includes(namePart)).map((s) => s.SubnetId).sort();
    };
    for (const [vpcId, part] of [[out().vpc_id, "-management-"], [out().workload_vpc_id, "-infrastructure-"]]) {
      const { VpcEndpoints } = await ec2().send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }));
      const interfaces = (VpcEndpoints ?? []).filter((e) => e.VpcEndpointType === "Interface");
      expect(interfaces.map((e) => e.ServiceName).sort()).toEqual(["ec2", "ec2messages", "ssm", "ssmmessages"].map((s) => `com.amazonaws.${layout.region}.${s}`));
      const expectedSubnets = await subnetIdsIn(vpcId, part);
      expect(expectedSubnets).toHaveLength(2);
      for (const endpoint of interfaces) {
        expect(endpoint.State?.toLowerCase()).toBe("available");
        expect(endpoint.PrivateDnsEnabled).toBe(true);
        expect([...(endpoint.SubnetIds ?? [])].sort()).toEqual(expectedSubnets);
      }
      expect((VpcEndpoints ?? []).filter((e) => e.VpcEndpointType === "Gateway").map((e) => e.ServiceName)).toEqual([`com.amazonaws.${layout.region}.s3`]);
    }
  });

  test("GIVEN the applied stack WHEN reading the management endpoints' security group THEN it admits TCP 443 from the allowed CIDRs only, with no egress", async () => {
    const { SecurityGroupRules } = await ec2().send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [out().endpoint_security_group_id] }] }));
    expect((SecurityGroupRules ?? []).filter((r) => !r.IsEgress).map((r) => `${r.IpProtocol} ${r.FromPort}-${r.ToPort} ${r.CidrIpv4}`).sort()).toEqual(
      topology.endpoints.allowedCidrs.map((cidr) => `tcp 443-443 ${cidr}`).sort(),
    );
    expect((SecurityGroupRules ?? []).filter((r) => r.IsEgress)).toEqual([]);
  });

  test("GIVEN the applied stack WHEN reading the transit gateway THEN default association and propagation are off and DNS support is on", async () => {
    const { TransitGateways } = await ec2().send(new DescribeTransitGatewaysCommand({ TransitGatewayIds: [out().transit_gateway_id] }));
    expect(TransitGateways?.[0].State).toBe("available");
    expect(TransitGateways?.[0].Options).toMatchObject({ DefaultRouteTableAssociation: "disable", DefaultRouteTablePropagation: "disable", DnsSupport: "enable", AmazonSideAsn: layout.transitGatewayAsn });
  });

  test("GIVEN the applied stack WHEN reading associations THEN the management VPC and the VPN are clients, the workload VPC alone is on the workload table, and nothing yet on the peering table", async () => {
    const tables = out().transit_gateway_route_table_ids as Record<string, string>;
    const associated = async (table: string) => {
      const { Associations } = await ec2().send(new GetTransitGatewayRouteTableAssociationsCommand({ TransitGatewayRouteTableId: tables[table] }));
      return (Associations ?? []).map((a) => `${a.ResourceType} ${a.TransitGatewayAttachmentId} ${a.State}`).sort();
    };
    const vpn = (out().connection_attachment_ids as Record<string, string>).office;
    expect(await associated("clients")).toEqual([`vpc ${out().vpc_attachment_id} associated`, `vpn ${vpn} associated`].sort());
    expect(await associated("workload")).toEqual([`vpc ${out().workload_attachment_id} associated`]);
    expect(await associated("peering")).toEqual([]);
  });

  test("GIVEN the applied stack WHEN reading the VPC attachments THEN each is available in its VPC's attachment subnets", async () => {
    const { TransitGatewayVpcAttachments } = await ec2().send(new DescribeTransitGatewayVpcAttachmentsCommand({ TransitGatewayAttachmentIds: [out().vpc_attachment_id, out().workload_attachment_id] }));
    const byId = Object.fromEntries((TransitGatewayVpcAttachments ?? []).map((a) => [a.TransitGatewayAttachmentId, a]));
    expect(byId[out().vpc_attachment_id].State).toBe("available");
    expect([...(byId[out().vpc_attachment_id].SubnetIds ?? [])].sort()).toEqual(Object.values(out().management_subnet_ids as Record<string, string>).sort());
    expect(byId[out().workload_attachment_id].VpcId).toBe(out().workload_vpc_id);
    expect(tagMap(byId[out().workload_attachment_id].Tags).Name).toBe(`${topology.name}-${role}-tgw-workload-attachment`);
  });

  test("GIVEN the VPN connection WHEN read back THEN it is on this transit gateway with the topology's customer gateway and routing mode, and its attachment carries the lookup tags", async () => {
    const connection = layout.connections[0];
    if (connection.kind !== "vpn") throw new Error("the test topology has a VPN in each region");
    const { VpnConnections } = await ec2().send(new DescribeVpnConnectionsCommand({ Filters: tagFilters(topology.name, `${topology.name}-${role}-vpn-office`) }));
    expect(VpnConnections).toHaveLength(1);
    const vpn = VpnConnections![0];
    expect([vpn.TransitGatewayId, vpn.State, vpn.Options?.StaticRoutesOnly]).toEqual([out().transit_gateway_id, "available", connection.staticRoutesOnly]);
    const { CustomerGateways } = await ec2().send(new DescribeCustomerGatewaysCommand({ CustomerGatewayIds: [vpn.CustomerGatewayId!] }));
    expect([CustomerGateways?.[0].IpAddress, CustomerGateways?.[0].BgpAsn]).toEqual([connection.customerGatewayIp, String(connection.bgpAsn)]);
    const { TransitGatewayAttachments } = await ec2().send(new DescribeTransitGatewayAttachmentsCommand({ Filters: [{ Name: "resource-id", Values: [vpn.VpnConnectionId!] }] }));
    expect(TransitGatewayAttachments?.map((a) => [a.TransitGatewayAttachmentId, a.ResourceType, tagMap(a.Tags)["regionpair:connection"]])).toEqual([
      [(out().connection_attachment_ids as Record<string, string>).office, "vpn", "office"],
    ]);
  });

  test("GIVEN the applied stack WHEN looking for internet paths THEN neither VPC has an internet gateway, NAT gateway or default route, and every route leads to the transit gateway", async () => {
    for (const vpcId of [out().vpc_id, out().workload_vpc_id]) {
      expect((await ec2().send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: "attachment.vpc-id", Values: [vpcId] }] }))).InternetGateways).toEqual([]);
      expect((await ec2().send(new DescribeNatGatewaysCommand({ Filter: [{ Name: "vpc-id", Values: [vpcId] }] }))).NatGateways ?? []).toEqual([]);
      const { RouteTables } = await ec2().send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }));
      const routes = (RouteTables ?? []).flatMap((t) => t.Routes ?? []).filter((r) => r.GatewayId !== "local" && !r.DestinationPrefixListId);
      expect(routes.filter((r) => r.DestinationCidrBlock === "0.0.0.0/0" || r.TransitGatewayId !== out().transit_gateway_id)).toEqual([]);
      expect(routes.length).toBeGreaterThan(0);
    }
  });
});

describe("the deploy role", () => {
  test("GIVEN the e2e default WHEN the stacks were applied THEN terraform signed as the deploy role's own emulator user", () => {
    const enforced = defaultIamMode() === "enforced";
    expect(deployment.iamEnforced).toBe(enforced);
    const json = JSON.parse(readFileSync(path.join(deployment.outdir, "stacks", STACK_NAMES.network("primary"), "cdk.tf.json"), "utf8"));
    const keys = (json.provider.aws as Array<{ access_key: string }>).map((p) => p.access_key);
    expect(keys).toEqual([deployment.credentials("deploy").accessKeyId]);
    expect(keys[0] === EMULATOR_ROOT_CREDENTIALS.accessKeyId).toBe(!enforced);
  });

  test("GIVEN the deploy role's keys WHEN it asks to launch an instance (no call of the stacks) THEN it is refused while IAM is enforced", async () => {
    const asDeploy = new EC2Client({ region: topology.primary.region, endpoint: deployment.emulator.endpoint, credentials: deployment.credentials("deploy"), maxAttempts: 1 });
    try {
      const answer = await asDeploy
        .send(new RunInstancesCommand({ DryRun: true, ImageId: "ami-12345678", InstanceType: "m5.large", MinCount: 1, MaxCount: 1 }))
        .catch((error: Error) => error.name);
      expect(answer).toBe(deployment.iamEnforced ? "UnauthorizedOperation" : "DryRunOperation");
    } finally {
      asDeploy.destroy();
    }
  });
});

describe("after apply", () => {
  test("GIVEN both network stacks applied WHEN planning again THEN there are no changes (detailed exit code 0)", async () => {
    for (const stack of networkStacks) {
      const plan = await deployment.workspace.plan(stack);
      expect({ stack, changes: plan.changes, exitCode: plan.exitCode, stdout: plan.changes ? plan.stdout.slice(-3000) : "" }).toEqual({ stack, changes: false, exitCode: 0, stdout: "" });
    }
  });

  test("GIVEN new domain controller IPs WHEN applied THEN the new DHCP option set is created first and the management VPC moves to it without ever showing the default options", async () => {
    const role: RegionRole = "secondary";
    const changed = topologyWith((t) => (t.secondary.directory.dnsIps = ["10.40.0.30", "10.40.16.30"]));
    const ec2 = deployment.ec2(changed[role].region);
    const out = outputs[STACK_NAMES.network(role)];
    const vpcIds = [out.vpc_id as string];
    deployment.synth(changed);
    const samples: Array<Array<string | undefined>> = [];
    let applying = true;
    const sampler = (async () => {
      while (applying) {
        samples.push(await dhcpOptionsOf(ec2, vpcIds));
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    try {
      await deployment.apply([STACK_NAMES.network(role)]);
    } finally {
      applying = false;
      await sampler;
    }
    const after = await dhcpOptionsOf(ec2, vpcIds);
    expect(after[0]).not.toBe(out.dhcp_options_id);
    expect(samples.length).toBeGreaterThan(5);
    expect(samples.filter((sample) => sample.some((id) => id === undefined || id === "default"))).toEqual([]);
    const { DhcpOptions } = await ec2.send(new DescribeDhcpOptionsCommand({ Filters: [{ Name: "dhcp-options-id", Values: [out.dhcp_options_id] }] }));
    expect(DhcpOptions ?? []).toEqual([]);
    deployment.synth(topology);
  });
});

describe("destroy", () => {
  test("GIVEN both network stacks WHEN destroyed THEN no VPC, subnet, endpoint, DHCP option set, VPN or live transit gateway of the topology remains", async () => {
    await deployment.destroy(networkStacks);
    for (const role of REGION_ROLES) {
      const ec2 = deployment.ec2(topology[role].region);
      const filters = tagFilters(topology.name);
      expect((await ec2.send(new DescribeVpcsCommand({ Filters: filters }))).Vpcs).toEqual([]);
      expect((await ec2.send(new DescribeSubnetsCommand({ Filters: filters }))).Subnets).toEqual([]);
      expect((await ec2.send(new DescribeDhcpOptionsCommand({ Filters: filters }))).DhcpOptions).toEqual([]);
      const { VpcEndpoints } = await ec2.send(new DescribeVpcEndpointsCommand({ Filters: filters }));
      expect((VpcEndpoints ?? []).filter((e) => e.State?.toLowerCase() !== "deleted")).toEqual([]);
      const { VpnConnections } = await ec2.send(new DescribeVpnConnectionsCommand({ Filters: filters }));
      expect((VpnConnections ?? []).filter((v) => v.State !== "deleted")).toEqual([]);
      const { TransitGateways } = await ec2.send(new DescribeTransitGatewaysCommand({ Filters: filters }));
      expect((TransitGateways ?? []).filter((t) => t.State !== "deleted")).toEqual([]);
      const { TransitGatewayAttachments } = await ec2.send(new DescribeTransitGatewayAttachmentsCommand({ Filters: filters }));
      expect((TransitGatewayAttachments ?? []).filter((a) => a.State !== "deleted")).toEqual([]);
    }
  });
});
