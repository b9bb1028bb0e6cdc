/**
 * Which routes a failover moves in one region, and to what: every route of the design that
 * `movesOnFailover`, compared with where it points now. Pure: the inputs are what the EC2 API
 * said, so the rules are tested on hand-built regions.
 */
import { TransitRoute, movesOnFailover, targetWhen } from "../../config/transit-routes";
import { RegionTransit, RouteState, resolveTarget } from "../lib/route-inspection";

/** `replace`: ReplaceTransitGatewayRoute; `create`: the route does not exist yet; `none`: already there. */
export type RouteAction = "replace" | "create" | "none";

export type RouteDestination = { readonly attachmentId: string } | "blackhole";

export interface RouteMove {
  readonly route: TransitRoute;
  readonly routeTableId: string;
  readonly from: RouteState;
  readonly to: RouteDestination;
  readonly action: RouteAction;
}

export interface MovePlan {
  readonly moves: readonly RouteMove[];
  /** Why some routes cannot be moved (a route table or attachment that was not found). */
  readonly problems: readonly string[];
}

/** Whether a route in `state` already sends traffic to `to`. */
export function pointsAt(state: RouteState, to: RouteDestination): boolean {
  if (to === "blackhole") return state.kind === "blackhole";
  return state.kind === "attachment" && state.attachmentId === to.attachmentId;
}

/**
 * The moves that make `routes` point where the design wants them with this region `active` or
 * not. `current` holds each route's state by route id (missing routes may be left out).
 */
export function planRouteMoves(
  routes: readonly TransitRoute[],
  transit: RegionTransit,
  current: ReadonlyMap<string, RouteState>,
  active: boolean,
  describeMissing: (what: string) => string,
): MovePlan {
  const moves: RouteMove[] = [];
  const problems: string[] = [];
  for (const route of routes.filter(movesOnFailover)) {
    const routeTableId = transit.routeTableIds[route.table];
    const target = targetWhen(route, active);
    const to = resolveTarget(target, transit.attachments);
    if (!routeTableId) {
      problems.push(`${route.id}: ${describeMissing(`the ${route.table} route table`)}`);
      continue;
    }
    if (!to) {
      problems.push(`${route.id}: ${describeMissing(`the ${target.kind === "connection" ? `attachment of connection ${target.name}` : `${target.kind} attachment`}`)}`);
      continue;
    }
    const from = current.get(route.id) ?? { kind: "missing" };
    const action: RouteAction = pointsAt(from, to) ? "none" : from.kind === "missing" ? "create" : "replace";
    moves.push({ route, routeTableId, from, to, action });
  }
  return { moves, problems };
}

/** Words for a route target, for people: `tgw-attach-0abc`, `blackhole (fenced)`, `no route`. */
export function describeState(state: RouteState | RouteDestination): string {
  if (state === "blackhole") return "blackhole (fenced)";
  if ("attachmentId" in state) return state.attachmentId;
  if (state.kind === "missing") return "no route";
  return "blackhole (fenced)";
}
