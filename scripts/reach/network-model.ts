/**
 * The network `regionpair reach` traces packets over: per region, what the EC2 API says about the
 * VPCs, subnets, route tables and transit gateways, reduced to what IPv4 routing needs. Plain
 * readonly data, so the tracer is pure and tests build networks by hand.
 *
 * Each type names the call and the response fields it is filled from. Leave out what does not
 * route: IPv6 and prefix-list routes, CIDR blocks that are not `associated`, TGW routes in state
 * pending, deleting or deleted.
 */
import type { TelemetryStatus, TransitGatewayAttachmentResourceType, TransitGatewayAttachmentState } from "@aws-sdk/client-ec2";

/** Every region of the pair, including those whose API did not answer. */
export interface NetworkModel {
  readonly regions: readonly RegionNetwork[];
}

export type RegionNetwork = ReadRegion | UnreadRegion;

/** A region whose network was read. */
export interface ReadRegion {
  readonly region: string;
  readonly status: "read";
  readonly vpcs: readonly VpcModel[];
  readonly subnets: readonly SubnetModel[];
  readonly routeTables: readonly VpcRouteTable[];
  readonly transitGateways: readonly TransitGatewayModel[];
}

/**
 * A region that could not be read. It stays in the model so that a trace which needs it ends as
 * `unknown` instead of pretending the region has no routes.
 */
export interface UnreadRegion {
  readonly region: string;
  readonly status: "unreachable";
  /** What went wrong, for people: the AWS error name, or a timeout. */
  readonly reason: string;
}

/** DescribeVpcs → `Vpcs[]`. */
export interface VpcModel {
  readonly vpcId: string;
  /** `CidrBlockAssociationSet[].CidrBlock` whose state is `associated`: the primary and secondary blocks. */
  readonly cidrBlocks: readonly string[];
}

/** DescribeSubnets → `Subnets[]`. */
export interface SubnetModel {
  readonly subnetId: string;
  readonly vpcId: string;
  readonly cidrBlock: string;
  readonly availabilityZone: string;
}

/** DescribeRouteTables → `RouteTables[]`. */
export interface VpcRouteTable {
  readonly routeTableId: string;
  readonly vpcId: string;
  /** An `Associations[]` entry has `Main: true`: subnets without an explicit association use it. */
  readonly main: boolean;
  /** `Associations[].SubnetId`: the subnets explicitly associated with this table. */
  readonly subnetIds: readonly string[];
  readonly routes: readonly VpcRoute[];
}

/** `Routes[]` of a route table (IPv4 `DestinationCidrBlock` routes only). */
export interface VpcRoute {
  readonly destinationCidr: string;
  readonly target: VpcRouteTarget;
  /** `State`: a route whose target is gone is `blackhole`. */
  readonly state: "active" | "blackhole";
}

/**
 * Where a VPC route sends traffic. `local` is `GatewayId: "local"`, a transit gateway is
 * `TransitGatewayId`; anything else (internet or NAT gateway, peering connection, endpoint,
 * network interface) leaves the modelled network and is kept by id only.
 */
export type VpcRouteTarget =
  | { readonly kind: "local" }
  | { readonly kind: "transit-gateway"; readonly transitGatewayId: string }
  | { readonly kind: "other"; readonly id: string };

/** DescribeTransitGateways → one transit gateway with its attachments and route tables. */
export interface TransitGatewayModel {
  readonly transitGatewayId: string;
  readonly attachments: readonly TransitGatewayAttachment[];
  readonly routeTables: readonly TransitGatewayRouteTable[];
}

/** DescribeTransitGatewayAttachments → `TransitGatewayAttachments[]`, with details by type. */
export type TransitGatewayAttachment = VpcAttachment | PeeringAttachment | VpnAttachment | OtherAttachment;

interface AttachmentCommon {
  /** `TransitGatewayAttachmentId`; a peering attachment has the same id in both regions. */
  readonly attachmentId: string;
  /** `ResourceId`: the VPC, the peer transit gateway, the VPN connection, the Direct Connect gateway… */
  readonly resourceId: string;
  /** `State`: only an `available` attachment carries traffic. */
  readonly state: TransitGatewayAttachmentState;
  /**
   * `Association.TransitGatewayRouteTableId` when `Association.State` is `associated`: the table
   * that routes every packet entering the transit gateway through this attachment.
   * @default none: the transit gateway has nowhere to send what enters here
   */
  readonly associatedRouteTableId?: string;
}

export interface VpcAttachment extends AttachmentCommon {
  readonly type: "vpc";
  /**
   * DescribeTransitGatewayVpcAttachments → `SubnetIds`: one subnet per Availability Zone where the
   * transit gateway has a network interface.
   */
  readonly subnetIds: readonly string[];
}

export interface PeeringAttachment extends AttachmentCommon {
  readonly type: "peering";
  /** DescribeTransitGatewayPeeringAttachments → the other side's `Region` (requester or accepter info). */
  readonly peerRegion: string;
  /** …and its `TransitGatewayId`. */
  readonly peerTransitGatewayId: string;
}

export interface VpnAttachment extends AttachmentCommon {
  readonly type: "vpn";
  /**
   * DescribeVpnConnections → `VgwTelemetry[].Status` of the VPN connection `resourceId`.
   * @default unknown: the tunnels are taken to be up
   */
  readonly tunnelStatuses?: readonly TelemetryStatus[];
}

/**
 * Direct Connect gateway, Connect and any other attachment: what leaves through it goes to the
 * network behind it, outside the model.
 */
export interface OtherAttachment extends AttachmentCommon {
  readonly type: Exclude<TransitGatewayAttachmentResourceType, "vpc" | "peering" | "vpn">;
}

/** DescribeTransitGatewayRouteTables + SearchTransitGatewayRoutes (every route of the table). */
export interface TransitGatewayRouteTable {
  readonly routeTableId: string;
  readonly routes: readonly TransitGatewayRoute[];
}

/** SearchTransitGatewayRoutes → `Routes[]`. */
export interface TransitGatewayRoute {
  readonly destinationCidr: string;
  readonly type: "static" | "propagated";
  readonly state: "active" | "blackhole";
  /**
   * `TransitGatewayAttachments[0].TransitGatewayAttachmentId`. A static blackhole route created
   * on purpose (`Blackhole: true`) has none: regionpair's fence.
   * @default none
   */
  readonly attachmentId?: string;
}
