/**
 * The failover's verification by path trace: both regions read back with the reach command's
 * reader, then every client of one region traced hop by hop to every workload (scripts/reach).
 * Each must be delivered to the copy in the new active region, and answered. For the target
 * region that is its own copy; for the region being left, its clients must reach the target over
 * the peering and its own copy must be fenced.
 *
 * The building blocks of `verifyReach` are used with the command's own EC2 clients, so the trace
 * reads with the same short time limits (and tests can give it mocked clients).
 */
import { EC2Client } from "@aws-sdk/client-ec2";
import type { RegionRole, Topology } from "../../config/topology";
import { RegionRead, readNetwork } from "../reach/read-network";
import { buildReachSpec } from "../reach/reach-spec";
import { ReachRow, reachReport } from "../reach/reach-report";
import { RegionLabels } from "../reach/network-from-ec2";

export interface TraceVerification {
  readonly method: "trace";
  /** Rows (client → workload round trips, fence checks) that were checked for this region. */
  readonly checked: number;
  /** The rows that did not come out as expected, for people. */
  readonly failures: readonly string[];
  /** How each region was read for the trace; the other one may be unreachable (its rows are not needed). */
  readonly regions: ReadonlyArray<Pick<RegionRead, "region" | "outcome" | "reason" | "error">>;
}

export interface TraceOptions {
  readonly topology: Topology;
  readonly clients: { forRegion(region: string): EC2Client };
  /** The region whose clients (and, when it is passive, whose copy) are checked. */
  readonly role: RegionRole;
  readonly toRegion: string;
  /** Upper bound for reading each region. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** The rows that say whether `region` routes as it must with `toRegion` active. */
export function rowsOfRegion(rows: readonly ReachRow[], clientNames: ReadonlySet<string>, region: string, toRegion: string): ReachRow[] {
  return rows.filter(
    (row) =>
      (row.kind === "client-to-workload" && clientNames.has(row.client)) ||
      // The copy being left must be fenced, and traffic arriving over the peering kept out of it.
      (region !== toRegion && (row.kind === "passive-to-client" || row.kind === "peering-to-passive") && row.copyRegion === region),
  );
}

function describeRow(row: ReachRow): string {
  const where = row.region ? ` in ${row.region}` : "";
  return `${row.kind} ${row.client} → ${row.destination}: ${row.verdict}${where}${row.reason ? ` (${row.reason})` : ""}`;
}

export async function verifyByTrace(options: TraceOptions): Promise<TraceVerification> {
  const { topology, role, toRegion } = options;
  const region = topology[role].region;
  const readBack = await readNetwork({ topology, clients: options.clients, timeoutMs: options.timeoutMs, signal: options.signal });
  const regions = readBack.regions.map(({ region: r, outcome, reason, error }) => ({ region: r, outcome, ...(reason ? { reason } : {}), ...(error ? { error } : {}) }));
  const own = readBack.regions.find((r) => r.region === region)!;
  if (own.outcome !== "read") return { method: "trace", checked: 0, failures: [`${region} could not be read back: ${own.reason ?? own.outcome}`], regions };
  const labels = new Map(readBack.regions.flatMap((r) => (r.labels ? [[r.region, r.labels] as [string, RegionLabels]] : [])));
  const spec = buildReachSpec(topology, labels, toRegion);
  const report = reachReport(readBack.model, spec);
  const names = new Set(spec.clients.filter((client) => client.region === region).map((client) => client.name));
  const rows = rowsOfRegion(report.rows, names, region, toRegion);
  return { method: "trace", checked: rows.length, failures: rows.filter((row) => !row.ok).map(describeRow), regions };
}
