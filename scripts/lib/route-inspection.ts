/**
 * A region's transit gateway as the EC2 API shows it, found by the tags the network and peering
 * stacks set: the three route tables, the attachments the routes point at, and where each route
 * of the design points now. The failover command, `status` and the tests read routes through
 * this module, so they all see the same thing.
 */
import {
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayRouteTablesCommand,
  EC2Client,
  SearchTransitGatewayRoutesCommand,
  TransitGatewayAttachment,
} from "@aws-sdk/client-ec2";
import type { RegionRole, Topology } from "../../config/topology";
import { TRANSIT_ROUTE_TABLES, TransitRouteTable, TransitTarget } from "../../config/transit-routes";
import { NAME_SUFFIX, Naming, TAG_REGION_ROLE, TAG_ROUTE_TABLE, TAG_TOPOLOGY } from "../../constructs/naming";
import { LIVE_ATTACHMENT_STATES } from "../../constructs/lookup-filters";
import { withOperation } from "./aws-errors";

/** The attachment ids routes can point at in one region; undefined where none was found. */
export interface TransitAttachments {
  readonly managementVpc?: string;
  readonly workloadVpc?: string;
  readonly peering?: string;
  /** By connection name. */
  readonly connections: Readonly<Record<string, string | undefined>>;
}

/** One region's transit gateway route tables and attachments, by what they are for. */
export interface RegionTransit {
  readonly routeTableIds: Readonly<Partial<Record<TransitRouteTable, string>>>;
  readonly attachments: TransitAttachments;
}

/** Where a route points now, as the API says. */
export type RouteState =
  | { readonly kind: "missing" }
  | { readonly kind: "blackhole" }
  /** `active` false: the attachment is gone or down and AWS drops the traffic (route state `blackhole`). */
  | { readonly kind: "attachment"; readonly attachmentId: string; readonly active: boolean; readonly resourceType?: string };

export interface ReadRoute {
  readonly cidr: string;
  readonly state: RouteState;
}

/**
 * The route tables by their `regionpair:tgw-route-table` tag and the attachments by their Name
 * tags, in one region, with two calls. Nothing is read from the other region.
 */
export async function findRegionTransit(ec2: EC2Client, topology: Topology, role: RegionRole, signal?: AbortSignal): Promise<RegionTransit> {
  const naming = new Naming(topology.name, role);
  const pair = new Naming(topology.name);
  const { TransitGatewayRouteTables } = await withOperation("DescribeTransitGatewayRouteTables", ec2.send(
    new DescribeTransitGatewayRouteTablesCommand({
      Filters: [
        { Name: `tag:${TAG_TOPOLOGY}`, Values: [topology.name] },
        { Name: `tag:${TAG_REGION_ROLE}`, Values: [role] },
        { Name: `tag:${TAG_ROUTE_TABLE}`, Values: [...TRANSIT_ROUTE_TABLES] },
        { Name: "state", Values: ["available"] },
      ],
    }),
    { abortSignal: signal },
  ));
  const routeTableIds: Partial<Record<TransitRouteTable, string>> = {};
  for (const table of TransitGatewayRouteTables ?? []) {
    const kind = table.Tags?.find((t) => t.Key === TAG_ROUTE_TABLE)?.Value as TransitRouteTable | undefined;
    if (kind && TRANSIT_ROUTE_TABLES.includes(kind) && table.TransitGatewayRouteTableId) routeTableIds[kind] ??= table.TransitGatewayRouteTableId;
  }

  const vpnConnections = topology[role].connections.filter((c) => c.kind === "vpn");
  const names = {
    managementVpc: naming.name(NAME_SUFFIX.vpcAttachment("management")),
    workloadVpc: naming.name(NAME_SUFFIX.vpcAttachment("workload")),
    peering: pair.name(NAME_SUFFIX.peeringAttachment),
  };
  const vpnNames = Object.fromEntries(vpnConnections.map((c) => [c.name, naming.name(NAME_SUFFIX.vpnAttachment(c.name))]));
  const attachments: TransitGatewayAttachment[] = [];
  let nextToken: string | undefined;
  do {
    const page = await withOperation("DescribeTransitGatewayAttachments", ec2.send(
      new DescribeTransitGatewayAttachmentsCommand({
        Filters: [
          { Name: `tag:${TAG_TOPOLOGY}`, Values: [topology.name] },
          { Name: "tag:Name", Values: [...Object.values(names), ...Object.values(vpnNames)] },
          { Name: LIVE_ATTACHMENT_STATES.name, Values: LIVE_ATTACHMENT_STATES.values },
        ],
        NextToken: nextToken,
      }),
      { abortSignal: signal },
    ));
    attachments.push(...(page.TransitGatewayAttachments ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  const byName = (name: string) => attachments.find((a) => a.Tags?.some((t) => t.Key === "Name" && t.Value === name))?.TransitGatewayAttachmentId;

  const connections: Record<string, string | undefined> = {};
  for (const connection of topology[role].connections) {
    connections[connection.name] = connection.kind === "attachment" ? connection.attachmentId : byName(vpnNames[connection.name]);
  }
  return {
    routeTableIds,
    attachments: {
      managementVpc: byName(names.managementVpc),
      workloadVpc: topology.workloads.length ? byName(names.workloadVpc) : undefined,
      peering: byName(names.peering),
      connections,
    },
  };
}

/** One of the region's transit gateway route tables by its Name tag, or undefined. */
export async function findTransitGatewayRouteTableId(ec2: EC2Client, topology: Topology, role: RegionRole, table: TransitRouteTable = "clients"): Promise<string | undefined> {
  const { TransitGatewayRouteTables } = await withOperation(
    "DescribeTransitGatewayRouteTables",
    ec2.send(
      new DescribeTransitGatewayRouteTablesCommand({
        Filters: [
          { Name: "tag:Name", Values: [new Naming(topology.name, role).name(NAME_SUFFIX.transitGatewayRouteTable(table))] },
          { Name: `tag:${TAG_TOPOLOGY}`, Values: [topology.name] },
          { Name: "state", Values: ["available"] },
        ],
      }),
    ),
  );
  return TransitGatewayRouteTables?.[0]?.TransitGatewayRouteTableId;
}

/**
 * The attachment a design target means in this region, `blackhole`, or undefined when the
 * attachment it needs was not found.
 */
export function resolveTarget(target: TransitTarget, attachments: TransitAttachments): { readonly attachmentId: string } | "blackhole" | undefined {
  const id = (value: string | undefined) => (value ? { attachmentId: value } : undefined);
  switch (target.kind) {
    case "management-vpc":
      return id(attachments.managementVpc);
    case "workload-vpc":
      return id(attachments.workloadVpc);
    case "peering":
      return id(attachments.peering);
    case "connection":
      return id(attachments.connections[target.name]);
    case "blackhole":
      return "blackhole";
  }
}

/** What a route's current state is, in the design's words (undefined: an attachment the design does not know). */
export function targetOfState(state: RouteState, attachments: TransitAttachments): TransitTarget | "missing" | undefined {
  if (state.kind === "missing") return "missing";
  if (state.kind === "blackhole") return { kind: "blackhole" };
  const id = state.attachmentId;
  if (id === attachments.managementVpc) return { kind: "management-vpc" };
  if (id === attachments.workloadVpc) return { kind: "workload-vpc" };
  if (id === attachments.peering) return { kind: "peering" };
  const connection = Object.entries(attachments.connections).find(([, attachment]) => attachment === id)?.[0];
  return connection ? { kind: "connection", name: connection } : undefined;
}

/** AWS documents no limit on filter values here; a few dozen per call keeps requests small. */
const CIDRS_PER_SEARCH = 50;

/**
 * Where each of `cidrs` is routed in a transit gateway route table: its static or propagated
 * route with that exact destination, or `missing`.
 */
export async function readRoutes(ec2: EC2Client, routeTableId: string, cidrs: readonly string[], signal?: AbortSignal): Promise<ReadRoute[]> {
  const chunks: string[][] = [];
  for (let i = 0; i < cidrs.length; i += CIDRS_PER_SEARCH) chunks.push(cidrs.slice(i, i + CIDRS_PER_SEARCH));
  const found = new Map<string, RouteState>();
  await Promise.all(
    chunks.map(async (chunk) => {
      const { Routes } = await withOperation("SearchTransitGatewayRoutes", ec2.send(
        new SearchTransitGatewayRoutesCommand({
          TransitGatewayRouteTableId: routeTableId,
          Filters: [{ Name: "route-search.exact-match", Values: chunk }],
        }),
        { abortSignal: signal },
      ));
      for (const route of Routes ?? []) {
        if (!route.DestinationCidrBlock || route.State === "deleted" || route.State === "deleting") continue;
        const attachment = route.TransitGatewayAttachments?.[0];
        // A deliberate blackhole has no attachment (the provider reads it back as `blackhole = true`).
        const state: RouteState = attachment?.TransitGatewayAttachmentId
          ? { kind: "attachment", attachmentId: attachment.TransitGatewayAttachmentId, active: route.State !== "blackhole", resourceType: attachment.ResourceType }
          : { kind: "blackhole" };
        found.set(route.DestinationCidrBlock, state);
      }
    }),
  );
  return cidrs.map((cidr) => ({ cidr, state: found.get(cidr) ?? { kind: "missing" } }));
}
