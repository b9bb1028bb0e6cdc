/**
 * Reads one region's transit gateway routing back for `assessRouting`: its regionpair transit
 * gateway, the three route tables by their `regionpair:tgw-route-table` tag, every static and
 * propagated route of each, and what each attachment is (from its type and the tags the network
 * and peering stacks set). Only that region's API is called.
 */
import {
  DescribeTransitGatewayRouteTablesCommand,
  DescribeTransitGatewaysCommand,
  EC2Client,
  SearchTransitGatewayRoutesCommand,
  Tag,
  paginateDescribeTransitGatewayAttachments,
} from "@aws-sdk/client-ec2";
import type { RegionRole, Topology } from "../../config/topology-model";
import { TRANSIT_ROUTE_TABLES, TransitRouteTable, TransitTarget } from "../../config/transit-routes";
import { NAME_SUFFIX, Naming, TAG_CONNECTION, TAG_ROUTE_TABLE, TAG_TOPOLOGY } from "../../constructs/naming";
import { withAwsErrors } from "../lib/aws-errors";
import { tagValue } from "../ami/inventory-tags";
import type { ObservedRoute, RegionRouting } from "./routing-state";

/** SearchTransitGatewayRoutes answers at most this many routes per call. */
const MAX_ROUTES = 1000;

export interface AttachmentDescription {
  readonly attachmentId: string;
  /** `vpc`, `peering`, `vpn`, `direct-connect-gateway`, ... */
  readonly resourceType?: string;
  readonly tags?: readonly Tag[];
}

/** What an attachment is in the routing design, from its type and tags; undefined if regionpair did not make it. */
export function attachmentTarget(attachment: AttachmentDescription, topology: Topology, role: RegionRole): TransitTarget | undefined {
  const naming = new Naming(topology.name, role);
  const name = tagValue(attachment.tags ? [...attachment.tags] : undefined, "Name");
  const existing = topology[role].connections.find((c) => c.kind === "attachment" && c.attachmentId === attachment.attachmentId);
  if (existing) return { kind: "connection", name: existing.name };
  switch (attachment.resourceType) {
    case "vpc":
      if (name === naming.name(NAME_SUFFIX.vpcAttachment("management"))) return { kind: "management-vpc" };
      if (name === naming.name(NAME_SUFFIX.vpcAttachment("workload"))) return { kind: "workload-vpc" };
      return undefined;
    case "peering":
      return name === new Naming(topology.name).name(NAME_SUFFIX.peeringAttachment) ? { kind: "peering" } : undefined;
    case "vpn": {
      const connection = tagValue(attachment.tags ? [...attachment.tags] : undefined, TAG_CONNECTION);
      return connection && topology[role].connections.some((c) => c.name === connection) ? { kind: "connection", name: connection } : undefined;
    }
    default:
      return undefined;
  }
}

/** The region's routing as it is now; AWS errors are thrown (the caller decides what a down region means). */
export async function readRegionRouting(ec2: EC2Client, topology: Topology, role: RegionRole, signal?: AbortSignal): Promise<RegionRouting> {
  const region = topology[role].region;
  const naming = new Naming(topology.name, role);
  const options = { abortSignal: signal };
  const { TransitGateways } = await withAwsErrors({ operation: "DescribeTransitGateways", region }, () =>
    ec2.send(
      new DescribeTransitGatewaysCommand({
        Filters: [
          { Name: "tag:Name", Values: [naming.name(NAME_SUFFIX.transitGateway)] },
          { Name: `tag:${TAG_TOPOLOGY}`, Values: [topology.name] },
          { Name: "state", Values: ["available"] },
        ],
      }),
      options,
    ),
  );
  const transitGatewayId = TransitGateways?.[0]?.TransitGatewayId;
  if (!transitGatewayId) return { status: "not-found", reason: `no available transit gateway ${naming.name(NAME_SUFFIX.transitGateway)} in ${region}` };

  const [{ TransitGatewayRouteTables }, attachments] = await Promise.all([
    withAwsErrors({ operation: "DescribeTransitGatewayRouteTables", region }, () =>
      ec2.send(
        new DescribeTransitGatewayRouteTablesCommand({
          Filters: [
            { Name: "transit-gateway-id", Values: [transitGatewayId] },
            { Name: `tag:${TAG_TOPOLOGY}`, Values: [topology.name] },
          ],
        }),
        options,
      ),
    ),
    withAwsErrors({ operation: "DescribeTransitGatewayAttachments", region }, async () => {
      const found: AttachmentDescription[] = [];
      for await (const page of paginateDescribeTransitGatewayAttachments({ client: ec2 }, { Filters: [{ Name: "transit-gateway-id", Values: [transitGatewayId] }] })) {
        for (const a of page.TransitGatewayAttachments ?? []) {
          if (a.TransitGatewayAttachmentId && a.State !== "deleted" && a.State !== "deleting") {
            found.push({ attachmentId: a.TransitGatewayAttachmentId, resourceType: a.ResourceType, tags: a.Tags });
          }
        }
      }
      return found;
    }),
  ]);

  const tables: Partial<Record<TransitRouteTable, readonly ObservedRoute[]>> = {};
  await Promise.all(
    (TransitGatewayRouteTables ?? []).map(async (table) => {
      const kind = tagValue(table.Tags, TAG_ROUTE_TABLE) as TransitRouteTable | undefined;
      if (!kind || !TRANSIT_ROUTE_TABLES.includes(kind) || !table.TransitGatewayRouteTableId) return;
      const { Routes } = await withAwsErrors({ operation: "SearchTransitGatewayRoutes", region }, () =>
        ec2.send(
          new SearchTransitGatewayRoutesCommand({
            TransitGatewayRouteTableId: table.TransitGatewayRouteTableId,
            Filters: [{ Name: "state", Values: ["active", "blackhole"] }],
            MaxResults: MAX_ROUTES,
          }),
          options,
        ),
      );
      tables[kind] = (Routes ?? [])
        .filter((r) => r.DestinationCidrBlock)
        .map((r) => ({
          cidr: r.DestinationCidrBlock!,
          state: r.State ?? "active",
          ...(r.TransitGatewayAttachments?.[0]?.TransitGatewayAttachmentId ? { attachmentId: r.TransitGatewayAttachments[0].TransitGatewayAttachmentId } : {}),
        }));
    }),
  );

  const targets: Record<string, TransitTarget> = {};
  for (const attachment of attachments) {
    const target = attachmentTarget(attachment, topology, role);
    if (target) targets[attachment.attachmentId] = target;
  }
  return { status: "read", tables, attachments: targets };
}
