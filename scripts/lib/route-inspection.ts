/**
 * Reads a region's transit gateway routes back from the EC2 API, to verify a failover and to let
 * tests assert where each workload CIDR really goes.
 */
import {
  DescribeTransitGatewayRouteTablesCommand,
  EC2Client,
  SearchTransitGatewayRoutesCommand,
} from "@aws-sdk/client-ec2";
import type { RegionRole, Topology } from "../../config/topology";
import { NAME_SUFFIX, Naming, TAG_TOPOLOGY } from "../../constructs/naming";
import type { TransitRouteTable } from "../../config/transit-routes";

export type RouteTargetKind = "vpc" | "peering" | "blackhole" | "other" | "missing";

export interface RouteTarget {
  readonly cidr: string;
  readonly kind: RouteTargetKind;
  readonly attachmentId?: string;
}

/** The region's transit gateway route table (by the tags the network stack set), or undefined. */
export async function findTransitGatewayRouteTableId(ec2: EC2Client, topology: Topology, role: RegionRole, table: TransitRouteTable = "clients"): Promise<string | undefined> {
  const { TransitGatewayRouteTables } = await ec2.send(
    new DescribeTransitGatewayRouteTablesCommand({
      Filters: [
        { Name: "tag:Name", Values: [new Naming(topology.name, role).name(NAME_SUFFIX.transitGatewayRouteTable(table))] },
        { Name: `tag:${TAG_TOPOLOGY}`, Values: [topology.name] },
        { Name: "state", Values: ["available"] },
      ],
    }),
  );
  return TransitGatewayRouteTables?.[0]?.TransitGatewayRouteTableId;
}

/** Where each of `cidrs` is routed in the region's transit gateway route table. */
export async function readRouteTargets(ec2: EC2Client, routeTableId: string, cidrs: readonly string[]): Promise<RouteTarget[]> {
  const { Routes } = await ec2.send(
    new SearchTransitGatewayRoutesCommand({
      TransitGatewayRouteTableId: routeTableId,
      Filters: [{ Name: "route-search.exact-match", Values: [...cidrs] }],
    }),
  );
  return cidrs.map((cidr) => {
    const route = (Routes ?? []).find((r) => r.DestinationCidrBlock === cidr);
    if (!route) return { cidr, kind: "missing" };
    if (route.State === "blackhole") return { cidr, kind: "blackhole" };
    const attachment = route.TransitGatewayAttachments?.[0];
    const kind: RouteTargetKind = attachment?.ResourceType === "vpc" ? "vpc" : attachment?.ResourceType === "peering" ? "peering" : "other";
    return { cidr, kind, attachmentId: attachment?.TransitGatewayAttachmentId };
  });
}

/** Where the workload CIDRs should go in a region's table when `activeRegion` is active. */
export function expectedWorkloadKind(regionOfTable: string, activeRegion: string): RouteTargetKind {
  return regionOfTable === activeRegion ? "vpc" : "peering";
}
