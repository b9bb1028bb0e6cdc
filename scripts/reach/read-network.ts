/**
 * Reads the network of both regions of the pair from the EC2 API, read-only, for the tracer: the
 * topology's VPCs (by the `regionpair:topology` tag) with their subnets and route tables, its
 * transit gateways (same tag) with every attachment, route table and static or propagated route,
 * and the VPN tunnels' state.
 *
 * The two regions are read at the same time, each within an overall time limit. A region whose
 * API does not answer (refused, no DNS, a hung endpoint, a 5xx) is `unreachable`, never an
 * exception: reach is most needed exactly when one region is down. A region that answers with
 * an error (credentials, a missing permission) is `failed`, with the call that failed and what to
 * check. Anything else is a bug and is thrown.
 */
import {
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayPeeringAttachmentsCommand,
  DescribeTransitGatewayRouteTablesCommand,
  DescribeTransitGatewayVpcAttachmentsCommand,
  DescribeTransitGatewaysCommand,
  DescribeVpcsCommand,
  DescribeVpnConnectionsCommand,
  EC2Client,
  Filter,
  SearchTransitGatewayRoutesCommand,
} from "@aws-sdk/client-ec2";
import { REGION_ROLES, RegionRole, Topology } from "../../config/topology-model";
import { TAG_TOPOLOGY } from "../../constructs/naming";
import { isUnreachableError, toExternalError } from "../lib/aws-errors";
import { ExternalError } from "../lib/cli";
import { NetworkModel, RegionNetwork } from "./network-model";
import { RegionAnswers, RegionLabels, labelsFromAnswers, regionFromAnswers } from "./network-from-ec2";

/** Every call the reader makes: all read-only (the permissions `reach` needs). */
export const READ_NETWORK_OPERATIONS = [
  "DescribeVpcs",
  "DescribeSubnets",
  "DescribeRouteTables",
  "DescribeTransitGateways",
  "DescribeTransitGatewayAttachments",
  "DescribeTransitGatewayVpcAttachments",
  "DescribeTransitGatewayPeeringAttachments",
  "DescribeTransitGatewayRouteTables",
  "SearchTransitGatewayRoutes",
  "DescribeVpnConnections",
] as const;
export type ReadNetworkOperation = (typeof READ_NETWORK_OPERATIONS)[number];

/** Long enough for a healthy region's dozen calls on a slow link; short enough for a pipeline step. */
export const DEFAULT_READ_TIMEOUT_MS = 30_000;

export type RegionReadOutcome = "read" | "unreachable" | "failed";

export interface RegionRead {
  readonly region: string;
  readonly role: RegionRole;
  readonly outcome: RegionReadOutcome;
  readonly seconds: number;
  /** For `unreachable` and `failed`: what happened, for people. */
  readonly reason?: string;
  /** For `failed`: the AWS error code, the call that failed and what to check. */
  readonly error?: { readonly code?: string; readonly operation?: string; readonly hint?: string };
  /** For `read`: what the tags say each resource is. */
  readonly labels?: RegionLabels;
}

export interface NetworkReadBack {
  /** Both regions; one that was not read is in it as `unreachable` so traces through it end `unknown`. */
  readonly model: NetworkModel;
  /** In topology order: primary, then secondary. */
  readonly regions: readonly RegionRead[];
}

export interface ReadNetworkOptions {
  readonly topology: Topology;
  /** One EC2 client per region (with short per-request time limits: see reachClients). */
  readonly clients: { forRegion(region: string): EC2Client };
  /** Upper bound for reading one region. @default DEFAULT_READ_TIMEOUT_MS */
  readonly timeoutMs?: number;
  /** Stops the reads (Ctrl-C); an aborted read is thrown, not reported as unreachable. */
  readonly signal?: AbortSignal;
}

export async function readNetwork(options: ReadNetworkOptions): Promise<NetworkReadBack> {
  const reads = await Promise.all(REGION_ROLES.map((role) => readRegionBounded(options, role)));
  return { model: { regions: reads.map((r) => r.network) }, regions: reads.map((r) => r.read) };
}

/** A call that failed, with the operation it was (the SDK mocks in tests skip the client's middleware). */
class CallFailure extends Error {
  constructor(
    readonly operation: ReadNetworkOperation,
    readonly error: unknown,
  ) {
    super(`${operation} failed`);
  }
}

class RegionTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`did not answer within ${timeoutMs / 1000} s`);
  }
}

async function readRegionBounded(options: ReadNetworkOptions, role: RegionRole): Promise<{ read: RegionRead; network: RegionNetwork }> {
  const { topology } = options;
  const region = topology[role].region;
  const timeoutMs = options.timeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 100) / 10;
  // Aborts this region's calls when the bound passes or one call fails (the others are moot then).
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onOuterAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RegionTimeout(timeoutMs)), timeoutMs);
  });
  try {
    const answers = await Promise.race([readAnswers(options.clients.forRegion(region), topology, stop.signal), bound]);
    return {
      read: { region, role, outcome: "read", seconds: seconds(), labels: labelsFromAnswers(topology, role, answers) },
      network: regionFromAnswers(region, answers),
    };
  } catch (error) {
    stop.abort();
    if (options.signal?.aborted) throw options.signal.reason ?? error;
    const read = classify(error, region, role, seconds());
    return { read, network: { region, status: "unreachable", reason: read.reason ?? read.outcome } };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onOuterAbort);
  }
}

/** unreachable (the API did not answer) or failed (it answered with an error); a bug is rethrown. */
function classify(error: unknown, region: string, role: RegionRole, seconds: number): RegionRead {
  if (error instanceof RegionTimeout) return { region, role, outcome: "unreachable", seconds, reason: `the EC2 API ${error.message}` };
  if (!(error instanceof CallFailure)) throw error;
  const cause = error.error as { name?: string; code?: string; message?: string };
  if (isUnreachableError(cause)) {
    // A network error is a plain Error with a code; a time-out or an HTTP 5xx has a telling name.
    const code = (cause?.name && cause.name !== "Error" ? cause.name : cause?.code) ?? "Error";
    return { region, role, outcome: "unreachable", seconds, reason: `${error.operation}: ${code}: ${cause?.message ?? ""}`.trim() };
  }
  const external = toExternalError(cause, { operation: error.operation, region });
  if (!(external instanceof ExternalError)) throw cause;
  return {
    region,
    role,
    outcome: "failed",
    seconds,
    reason: `${external.code ? `${external.code}: ` : ""}${external.message}`,
    error: { code: external.code, operation: error.operation, ...(external.hint ? { hint: external.hint } : {}) },
  };
}

type Send = <T>(operation: ReadNetworkOperation, request: () => Promise<T>) => Promise<T>;

async function readAnswers(ec2: EC2Client, topology: Topology, signal: AbortSignal): Promise<RegionAnswers> {
  const send: Send = async (operation, request) => {
    try {
      return await request();
    } catch (error) {
      throw new CallFailure(operation, error);
    }
  };
  const options = { abortSignal: signal };
  const byTopology: Filter[] = [{ Name: `tag:${TAG_TOPOLOGY}`, Values: [topology.name] }];

  const [vpcs, transitGateways] = await Promise.all([
    allPages(send, "DescribeVpcs", (NextToken) => ec2.send(new DescribeVpcsCommand({ Filters: byTopology, NextToken }), options), (o) => o.Vpcs),
    allPages(send, "DescribeTransitGateways", (NextToken) => ec2.send(new DescribeTransitGatewaysCommand({ Filters: byTopology, NextToken }), options), (o) => o.TransitGateways),
  ]);
  const vpcIds = vpcs.flatMap((vpc) => (vpc.VpcId ? [vpc.VpcId] : []));
  const transitGatewayIds = transitGateways.flatMap((tgw) => (tgw.TransitGatewayId ? [tgw.TransitGatewayId] : []));
  // A filter with no values is an error in EC2: skip the call when there is nothing to ask about.
  const byVpc: Filter[] = [{ Name: "vpc-id", Values: vpcIds }];
  const byTransitGateway: Filter[] = [{ Name: "transit-gateway-id", Values: transitGatewayIds }];
  const none = Promise.resolve([]);

  const [subnets, routeTables, attachments, vpcAttachments, peeringAttachments, transitGatewayRouteTables] = await Promise.all([
    vpcIds.length ? allPages(send, "DescribeSubnets", (NextToken) => ec2.send(new DescribeSubnetsCommand({ Filters: byVpc, NextToken }), options), (o) => o.Subnets) : none,
    vpcIds.length ? allPages(send, "DescribeRouteTables", (NextToken) => ec2.send(new DescribeRouteTablesCommand({ Filters: byVpc, NextToken }), options), (o) => o.RouteTables) : none,
    transitGatewayIds.length
      ? allPages(send, "DescribeTransitGatewayAttachments", (NextToken) => ec2.send(new DescribeTransitGatewayAttachmentsCommand({ Filters: byTransitGateway, NextToken }), options), (o) => o.TransitGatewayAttachments)
      : none,
    transitGatewayIds.length
      ? allPages(send, "DescribeTransitGatewayVpcAttachments", (NextToken) => ec2.send(new DescribeTransitGatewayVpcAttachmentsCommand({ Filters: byTransitGateway, NextToken }), options), (o) => o.TransitGatewayVpcAttachments)
      : none,
    transitGatewayIds.length
      ? allPages(send, "DescribeTransitGatewayPeeringAttachments", (NextToken) => ec2.send(new DescribeTransitGatewayPeeringAttachmentsCommand({ Filters: byTransitGateway, NextToken }), options), (o) => o.TransitGatewayPeeringAttachments)
      : none,
    transitGatewayIds.length
      ? allPages(send, "DescribeTransitGatewayRouteTables", (NextToken) => ec2.send(new DescribeTransitGatewayRouteTablesCommand({ Filters: byTransitGateway, NextToken }), options), (o) => o.TransitGatewayRouteTables)
      : none,
  ]);

  const liveTables = transitGatewayRouteTables.filter((table) => table.TransitGatewayRouteTableId && table.State !== "deleting" && table.State !== "deleted");
  const vpnIds = [...new Set(attachments.filter((a) => a.ResourceType === "vpn" && a.ResourceId && a.State !== "deleted").map((a) => a.ResourceId!))];
  const [routeLists, vpnConnections] = await Promise.all([
    Promise.all(
      liveTables.map(async (table) => {
        const routeTableId = table.TransitGatewayRouteTableId!;
        // SearchTransitGatewayRoutes needs a filter; these two states are every route that routes.
        const search = { TransitGatewayRouteTableId: routeTableId, Filters: [{ Name: "state", Values: ["active", "blackhole"] }] };
        const routes = await allPages(send, "SearchTransitGatewayRoutes", (NextToken) => ec2.send(new SearchTransitGatewayRoutesCommand({ ...search, NextToken }), options), (o) => o.Routes);
        return [routeTableId, routes] as const;
      }),
    ),
    vpnIds.length ? send("DescribeVpnConnections", () => ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: vpnIds }), options)).then((o) => o.VpnConnections ?? []) : none,
  ]);

  return {
    vpcs,
    subnets,
    routeTables,
    transitGateways,
    attachments,
    vpcAttachments,
    peeringAttachments,
    transitGatewayRouteTables: liveTables,
    transitGatewayRoutes: Object.fromEntries(routeLists),
    vpnConnections,
  };
}

/** Most pages any of these calls should ever need; more means the API keeps handing out tokens. */
const MAX_PAGES = 100;

/** Every page of a call, following NextToken; stops if a token repeats, as the SDK's paginators do. */
async function allPages<O extends { NextToken?: string }, T>(
  send: Send,
  operation: ReadNetworkOperation,
  page: (token: string | undefined) => Promise<O>,
  items: (output: O) => readonly T[] | undefined,
): Promise<T[]> {
  const all: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    const output: O = await send(operation, () => page(token));
    all.push(...(items(output) ?? []));
    token = output.NextToken || undefined;
    if (!token || seen.has(token)) return all;
    seen.add(token);
  }
  return all;
}
