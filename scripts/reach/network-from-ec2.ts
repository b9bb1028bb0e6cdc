/**
 * The EC2 API's answers about one region, turned into the tracer's model and into what
 * regionpair's tags say each resource is. Pure: read-network.ts makes the calls, this file only
 * translates, so the translation is tested on hand-written SDK answers.
 *
 * Left out, as network-model.ts says: IPv6 and prefix-list routes, CIDR blocks that are not
 * `associated`, routes in any state but `active` or `blackhole`, transit gateways and route
 * tables being deleted, and attachments that are gone (`deleted`, `failed`, `rejected`): nothing
 * routes through them, and a route that still names one is a blackhole with its id.
 */
import type * as Ec2 from "@aws-sdk/client-ec2";
import type { RegionRole, Topology } from "../../config/topology-model";
import { NAME_SUFFIX, Naming, TAG_CONNECTION, TAG_VPC_ROLE } from "../../constructs/naming";
import {
  ReadRegion,
  SubnetModel,
  TransitGatewayAttachment,
  TransitGatewayModel,
  TransitGatewayRoute,
  TransitGatewayRouteTable,
  VpcModel,
  VpcRoute,
  VpcRouteTable,
  VpcRouteTarget,
} from "./network-model";

/** Every answer the reader collects in one region; each list is all pages of its call. */
export interface RegionAnswers {
  /** DescribeVpcs, by the topology tag. */
  readonly vpcs: readonly Ec2.Vpc[];
  /** DescribeSubnets of those VPCs. */
  readonly subnets: readonly Ec2.Subnet[];
  /** DescribeRouteTables of those VPCs (the main tables carry no tags, so by VPC id). */
  readonly routeTables: readonly Ec2.RouteTable[];
  /** DescribeTransitGateways, by the topology tag. */
  readonly transitGateways: readonly Ec2.TransitGateway[];
  /** DescribeTransitGatewayAttachments of those transit gateways (every type, tagged or not). */
  readonly attachments: readonly Ec2.TransitGatewayAttachment[];
  /** DescribeTransitGatewayVpcAttachments: the subnets of each VPC attachment. */
  readonly vpcAttachments: readonly Ec2.TransitGatewayVpcAttachment[];
  /** DescribeTransitGatewayPeeringAttachments: the other side of each peering. */
  readonly peeringAttachments: readonly Ec2.TransitGatewayPeeringAttachment[];
  /** DescribeTransitGatewayRouteTables of those transit gateways. */
  readonly transitGatewayRouteTables: readonly Ec2.TransitGatewayRouteTable[];
  /** SearchTransitGatewayRoutes (state active or blackhole), by route table id. */
  readonly transitGatewayRoutes: Readonly<Record<string, readonly Ec2.TransitGatewayRoute[]>>;
  /** DescribeVpnConnections of the VPN attachments: tunnel telemetry. */
  readonly vpnConnections: readonly Ec2.VpnConnection[];
}

/** Attachment states that are over: the attachment carries nothing and never will again. */
const GONE_ATTACHMENT_STATES: ReadonlySet<string> = new Set(["deleted", "failed", "rejected"]);
const GONE_STATES: ReadonlySet<string> = new Set(["deleting", "deleted"]);

export function regionFromAnswers(region: string, answers: RegionAnswers): ReadRegion {
  const vpcs = answers.vpcs.flatMap(vpcModel);
  const vpcIds = new Set(vpcs.map((vpc) => vpc.vpcId));
  return {
    region,
    status: "read",
    vpcs,
    subnets: answers.subnets.flatMap((subnet) => (subnet.VpcId && vpcIds.has(subnet.VpcId) ? subnetModel(subnet) : [])),
    routeTables: answers.routeTables.flatMap((table) => (table.VpcId && vpcIds.has(table.VpcId) ? routeTableModel(table) : [])),
    transitGateways: answers.transitGateways
      .filter((tgw) => tgw.TransitGatewayId && !GONE_STATES.has(tgw.State ?? ""))
      .map((tgw) => transitGatewayModel(tgw.TransitGatewayId!, answers)),
  };
}

function vpcModel(vpc: Ec2.Vpc): VpcModel[] {
  if (!vpc.VpcId) return [];
  const associated = (vpc.CidrBlockAssociationSet ?? []).filter((block) => block.CidrBlockState?.State === "associated" && block.CidrBlock);
  // An answer without the association set still names the primary block.
  const cidrBlocks = associated.length > 0 ? associated.map((block) => block.CidrBlock!) : vpc.CidrBlock ? [vpc.CidrBlock] : [];
  return [{ vpcId: vpc.VpcId, cidrBlocks }];
}

function subnetModel(subnet: Ec2.Subnet): SubnetModel[] {
  if (!subnet.SubnetId || !subnet.CidrBlock || !subnet.VpcId) return [];
  return [{ subnetId: subnet.SubnetId, vpcId: subnet.VpcId, cidrBlock: subnet.CidrBlock, availabilityZone: subnet.AvailabilityZone ?? "" }];
}

function routeTableModel(table: Ec2.RouteTable): VpcRouteTable[] {
  if (!table.RouteTableId || !table.VpcId) return [];
  // A disassociating or failed association no longer decides for its subnet.
  const live = (table.Associations ?? []).filter((a) => !a.AssociationState?.State || a.AssociationState.State === "associated");
  return [
    {
      routeTableId: table.RouteTableId,
      vpcId: table.VpcId,
      main: live.some((a) => a.Main === true),
      subnetIds: live.flatMap((a) => (a.SubnetId ? [a.SubnetId] : [])),
      routes: (table.Routes ?? []).flatMap(vpcRoute),
    },
  ];
}

function vpcRoute(route: Ec2.Route): VpcRoute[] {
  if (!route.DestinationCidrBlock || (route.State !== "active" && route.State !== "blackhole")) return [];
  return [{ destinationCidr: route.DestinationCidrBlock, target: vpcRouteTarget(route), state: route.State }];
}

function vpcRouteTarget(route: Ec2.Route): VpcRouteTarget {
  if (route.GatewayId === "local") return { kind: "local" };
  if (route.TransitGatewayId) return { kind: "transit-gateway", transitGatewayId: route.TransitGatewayId };
  const id =
    route.GatewayId ??
    route.NatGatewayId ??
    route.VpcPeeringConnectionId ??
    route.NetworkInterfaceId ??
    route.InstanceId ??
    route.LocalGatewayId ??
    route.CarrierGatewayId ??
    route.EgressOnlyInternetGatewayId ??
    route.CoreNetworkArn ??
    "unknown target";
  return { kind: "other", id };
}

function transitGatewayModel(transitGatewayId: string, answers: RegionAnswers): TransitGatewayModel {
  const attachments = answers.attachments
    .filter((a) => a.TransitGatewayId === transitGatewayId && a.TransitGatewayAttachmentId && !GONE_ATTACHMENT_STATES.has(a.State ?? ""))
    .flatMap((a) => attachmentModel(a, transitGatewayId, answers));
  const routeTables = answers.transitGatewayRouteTables
    .filter((table) => table.TransitGatewayId === transitGatewayId && table.TransitGatewayRouteTableId && !GONE_STATES.has(table.State ?? ""))
    .map((table): TransitGatewayRouteTable => {
      const routeTableId = table.TransitGatewayRouteTableId!;
      return { routeTableId, routes: (answers.transitGatewayRoutes[routeTableId] ?? []).flatMap(transitGatewayRoute) };
    });
  return { transitGatewayId, attachments, routeTables };
}

function attachmentModel(attachment: Ec2.TransitGatewayAttachment, transitGatewayId: string, answers: RegionAnswers): TransitGatewayAttachment[] {
  const attachmentId = attachment.TransitGatewayAttachmentId!;
  // EC2 always says; an answer that does not is not something to route through.
  if (!attachment.State) return [];
  const association = attachment.Association;
  const common = {
    attachmentId,
    resourceId: attachment.ResourceId ?? "",
    state: attachment.State,
    ...(association?.State === "associated" && association.TransitGatewayRouteTableId ? { associatedRouteTableId: association.TransitGatewayRouteTableId } : {}),
  } as const;
  const type = attachment.ResourceType;
  switch (type) {
    case "vpc": {
      const details = answers.vpcAttachments.find((a) => a.TransitGatewayAttachmentId === attachmentId);
      return [{ ...common, type, subnetIds: details?.SubnetIds ?? [] }];
    }
    case "peering":
    case "tgw-peering": {
      const details = answers.peeringAttachments.find((a) => a.TransitGatewayAttachmentId === attachmentId);
      // The side that is not this transit gateway is the peer, whichever of the two requested it.
      const sides = [details?.RequesterTgwInfo, details?.AccepterTgwInfo];
      const peer = sides.find((side) => side?.TransitGatewayId && side.TransitGatewayId !== transitGatewayId);
      return [{ ...common, type: "peering", peerRegion: peer?.Region ?? "", peerTransitGatewayId: peer?.TransitGatewayId ?? common.resourceId }];
    }
    case "vpn": {
      const vpn = answers.vpnConnections.find((connection) => connection.VpnConnectionId === attachment.ResourceId);
      const statuses = (vpn?.VgwTelemetry ?? []).flatMap((tunnel) => (tunnel.Status ? [tunnel.Status] : []));
      return [{ ...common, type, ...(statuses.length > 0 ? { tunnelStatuses: statuses } : {}) }];
    }
    case undefined:
      return [];
    default:
      return [{ ...common, type }];
  }
}

function transitGatewayRoute(route: Ec2.TransitGatewayRoute): TransitGatewayRoute[] {
  if (!route.DestinationCidrBlock || (route.State !== "active" && route.State !== "blackhole")) return [];
  if (route.Type !== "static" && route.Type !== "propagated") return [];
  const attachmentId = route.TransitGatewayAttachments?.[0]?.TransitGatewayAttachmentId;
  return [{ destinationCidr: route.DestinationCidrBlock, type: route.Type, state: route.State, ...(attachmentId ? { attachmentId } : {}) }];
}

/** What regionpair's tags say the resources of one region are. */
export interface RegionLabels {
  readonly region: string;
  readonly role: RegionRole;
  /** The VPC tagged `regionpair:vpc=management`. */
  readonly managementVpcId?: string;
  readonly workloadVpcId?: string;
  readonly transitGatewayId?: string;
  /**
   * The attachment of each site-to-site VPN connection of this region, by connection name: the
   * attachment AWS created for it, tagged by the network stack with its Name and
   * `regionpair:connection`. Connections given by attachment id in the topology are not here.
   */
  readonly vpnAttachments: Readonly<Record<string, string>>;
}

export function labelsFromAnswers(topology: Topology, role: RegionRole, answers: RegionAnswers): RegionLabels {
  const layout = topology[role];
  const naming = new Naming(topology.name, role);
  const vpcTagged = (value: string) => answers.vpcs.find((vpc) => tagValue(vpc.Tags, TAG_VPC_ROLE) === value)?.VpcId;
  const transitGatewayName = naming.name(NAME_SUFFIX.transitGateway);
  const liveTransitGateways = answers.transitGateways.filter((tgw) => !GONE_STATES.has(tgw.State ?? ""));
  const transitGateway = liveTransitGateways.find((tgw) => tagValue(tgw.Tags, "Name") === transitGatewayName) ?? liveTransitGateways[0];
  const liveAttachments = answers.attachments.filter((a) => !GONE_ATTACHMENT_STATES.has(a.State ?? ""));
  const vpnAttachments: Record<string, string> = {};
  for (const connection of layout.connections) {
    if (connection.kind !== "vpn") continue;
    const name = naming.name(NAME_SUFFIX.vpnAttachment(connection.name));
    const found = liveAttachments.find((a) => tagValue(a.Tags, "Name") === name && tagValue(a.Tags, TAG_CONNECTION) === connection.name);
    if (found?.TransitGatewayAttachmentId) vpnAttachments[connection.name] = found.TransitGatewayAttachmentId;
  }
  const managementVpcId = vpcTagged("management");
  const workloadVpcId = vpcTagged("workload");
  return {
    region: layout.region,
    role,
    ...(managementVpcId ? { managementVpcId } : {}),
    ...(workloadVpcId ? { workloadVpcId } : {}),
    ...(transitGateway?.TransitGatewayId ? { transitGatewayId: transitGateway.TransitGatewayId } : {}),
    vpnAttachments,
  };
}

function tagValue(tags: readonly Ec2.Tag[] | undefined, key: string): string | undefined {
  return tags?.find((tag) => tag.Key === key)?.Value;
}
