/**
 * Where the pair routes each workload CIDR, and what that means: per region, the region its
 * `clients` table sends the CIDR to (its own copy, or the other region's over the peering), then
 * one verdict for the pair. Pure: built from what the API said, tested on hand-built regions.
 *
 * - `split-brain`: both regions route a workload CIDR to their own copy; clients reach two
 *   different copies of the same IPs.
 * - `loop`: both regions send it over the peering; neither copy is reached (the peering tables
 *   cannot send it back, so it is dropped rather than looping forever, but nothing answers).
 * - `drift`: the pair agrees but not on the expected active region, or a route is missing,
 *   blackholed or points elsewhere, or no region could be read.
 * - `ok`: every CIDR the regions that answered could show goes to the expected active region.
 */
import type { RegionRole } from "../../config/topology";

/** A region name, or what the route does when it goes to no region. */
export type RoutesTo = string | "blackhole" | "missing" | "other" | "unknown";

export type Verdict = "ok" | "drift" | "split-brain" | "loop";

export interface CidrRoute {
  readonly cidr: string;
  readonly routesTo: RoutesTo;
}

/** The fence: the workload table of a region's copy; fenced when every route in it is a blackhole. */
export interface FenceState {
  readonly routes: number;
  readonly blackholes: number;
  readonly fenced: boolean;
}

export interface RegionStatus {
  readonly region: string;
  readonly role: RegionRole;
  readonly reachable: boolean;
  readonly routes: readonly CidrRoute[];
  /** Why the region's routes are not known (the AWS error code and message). */
  readonly error?: { readonly code: string; readonly message: string };
  readonly fence?: FenceState;
}

export interface CidrVerdict {
  readonly cidr: string;
  readonly verdict: Verdict;
  /** The region both answering regions send it to, when they agree. */
  readonly routedTo?: string;
}

export interface StatusDocument {
  readonly regions: readonly RegionStatus[];
  readonly verdict: Verdict;
  /** The region the workloads should be routed to (the topology's activeRegion, or a failover's target). */
  readonly expectedActiveRegion: string;
  readonly cidrs: readonly CidrVerdict[];
  /** False when a region could not be read: the verdict covers only the regions that answered. */
  readonly complete: boolean;
  /**
   * Is the passive copy fenced off? The passive region is the one the pair does not route the
   * workloads to (the expected passive one when the regions disagree). Null when it could not be read.
   */
  readonly fence: { readonly passiveRegion: string; readonly fenced: boolean | null };
}

const SEVERITY: Record<Verdict, number> = { ok: 0, drift: 1, loop: 2, "split-brain": 3 };

function worst(verdicts: readonly Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((a, b) => (SEVERITY[b] > SEVERITY[a] ? b : a), "ok");
}

function isRegion(value: RoutesTo, regions: readonly string[]): boolean {
  return regions.includes(value);
}

/** The verdict for one CIDR, from what each region (primary, secondary) routes it to; undefined: not read. */
export function cidrVerdict(cidr: string, routes: readonly [RoutesTo | undefined, RoutesTo | undefined], regions: readonly [string, string], expected: string): CidrVerdict {
  const [a, b] = routes;
  const known = routes.filter((r): r is RoutesTo => r !== undefined && r !== "unknown");
  if (known.length === 0) return { cidr, verdict: "drift" };
  if (a !== undefined && b !== undefined && a !== "unknown" && b !== "unknown") {
    if (a === regions[0] && b === regions[1]) return { cidr, verdict: "split-brain" };
    if (a === regions[1] && b === regions[0]) return { cidr, verdict: "loop" };
  }
  if (known.some((r) => !isRegion(r, regions))) return { cidr, verdict: "drift" };
  if (new Set(known).size > 1) return { cidr, verdict: "drift" };
  return { cidr, verdict: known[0] === expected ? "ok" : "drift", routedTo: known[0] };
}

/** The whole pair's status, `regions` in primary, secondary order. */
export function pairStatus(regions: readonly [RegionStatus, RegionStatus], expected: string): StatusDocument {
  const names = [regions[0].region, regions[1].region] as const;
  const cidrs = [...new Set(regions.flatMap((r) => r.routes.map((route) => route.cidr)))];
  const routeOf = (status: RegionStatus, cidr: string) => (status.reachable && !status.error ? status.routes.find((r) => r.cidr === cidr)?.routesTo : undefined);
  const perCidr = cidrs.map((cidr) => cidrVerdict(cidr, [routeOf(regions[0], cidr), routeOf(regions[1], cidr)], names, expected));
  // The passive copy is the one the pair does not route to; the expected one when that is unclear.
  const routedTo = new Set(perCidr.map((c) => c.routedTo));
  const actual = routedTo.size === 1 ? [...routedTo][0] : undefined;
  const passive = regions.find((r) => r.region !== (actual ?? expected)) ?? regions[1];
  const complete = regions.every((r) => r.reachable && !r.error);
  return {
    regions,
    verdict: perCidr.length ? worst(perCidr.map((c) => c.verdict)) : complete ? "ok" : "drift",
    expectedActiveRegion: expected,
    cidrs: perCidr,
    complete,
    fence: { passiveRegion: passive.region, fenced: passive.fence ? passive.fence.fenced : null },
  };
}

/** Lines for people: one per region and CIDR, then the verdict and the fence. */
export function formatStatus(status: StatusDocument): string {
  const lines: string[] = [];
  const width = Math.max(6, ...status.regions.map((r) => r.region.length));
  for (const region of status.regions) {
    if (!region.reachable || region.error) {
      lines.push(`${region.region.padEnd(width)}  ${region.reachable ? "answered with an error" : "unreachable"}: ${region.error ? `${region.error.code}: ${region.error.message}` : "no answer"}`);
      continue;
    }
    for (const route of region.routes) {
      const where = route.routesTo === region.region ? `${route.routesTo} (its own copy)` : isRegion(route.routesTo, status.regions.map((r) => r.region)) ? `${route.routesTo} (over the peering)` : route.routesTo;
      lines.push(`${region.region.padEnd(width)}  ${route.cidr.padEnd(18)} → ${where}`);
    }
    if (region.fence) lines.push(`${region.region.padEnd(width)}  workload table: ${region.fence.blackholes} of ${region.fence.routes} route(s) blackhole${region.fence.fenced ? " (fenced)" : ""}`);
  }
  const meaning: Record<Verdict, string> = {
    ok: `every workload CIDR goes to ${status.expectedActiveRegion}`,
    drift: `the routes differ from the expected active region ${status.expectedActiveRegion}`,
    "split-brain": "both regions route a workload CIDR to their own copy",
    loop: "both regions send a workload CIDR over the peering: neither copy is reached",
  };
  lines.push(`verdict: ${status.verdict}: ${meaning[status.verdict]}${status.complete ? "" : " (from the regions that answered only)"}`);
  lines.push(`fence: the copy in ${status.fence.passiveRegion} is ${status.fence.fenced === null ? "unknown (not read)" : status.fence.fenced ? "fenced (every workload-table route is a blackhole)" : "NOT fenced"}`);
  return `${lines.join("\n")}\n`;
}
