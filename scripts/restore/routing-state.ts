/**
 * Which copy of the workload CIDRs a region's transit gateway routes, read against the routing
 * design (`transitRoutes`): `active` when every route that moves on failover points where the
 * design says it does while the region is active, `passive` when every one points where it does
 * while passive, `mixed` otherwise. Also whether the workload route table is the fence (every
 * route a deliberate blackhole), which a drill requires. Pure: the routes and attachments are
 * read elsewhere.
 */
import { TransitRoute, TransitRouteTable, TransitTarget, movesOnFailover, sameTarget } from "../../config/transit-routes";

/** A route of one of the region's TGW route tables, as SearchTransitGatewayRoutes reports it. */
export interface ObservedRoute {
  readonly cidr: string;
  /** `active` or `blackhole`. */
  readonly state: string;
  /** Absent for a deliberate (static) blackhole. */
  readonly attachmentId?: string;
}

/** A region whose routing was read. */
export interface RoutingObservation {
  readonly status: "read";
  /** Each of the region's TGW route tables, found by its tag; a table that is not there is absent. */
  readonly tables: Readonly<Partial<Record<TransitRouteTable, readonly ObservedRoute[]>>>;
  /** What each attachment of the region's transit gateway is, from its type and tags. */
  readonly attachments: Readonly<Record<string, TransitTarget>>;
}

export type RegionRouting =
  | RoutingObservation
  /** The region's API did not answer (it may be the region that is down). */
  | { readonly status: "unreachable"; readonly reason: string }
  /** It answered, but the regionpair transit gateway or its route tables are not there. */
  | { readonly status: "not-found"; readonly reason: string };

export type RoutingMode = "active" | "passive" | "mixed" | "unknown";

export interface RoutingAssessment {
  readonly mode: RoutingMode;
  /** Every route of the workload table is a deliberate blackhole: nothing leaves the workload VPC. */
  readonly fenced: boolean;
  /** For people: why the mode is what it is. */
  readonly reason: string;
  /** Moving routes that point neither where the active nor where the passive design says. */
  readonly deviations: readonly string[];
}

function describeTarget(target: TransitTarget | undefined): string {
  if (!target) return "an attachment regionpair did not make";
  return target.kind === "connection" ? `connection ${target.name}` : target.kind;
}

/** Where an observed route sends traffic, in the design's terms; undefined for an unknown attachment. */
export function observedTarget(route: ObservedRoute, attachments: RoutingObservation["attachments"]): TransitTarget | undefined {
  if (!route.attachmentId) return route.state === "blackhole" ? { kind: "blackhole" } : undefined;
  if (route.state === "blackhole") return undefined;
  return attachments[route.attachmentId];
}

export function assessRouting(design: readonly TransitRoute[], routing: RegionRouting): RoutingAssessment {
  if (routing.status !== "read") return { mode: "unknown", fenced: false, reason: routing.reason, deviations: [] };
  const workloadTable = routing.tables.workload;
  const fenced = !!workloadTable && workloadTable.length > 0 && workloadTable.every((r) => r.state === "blackhole" && !r.attachmentId);

  const moving = design.filter(movesOnFailover);
  if (moving.length === 0) return { mode: "unknown", fenced, reason: "the design has no route that moves on failover (no workloads)", deviations: [] };
  let active = 0;
  let passive = 0;
  const deviations: string[] = [];
  for (const route of moving) {
    const table = routing.tables[route.table];
    const observed = table?.find((r) => r.cidr === route.cidr);
    const target = observed ? observedTarget(observed, routing.attachments) : undefined;
    if (target && sameTarget(target, route.whileActive)) active += 1;
    else if (target && sameTarget(target, route.whilePassive)) passive += 1;
    else {
      const where = !table ? `route table ${route.table} is missing` : !observed ? "no route" : `points at ${describeTarget(target)}`;
      deviations.push(`${route.id} (${route.cidr}): ${where}`);
    }
  }
  if (active === moving.length) return { mode: "active", fenced, reason: `all ${active} moving routes point at the local copy`, deviations };
  if (passive === moving.length) return { mode: "passive", fenced, reason: `all ${passive} moving routes point where a passive region's do`, deviations };
  return {
    mode: "mixed",
    fenced,
    reason: `${active} moving route(s) as when active, ${passive} as when passive, ${deviations.length} neither`,
    deviations,
  };
}
