/**
 * Reads one region's routing state for `status`, read-only: the route tables and attachments by
 * tag, where the `clients` table sends each workload CIDR, and whether the workload table is all
 * blackholes (the fence). A region that does not answer within the time limit is reported as
 * unreachable, never fatal.
 */
import { EC2Client } from "@aws-sdk/client-ec2";
import type { RegionRole, Topology } from "../../config/topology";
import { REGION_ROLES, otherRole } from "../../config/topology";
import { Ec2Clients } from "../lib/aws";
import { transitRoutes } from "../../config/transit-routes";
import { awsErrorCode, isThrottlingError, isUnreachableError, networkErrorCode } from "../lib/aws-errors";
import { RegionTransit, RouteState, findRegionTransit, readRoutes } from "../lib/route-inspection";
import { retryUntil } from "../lib/retry";
import { readDesignRoutes } from "../failover/verify-routes";
import { RegionStatus, RoutesTo, StatusDocument, pairStatus } from "./route-status";

/** @default 15 s per region */
export const STATUS_TIMEOUT_MS = 15_000;

/** The region a route in `role`'s clients table sends traffic to, in words. */
export function routesTo(state: RouteState, transit: RegionTransit, topology: Topology, role: RegionRole): RoutesTo {
  if (state.kind === "missing") return "missing";
  if (state.kind === "blackhole" || !state.active) return "blackhole";
  if (state.attachmentId === transit.attachments.workloadVpc) return topology[role].region;
  if (state.attachmentId === transit.attachments.peering) return topology[otherRole(role)].region;
  return "other";
}

export async function readRegionStatus(ec2: EC2Client, topology: Topology, role: RegionRole, timeoutMs = STATUS_TIMEOUT_MS): Promise<RegionStatus> {
  const region = topology[role].region;
  const cidrs = topology.workloads.map((w) => w.cidr);
  const deadline = Date.now() + timeoutMs;
  const call = <T>(work: (signal: AbortSignal) => Promise<T>) =>
    retryUntil(() => work(AbortSignal.timeout(Math.max(1_000, deadline - Date.now()))), { deadline, intervalMs: 500, isRetryable: isThrottlingError });
  try {
    const transit = await call((signal) => findRegionTransit(ec2, topology, role, signal));
    const clientsTable = transit.routeTableIds.clients;
    const clientRoutes = clientsTable ? await call((signal) => readRoutes(ec2, clientsTable, cidrs, signal)) : cidrs.map((cidr) => ({ cidr, state: { kind: "missing" } as RouteState }));
    const fenceRoutes = transitRoutes(topology, role).filter((r) => r.table === "workload");
    const fenceStates = fenceRoutes.length ? await call((signal) => readDesignRoutes(ec2, transit, fenceRoutes, signal)) : new Map<string, RouteState>();
    const blackholes = fenceRoutes.filter((r) => fenceStates.get(r.id)?.kind === "blackhole").length;
    return {
      region,
      role,
      reachable: true,
      routes: clientRoutes.map((r) => ({ cidr: r.cidr, routesTo: routesTo(r.state, transit, topology, role) })),
      ...(fenceRoutes.length ? { fence: { routes: fenceRoutes.length, blackholes, fenced: blackholes === fenceRoutes.length } } : {}),
    };
  } catch (error) {
    // A bug is not a region that failed to answer: let it surface with its stack.
    if (awsErrorCode(error) === undefined && !isUnreachableError(error)) throw error;
    const name = (error as { name?: string }).name ?? "Error";
    const code = (name === "Error" ? networkErrorCode(error) : undefined) ?? awsErrorCode(error) ?? name;
    const message = ((error as { message?: string }).message ?? String(error)).split("\n")[0];
    return { region, role, reachable: !isUnreachableError(error), routes: cidrs.map((cidr) => ({ cidr, routesTo: "unknown" })), error: { code, message } };
  }
}

export interface ReadStatusOptions {
  readonly topology: Topology;
  readonly clients: Ec2Clients;
  /** The region the workloads should go to. @default the topology's activeRegion */
  readonly expectedActiveRegion?: string;
  readonly timeoutMs?: number;
  /** Regions already known not to answer (a failover that just found them so): not asked again. */
  readonly knownUnreachable?: Readonly<Record<string, { readonly code: string; readonly message: string }>>;
}

/** Both regions read at once; the document `status --json` prints. */
export async function readStatus(options: ReadStatusOptions): Promise<StatusDocument> {
  const { topology } = options;
  const read = (role: (typeof REGION_ROLES)[number]): Promise<RegionStatus> => {
    const region = topology[role].region;
    const known = options.knownUnreachable?.[region];
    if (known) return Promise.resolve({ region, role, reachable: false, routes: topology.workloads.map((w) => ({ cidr: w.cidr, routesTo: "unknown" })), error: known });
    return readRegionStatus(options.clients.forRegion(region), topology, role, options.timeoutMs);
  };
  const [primary, secondary] = await Promise.all([read("primary"), read("secondary")]);
  return pairStatus([primary, secondary], options.expectedActiveRegion ?? topology.activeRegion);
}
