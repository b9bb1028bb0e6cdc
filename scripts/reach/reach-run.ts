/**
 * One run of `regionpair reach`: what each region's read-back gave, the reach report, and the
 * exit code that both decide. Pure, like the report: the command and `verifyReach` build it
 * from the reader's answer, and format it for people or machines.
 */
import { formatReachTable } from "./format";
import { RegionRead } from "./read-network";
import { ReachReport, ReachRow } from "./reach-report";
import { Verdict } from "./round-trip";

export interface ReachRun {
  readonly topology: string;
  /** Each region as it was read: `read`, `unreachable` (its rows are unknown) or `failed`. */
  readonly regions: readonly RegionRead[];
  /** The report, with a failure for every region whose API answered with an error. */
  readonly report: ReachReport;
  /**
   * 1 when a client cannot reach the active copy, a passive copy is reachable, a loop exists, or
   * a region answered with an error (credentials, permissions); 0 otherwise, also when a region
   * is unreachable: reach is for the day a region is down.
   */
  readonly exitCode: 0 | 1;
}

export function reachRun(topology: string, regions: readonly RegionRead[], report: ReachReport): ReachRun {
  // Not a warning like an unreachable region: a missing permission hides the very routes reach
  // exists to check, and would keep hiding them until someone grants it.
  const readFailures = regions
    .filter((region) => region.outcome === "failed")
    .map((region) => ({
      severity: "failure" as const,
      message: `region ${region.region} could not be read: ${region.reason}${region.error?.hint ? `; check ${region.error.hint}` : ""}`,
    }));
  const problems = [...readFailures, ...report.problems];
  const exitCode = problems.some((p) => p.severity === "failure") ? 1 : 0;
  return { topology, regions, report: { ...report, problems, exitCode }, exitCode };
}

export function formatReachRun(run: ReachRun, options: { readonly color: boolean }): string {
  const width = Math.max(...run.regions.map((r) => r.region.length));
  const lines = run.regions.map((r) => `  ${r.region.padEnd(width)}  ${r.outcome.padEnd("unreachable".length)}  ${r.outcome === "read" ? `in ${r.seconds} s` : r.reason}`);
  return `reach: ${run.topology}\n${lines.join("\n")}\n\n${formatReachTable(run.report, options)}`;
}

/** The `--json` document: the regions as read, then the report (rows with every hop). */
export function reachRunJson(run: ReachRun): Record<string, unknown> {
  return { topology: run.topology, regions: run.regions, ...run.report };
}

/** A client request's outcome, in four words: who, to which workload, how it ended, where it was delivered. */
export interface ReachSummaryRow {
  readonly client: string;
  readonly destination: string;
  readonly verdict: Verdict;
  /** Where the request was delivered; null when it was not. */
  readonly region: string | null;
}

/** The client → workload rows only (the passive and peering checks read the other way round). */
export function clientRows(report: ReachReport): ReachSummaryRow[] {
  return report.rows.filter((row: ReachRow) => row.kind === "client-to-workload").map(({ client, destination, verdict, region }) => ({ client, destination, verdict, region }));
}

/** True when every client's round trip to every workload is answered by the copy in `region`. */
export function everyClientReaches(report: ReachReport, region: string): boolean {
  const rows = clientRows(report);
  return rows.length > 0 && rows.every((row) => row.verdict === "delivered" && row.region === region);
}
