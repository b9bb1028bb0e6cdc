/**
 * A region's routes read back against the design: every route of `transitRoutes(topology, role)`
 * compared with its target for the active region. The route watch of a flip (benchmark, zero-gap
 * test) and `status` use it; the failover itself verifies by path trace (verify-reach.ts).
 */
import { EC2Client } from "@aws-sdk/client-ec2";
import { TransitRoute, TransitTarget, targetWhen } from "../../config/transit-routes";
import { RegionTransit, RouteState, readRoutes, resolveTarget } from "../lib/route-inspection";
import { describeState, pointsAt } from "./route-moves";

export interface RouteCheck {
  readonly id: string;
  readonly cidr: string;
  readonly expected: string;
  readonly actual: string;
  readonly ok: boolean;
}

export interface RouteVerification {
  readonly checked: number;
  readonly mismatches: readonly RouteCheck[];
}

function describeTarget(target: TransitTarget, transit: RegionTransit): string {
  const resolved = resolveTarget(target, transit.attachments);
  const name = target.kind === "connection" ? `connection ${target.name}` : target.kind;
  if (resolved === "blackhole") return describeState("blackhole");
  return resolved ? `${name} ${resolved.attachmentId}` : `${name} (attachment not found)`;
}

/** Compares what was read with the design; pure. */
export function checkRoutes(routes: readonly TransitRoute[], transit: RegionTransit, current: ReadonlyMap<string, RouteState>, active: boolean): RouteVerification {
  const checks = routes.map((route): RouteCheck => {
    const target = targetWhen(route, active);
    const resolved = resolveTarget(target, transit.attachments);
    const state = current.get(route.id) ?? { kind: "missing" as const };
    const ok = resolved !== undefined && pointsAt(state, resolved) && (state.kind !== "attachment" || state.active);
    return { id: route.id, cidr: route.cidr, expected: describeTarget(target, transit), actual: describeState(state), ok };
  });
  return { checked: checks.length, mismatches: checks.filter((c) => !c.ok) };
}

/** Where each route of `routes` points now, by route id, read table by table. */
export async function readDesignRoutes(ec2: EC2Client, transit: RegionTransit, routes: readonly TransitRoute[], signal?: AbortSignal): Promise<Map<string, RouteState>> {
  const states = new Map<string, RouteState>();
  const tables = [...new Set(routes.map((r) => r.table))];
  await Promise.all(
    tables.map(async (table) => {
      const routeTableId = transit.routeTableIds[table];
      if (!routeTableId) return;
      const inTable = routes.filter((r) => r.table === table);
      const read = await readRoutes(ec2, routeTableId, inTable.map((r) => r.cidr), signal);
      inTable.forEach((route, i) => states.set(route.id, read[i].state));
    }),
  );
  return states;
}
