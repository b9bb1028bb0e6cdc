/**
 * Loading the topology: read the file, parse its JSON (errors with line and column), validate
 * it against the schema and the cross-field rules (every problem at once), and resolve the model
 * the stacks build from. The pieces live in their own modules; this one only joins them.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { topologySchema } from "./topology-schema";
import { crossFieldProblems } from "./topology-rules";
import { CrossFieldIssueParams, problemsFromZodIssue } from "./zod-issues";
import { TopologyError, dedupeProblems } from "./topology-error";
import { Topology, resolveTopology } from "./topology-model";

export * from "./topology-model";
export { TopologyError, formatProblems } from "./topology-error";
export type { TopologyProblem } from "./topology-error";

/** The project root: the folder holding package.json, one level above this module. */
export const PROJECT_ROOT = path.resolve(__dirname, "..");

export const TOPOLOGY_ENV = "REGIONPAIR_TOPOLOGY";

/** `$REGIONPAIR_TOPOLOGY` if set (relative to the working directory), else `<project>/topology.json`. */
export function topologyPath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[TOPOLOGY_ENV];
  return fromEnv ? path.resolve(fromEnv) : path.join(PROJECT_ROOT, "topology.json");
}

export function loadTopology(file: string = topologyPath()): Topology {
  if (!existsSync(file)) {
    throw new TopologyError(file, [
      {
        field: "",
        value: undefined,
        problem: "the file does not exist",
        fix: `create it (the shipped topology.json is an example) or point ${TOPOLOGY_ENV} at your file`,
      },
    ]);
  }
  const text = readFileSync(file, "utf8");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new TopologyError(file, [{ field: "", value: undefined, problem: `it is not valid JSON: ${describeJsonError(error as Error, text)}`, fix: "correct the JSON syntax there" }]);
  }
  return parseTopology(raw, file);
}

/**
 * Node reports a JSON syntax error with a character offset ("… in JSON at position 17", and on
 * newer versions also "(line 2 column 5)"); people need the line and column.
 */
export function describeJsonError(error: Error, text: string): string {
  const reason = error.message.replace(/\s*(in JSON )?at position \d+.*$/s, "").replace(/\s*\(line \d+ column \d+\)\s*$/, "");
  const position = /at position (\d+)/.exec(error.message);
  if (!position) return reason;
  const offset = Number(position[1]);
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return `${reason} at line ${line}, column ${column}`;
}

/**
 * The schema plus the cross-field rules. Zod runs this refinement even after field-level
 * refinements failed (not after type errors), so one run reports nearly every problem.
 */
const checkedSchema = topologySchema.superRefine((input, ctx) => {
  for (const problem of crossFieldProblems(input)) {
    const params: CrossFieldIssueParams = { problem };
    ctx.addIssue({ code: "custom", path: [], message: problem.problem, params });
  }
});

/** Validates an already-parsed topology document. Throws TopologyError listing every problem. */
export function parseTopology(raw: unknown, source = "(inline)"): Topology {
  const parsed = checkedSchema.safeParse(raw);
  if (!parsed.success) {
    throw new TopologyError(source, dedupeProblems(parsed.error.issues.flatMap((issue) => problemsFromZodIssue(issue, raw))));
  }
  return resolveTopology(parsed.data, source);
}
