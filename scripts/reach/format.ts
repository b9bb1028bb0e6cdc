/**
 * The reach report as a table for people: one section per kind of check, the same column widths
 * in every section, then the problems. Widths come from the plain text only, so the table lines
 * up the same with and without colours; colours only when the caller says the output is a
 * terminal.
 */
import { Expectation, ReachReport, ReachRow, RowKind, RowStatus } from "./reach-report";

export interface FormatOptions {
  /** ANSI colours for the result column and the problems; for a TTY only. */
  readonly color: boolean;
}

const SECTION_TITLES: Readonly<Record<RowKind, (report: ReachReport) => string>> = {
  "client-to-workload": (report) => `clients → workloads (round trip; the copy in ${report.activeRegion ?? "the active region"} must answer)`,
  "passive-to-client": (report) => `passive copies (${report.passiveRegions.join(", ")}) → clients (must be fenced)`,
  "peering-to-passive": (report) => `workload traffic arriving over the peering in ${report.passiveRegions.join(", ")} (must not enter the passive copy)`,
};

const RESULT_TEXT: Readonly<Record<RowStatus, string>> = { ok: "ok", warning: "warn", failure: "FAIL", unknown: "unknown" };
const COLOURS: Readonly<Record<RowStatus, string>> = { ok: "32", warning: "33", failure: "31", unknown: "35" };

// Fixed for every report, so a column never moves because one run had a longer verdict.
const RESULT_WIDTH = Math.max(...Object.values(RESULT_TEXT).map((text) => text.length));
const VERDICT_WIDTH = "delivered".length;

export function formatReachTable(report: ReachReport, options: FormatOptions = { color: false }): string {
  const paint = (status: RowStatus, text: string): string => (options.color ? `\u001b[${COLOURS[status]}m${text}\u001b[0m` : text);
  const lines: string[] = [activeRegionLine(report)];
  for (const { region, reason } of report.unreadRegions) {
    lines.push(paint("unknown", `NOT READ: ${region} (${reason}); rows that need it are unknown, not failures`));
  }

  const regionNames = [report.activeRegion, ...report.passiveRegions, ...report.unreadRegions.map((u) => u.region)].filter((r): r is string => !!r);
  const widths = {
    client: Math.max("client".length, ...report.rows.map((row) => row.client.length)),
    destination: Math.max("destination".length, ...report.rows.map((row) => row.destination.length)),
    region: Math.max("region".length, ...regionNames.map((name) => name.length)),
  };
  const line = (result: string, resultStatus: RowStatus | undefined, client: string, destination: string, verdict: string, region: string, notes: string): string => {
    const resultCell = result.padEnd(RESULT_WIDTH);
    const cells = [
      resultStatus ? paint(resultStatus, resultCell) : resultCell,
      client.padEnd(widths.client),
      destination.padEnd(widths.destination),
      verdict.padEnd(VERDICT_WIDTH),
      region.padEnd(widths.region),
      notes,
    ];
    return `  ${cells.join("  ")}`.trimEnd();
  };

  for (const kind of Object.keys(SECTION_TITLES) as RowKind[]) {
    const rows = report.rows.filter((row) => row.kind === kind);
    if (rows.length === 0) continue;
    lines.push("", SECTION_TITLES[kind](report), line("result", undefined, "client", "destination", "verdict", "region", "notes"));
    for (const row of rows) {
      lines.push(line(RESULT_TEXT[row.status], row.status, row.client, row.destination, row.verdict, row.region ?? "-", notes(row)));
    }
  }

  const failures = report.problems.filter((p) => p.severity === "failure");
  const warnings = report.problems.filter((p) => p.severity === "warning");
  lines.push("", `problems: ${failures.length} failure(s), ${warnings.length} warning(s)`);
  for (const problem of failures) lines.push(`  ${paint("failure", "FAIL")} ${problem.message}`);
  for (const problem of warnings) lines.push(`  ${paint("warning", "warn")} ${problem.message}`);
  lines.push(`exit code ${report.exitCode}`);
  return `${lines.join("\n")}\n`;
}

function activeRegionLine(report: ReachReport): string {
  switch (report.activeRegionSource) {
    case "given":
      return `active region: ${report.activeRegion}`;
    case "inferred":
      return `active region: ${report.activeRegion} (inferred: most requests reach it)`;
    case "unknown":
      return "active region: unknown (it could not be inferred; see the problems)";
  }
}

/** Nothing for a plain success; what was expected and why it ended otherwise; the way an asymmetric path took. */
function notes(row: ReachRow): string {
  if (row.status === "ok") return "";
  if (row.ok) return row.asymmetric ? `asymmetric: ${row.reason}` : (row.reason ?? "");
  const leg = row.failedLeg ? `${row.failedLeg} leg: ` : "";
  const outcome = row.verdict === "delivered" && !row.failedLeg ? `delivered in ${row.region}${row.reason ? `; ${row.reason}` : ""}` : (row.reason ?? row.verdict);
  return `expected ${expectationText(row.expected)}; ${leg}${outcome}`;
}

function expectationText(expected: Expectation): string {
  switch (expected.verdict) {
    case "delivered":
      return expected.region ? `delivered in ${expected.region}` : "delivered";
    case "fenced":
      return "fenced";
    case "not-delivered-in":
      return `not delivered in ${expected.region}`;
  }
}
