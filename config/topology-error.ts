/** A rejected topology: every problem with its field, the bad value and how to fix it. */
import { FIX_SEPARATOR } from "./topology-schema";

export interface TopologyProblem {
  /** Dotted field path, e.g. `primary.managementCidr`; empty for the file as a whole. */
  readonly field: string;
  readonly value: unknown;
  readonly problem: string;
  readonly fix: string;
}

export class TopologyError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly TopologyProblem[],
  ) {
    super(formatProblems(source, problems));
    this.name = "TopologyError";
  }
}

export function formatProblems(source: string, problems: readonly TopologyProblem[]): string {
  const lines = problems.map((p) => {
    const where = p.field || "(file)";
    const value = p.value === undefined ? "" : ` = ${JSON.stringify(p.value)}`;
    return `  - ${where}${value}: ${p.problem}.${FIX_SEPARATOR}${p.fix}`;
  });
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return `Invalid topology ${source} (${count}); nothing was synthesized:\n${lines.join("\n")}`;
}

/** Each problem once, in the order found. */
export function dedupeProblems(problems: readonly TopologyProblem[]): TopologyProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.field}|${p.problem}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
