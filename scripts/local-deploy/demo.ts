/**
 * What `npm start` shows and decides, from what it did: the stacks' outputs, reach with the
 * topology's active region, the failover to the other region, and reach again. Pure: the command
 * collects the pieces and prints this.
 */
import type { RegionResult } from "../failover";
import { ReachRun, ReachSummaryRow, clientRows, everyClientReaches, formatReachRun } from "../reach/reach-run";
import { Verdict } from "../reach/round-trip";

export interface DemoStep {
  /** The region that should be active at this point. */
  readonly activeRegion: string;
  readonly reach: ReachRun;
}

export interface DemoResult {
  readonly topology: string;
  readonly outputs: Readonly<Record<string, Record<string, unknown>>>;
  /** Absent when only some stacks were deployed: the pair cannot be traced or failed over then. */
  readonly demo?: {
    readonly before: DemoStep;
    readonly failover: readonly RegionResult[];
    readonly after: DemoStep;
  };
}

/** A passive copy's check, in four words: which copy, of which workload, toward which client, how it ended. */
export interface FenceSummaryRow {
  readonly copy: string;
  readonly workload: string;
  readonly client: string;
  readonly verdict: Verdict;
}

function fenceRows(run: ReachRun): FenceSummaryRow[] {
  return run.report.rows
    .filter((row) => row.kind === "passive-to-client")
    .map((row) => ({ copy: row.copyRegion ?? "", workload: row.destination, client: row.client, verdict: row.verdict }));
}

/** Every client reached the active copy, the passive copy was fenced and nothing failed, before and after. */
export function demoSucceeded(result: DemoResult): boolean {
  if (!result.demo) return true;
  const { before, failover, after } = result.demo;
  const stepOk = (step: DemoStep) => step.reach.exitCode === 0 && everyClientReaches(step.reach.report, step.activeRegion);
  return stepOk(before) && failover[0]?.outcome === "converged" && stepOk(after);
}

/** The one JSON document of `npm start -- --json`. */
export function demoJson(result: DemoResult): {
  readonly topology: string;
  readonly outputs: DemoResult["outputs"];
  readonly activeRegion: { readonly before: string; readonly after: string } | null;
  readonly failover: readonly RegionResult[] | null;
  readonly reach: { readonly before: ReachSummaryRow[]; readonly after: ReachSummaryRow[] } | null;
  readonly fence: { readonly before: FenceSummaryRow[]; readonly after: FenceSummaryRow[] } | null;
  readonly problems: { readonly before: readonly string[]; readonly after: readonly string[] } | null;
  readonly exitCode: 0 | 1;
} {
  const demo = result.demo;
  const problems = (step: DemoStep) => step.reach.report.problems.map((p) => `${p.severity}: ${p.message}`);
  return {
    topology: result.topology,
    outputs: result.outputs,
    activeRegion: demo ? { before: demo.before.activeRegion, after: demo.after.activeRegion } : null,
    failover: demo ? demo.failover : null,
    reach: demo ? { before: clientRows(demo.before.reach.report), after: clientRows(demo.after.reach.report) } : null,
    fence: demo ? { before: fenceRows(demo.before.reach), after: fenceRows(demo.after.reach) } : null,
    problems: demo ? { before: problems(demo.before), after: problems(demo.after) } : null,
    exitCode: demoSucceeded(result) ? 0 : 1,
  };
}

/** `name = value` lines, nested maps flattened with dots. */
export function formatOutputs(outputs: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(outputs).flatMap(([name, value]) =>
    value !== null && typeof value === "object" && !Array.isArray(value)
      ? formatOutputs(value as Record<string, unknown>, `${prefix}${name}.`)
      : [`  ${prefix}${name} = ${Array.isArray(value) ? value.join(", ") : String(value)}`],
  );
}

export function formatStep(title: string, step: DemoStep, color: boolean): string {
  return `\n=== ${title} (${step.activeRegion} should be active)\n\n${formatReachRun(step.reach, { color })}`;
}

export function formatFailover(toRegion: string, results: readonly RegionResult[]): string {
  const lines = results.map((r) => `  ${r.region.padEnd(16)} ${r.outcome.padEnd(12)} ${r.detail.split("\n")[0]} (${r.seconds} s)`);
  return `\n=== failover to ${toRegion}: its routing first, then the other region's\n\n${lines.join("\n")}\n`;
}
