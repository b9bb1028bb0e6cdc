/**
 * Hand-written EC2 answers for a deployed pair, shaped as EC2 (and the patched emulator, checked
 * against a local deployment) answers each Describe and Search call: the VPCs, subnets and route
 * tables of both VPCs, the transit gateway with its management, workload, VPN and peering
 * attachments and its three route tables, and the routes the routing stacks leave in them for
 * one active region (from the routing design, config/transit-routes.ts). Ids are readable:
 * `tgw-attach-work-primary`, `tgw-rtb-clients-secondary`.
 */
import type * as Ec2 from "@aws-sdk/client-ec2";
import { RegionRole, Topology, otherRole } from "../../../../config/topology-model";
import { TransitTarget, transitRoutes, vpcRoutesToTransitGateway } from "../../../../config/transit-routes";
import { NAME_SUFFIX, Naming, TAG_CONNECTION, TAG_REGION_ROLE, TAG_ROUTE_TABLE, TAG_TOPOLOGY, TAG_VPC_ROLE } from "../../../../constructs/naming";
import { RegionAnswers } from "../../../../scripts/reach/network-from-ec2";

export const PEERING_ID = "tgw-attach-peering";

export const ids = {
  managementVpc: (role: RegionRole) => `vpc-mgmt-${role}`,
  workloadVpc: (role: RegionRole) => `vpc-work-${role}`,
  managementSubnet: (role: RegionRole, zone: number) => `subnet-mgmt-${role}-${zone}`,
  workloadSubnet: (role: RegionRole, workload: string, zone: number) => `subnet-${workload}-${role}-${zone}`,
  infrastructureSubnet: (role: RegionRole, zone: number) => `subnet-infra-${role}-${zone}`,
  transitGateway: (role: RegionRole) => `tgw-${role}`,
  managementAttachment: (role: RegionRole) => `tgw-attach-mgmt-${role}`,
  workloadAttachment: (role: RegionRole) => `tgw-attach-work-${role}`,
  vpnAttachment: (role: RegionRole, connection: string) => `tgw-attach-vpn-${connection}-${role}`,
  vpnConnection: (role: RegionRole, connection: string) => `vpn-${connection}-${role}`,
  transitGatewayRouteTable: (role: RegionRole, table: string) => `tgw-rtb-${table}-${role}`,
};

const tags = (entries: Record<string, string>): Ec2.Tag[] => Object.entries(entries).map(([Key, Value]) => ({ Key, Value }));
const associatedBlock = (cidr: string) => ({ AssociationId: `vpc-cidr-assoc-${cidr}`, CidrBlock: cidr, CidrBlockState: { State: "associated" as const } });
const localRoute = (cidr: string): Ec2.Route => ({ DestinationCidrBlock: cidr, GatewayId: "local", Origin: "CreateRouteTable", State: "active" });

/** Every answer of both regions, with `activeRole` routed as the active one. */
export function deployedPairAnswers(topology: Topology, activeRole: RegionRole = "primary"): Record<RegionRole, RegionAnswers> {
  return { primary: regionAnswers(topology, "primary", activeRole), secondary: regionAnswers(topology, "secondary", activeRole) };
}

function regionAnswers(topology: Topology, role: RegionRole, activeRole: RegionRole): RegionAnswers {
  const layout = topology[role];
  const naming = new Naming(topology.name, role);
  const common = { [TAG_TOPOLOGY]: topology.name, [TAG_REGION_ROLE]: role };
  const zones = layout.availabilityZones.map((zone, index) => ({ zone, index }));
  const tgw = ids.transitGateway(role);
  const vpcRoutes = vpcRoutesToTransitGateway(topology, role);
  const toTgw = (cidr: string): Ec2.Route => ({ DestinationCidrBlock: cidr, TransitGatewayId: tgw, Origin: "CreateRoute", State: "active" });

  const vpcs: Ec2.Vpc[] = [
    {
      VpcId: ids.managementVpc(role),
      CidrBlock: layout.managementCidr,
      CidrBlockAssociationSet: [associatedBlock(layout.managementCidr)],
      State: "available",
      Tags: tags({ ...common, Name: naming.name(NAME_SUFFIX.vpc("management")), [TAG_VPC_ROLE]: "management" }),
    },
    {
      VpcId: ids.workloadVpc(role),
      CidrBlock: topology.workloads[0].cidr,
      CidrBlockAssociationSet: topology.workloads.map((w) => associatedBlock(w.cidr)),
      State: "available",
      Tags: tags({ ...common, Name: naming.name(NAME_SUFFIX.vpc("workload")), [TAG_VPC_ROLE]: "workload" }),
    },
  ];

  const subnet = (SubnetId: string, VpcId: string, CidrBlock: string, AvailabilityZone: string): Ec2.Subnet => ({ SubnetId, VpcId, CidrBlock, AvailabilityZone, State: "available" });
  const subnets: Ec2.Subnet[] = [
    ...layout.managementSubnets.map((s, z) => subnet(ids.managementSubnet(role, z), ids.managementVpc(role), s.cidr, s.availabilityZone)),
    ...layout.workloadSubnets.flatMap((w) => w.subnets.map((s, z) => subnet(ids.workloadSubnet(role, w.workload, z), ids.workloadVpc(role), s.cidr, s.availabilityZone))),
    ...layout.infrastructureSubnets.map((s, z) => subnet(ids.infrastructureSubnet(role, z), ids.workloadVpc(role), s.cidr, s.availabilityZone)),
  ];

  const mainTable = (vpcId: string, blocks: readonly string[]): Ec2.RouteTable => ({
    RouteTableId: `rtb-main-${vpcId}`,
    VpcId: vpcId,
    Associations: [{ Main: true, RouteTableAssociationId: `rtbassoc-main-${vpcId}`, RouteTableId: `rtb-main-${vpcId}`, AssociationState: { State: "associated" } }],
    Routes: blocks.map(localRoute),
    Tags: [],
  });
  const zoneTable = (id: string, vpcId: string, subnetIds: readonly string[], routes: readonly Ec2.Route[]): Ec2.RouteTable => ({
    RouteTableId: id,
    VpcId: vpcId,
    Associations: subnetIds.map((SubnetId) => ({ Main: false, SubnetId, RouteTableId: id, RouteTableAssociationId: `rtbassoc-${SubnetId}`, AssociationState: { State: "associated" } })),
    Routes: [...routes],
    Tags: tags({ ...common, Name: id }),
  });
  const workloadBlocks = topology.workloads.map((w) => w.cidr);
  const routeTables: Ec2.RouteTable[] = [
    mainTable(ids.managementVpc(role), [layout.managementCidr]),
    mainTable(ids.workloadVpc(role), workloadBlocks),
    ...zones.map(({ zone, index }) =>
      zoneTable(naming.name(NAME_SUFFIX.routeTable("management", zone)), ids.managementVpc(role), [ids.managementSubnet(role, index)], [localRoute(layout.managementCidr), ...vpcRoutes.management.map(toTgw)]),
    ),
    ...zones.map(({ zone, index }) =>
      zoneTable(
        naming.name(NAME_SUFFIX.routeTable("workload", zone)),
        ids.workloadVpc(role),
        [...topology.workloads.map((w) => ids.workloadSubnet(role, w.name, index)), ids.infrastructureSubnet(role, index)],
        [...workloadBlocks.map(localRoute), ...vpcRoutes.workload.map(toTgw)],
      ),
    ),
  ];

  const attachment = (id: string, type: Ec2.TransitGatewayAttachmentResourceType, resourceId: string, table: string, extraTags: Record<string, string>): Ec2.TransitGatewayAttachment => ({
    TransitGatewayAttachmentId: id,
    TransitGatewayId: tgw,
    ResourceType: type,
    ResourceId: resourceId,
    State: "available",
    Association: { TransitGatewayRouteTableId: ids.transitGatewayRouteTable(role, table), State: "associated" },
    Tags: tags(extraTags),
  });
  const vpnConnections = layout.connections.filter((c) => c.kind === "vpn");
  const peer = otherRole(role);
  const attachments: Ec2.TransitGatewayAttachment[] = [
    attachment(ids.managementAttachment(role), "vpc", ids.managementVpc(role), "clients", { ...common, Name: naming.name(NAME_SUFFIX.vpcAttachment("management")) }),
    attachment(ids.workloadAttachment(role), "vpc", ids.workloadVpc(role), "workload", { ...common, Name: naming.name(NAME_SUFFIX.vpcAttachment("workload")) }),
    ...vpnConnections.map((c) =>
      attachment(ids.vpnAttachment(role, c.name), "vpn", ids.vpnConnection(role, c.name), "clients", { ...common, Name: naming.name(NAME_SUFFIX.vpnAttachment(c.name)), [TAG_CONNECTION]: c.name }),
    ),
    attachment(PEERING_ID, "peering", ids.transitGateway(peer), "peering", { [TAG_TOPOLOGY]: topology.name, Name: new Naming(topology.name).name(NAME_SUFFIX.peeringAttachment) }),
  ];

  const attachmentOf = (target: TransitTarget): string | undefined => {
    switch (target.kind) {
      case "management-vpc":
        return ids.managementAttachment(role);
      case "workload-vpc":
        return ids.workloadAttachment(role);
      case "peering":
        return PEERING_ID;
      case "connection":
        return ids.vpnAttachment(role, target.name);
      case "blackhole":
        return undefined;
    }
  };
  const resourceOf = (id: string) => attachments.find((a) => a.TransitGatewayAttachmentId === id)!;
  const transitGatewayRoutes: Record<string, Ec2.TransitGatewayRoute[]> = {};
  for (const route of transitRoutes(topology, role)) {
    const target = attachmentOf(role === activeRole ? route.whileActive : route.whilePassive);
    const tableId = ids.transitGatewayRouteTable(role, route.table);
    (transitGatewayRoutes[tableId] ??= []).push(
      target
        ? {
            DestinationCidrBlock: route.cidr,
            TransitGatewayAttachments: [{ TransitGatewayAttachmentId: target, ResourceId: resourceOf(target).ResourceId, ResourceType: resourceOf(target).ResourceType }],
            Type: "static",
            State: "active",
          }
        : { DestinationCidrBlock: route.cidr, Type: "static", State: "blackhole" },
    );
  }
  const tables = ["clients", "peering", "workload"];

  return {
    vpcs,
    subnets,
    routeTables,
    transitGateways: [{ TransitGatewayId: tgw, State: "available", Tags: tags({ ...common, Name: naming.name(NAME_SUFFIX.transitGateway) }) }],
    attachments,
    vpcAttachments: [
      { TransitGatewayAttachmentId: ids.managementAttachment(role), TransitGatewayId: tgw, VpcId: ids.managementVpc(role), State: "available", SubnetIds: zones.map(({ index }) => ids.managementSubnet(role, index)) },
      { TransitGatewayAttachmentId: ids.workloadAttachment(role), TransitGatewayId: tgw, VpcId: ids.workloadVpc(role), State: "available", SubnetIds: zones.map(({ index }) => ids.infrastructureSubnet(role, index)) },
    ],
    peeringAttachments: [
      {
        TransitGatewayAttachmentId: PEERING_ID,
        RequesterTgwInfo: { TransitGatewayId: ids.transitGateway("primary"), Region: topology.primary.region, OwnerId: "123456789012" },
        AccepterTgwInfo: { TransitGatewayId: ids.transitGateway("secondary"), Region: topology.secondary.region, OwnerId: "123456789012" },
        State: "available",
        Status: { Code: "active", Message: "Active" },
      },
    ],
    transitGatewayRouteTables: tables.map((table) => ({
      TransitGatewayRouteTableId: ids.transitGatewayRouteTable(role, table),
      TransitGatewayId: tgw,
      State: "available",
      DefaultAssociationRouteTable: false,
      DefaultPropagationRouteTable: false,
      Tags: tags({ ...common, [TAG_ROUTE_TABLE]: table, Name: naming.name(NAME_SUFFIX.transitGatewayRouteTable(table)) }),
    })),
    transitGatewayRoutes: Object.fromEntries(tables.map((table) => [ids.transitGatewayRouteTable(role, table), transitGatewayRoutes[ids.transitGatewayRouteTable(role, table)] ?? []])),
    vpnConnections: vpnConnections.map((c) => ({
      VpnConnectionId: ids.vpnConnection(role, c.name),
      TransitGatewayId: tgw,
      CustomerGatewayId: `cgw-${c.name}-${role}`,
      Type: "ipsec.1",
      State: "available",
      VgwTelemetry: [
        { OutsideIpAddress: "52.0.0.1", Status: "UP", AcceptedRouteCount: 1 },
        { OutsideIpAddress: "52.0.0.2", Status: "UP", AcceptedRouteCount: 1 },
      ],
    })),
  };
}
