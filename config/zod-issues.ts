/**
 * Turns the issues zod reports for the topology file into TopologyProblems: the dotted field
 * path, the value found there, and a problem and fix in words. Uses zod's public schema API only
 * (`ZodObject.shape`, `ZodArray.element`, `unwrap()`), so an upgrade cannot silently change it.
 */
import { z } from "zod";
import { FIX_SEPARATOR, topologySchema } from "./topology-schema";
import { TopologyProblem } from "./topology-error";
import { closeMatch } from "./suggestions";

/** A cross-field problem travels through zod as a custom issue carrying the finished problem. */
export interface CrossFieldIssueParams {
  readonly problem: TopologyProblem;
}

export function problemsFromZodIssue(issue: z.core.$ZodIssue, raw: unknown): TopologyProblem[] {
  const crossField = issue.code === "custom" ? (issue.params as Partial<CrossFieldIssueParams> | undefined)?.problem : undefined;
  if (crossField) return [crossField];
  const field = fieldPath(issue.path);
  const value = valueAt(raw, issue.path);
  if (issue.code === "unrecognized_keys") {
    const known = knownKeysAt(issue.path);
    return issue.keys.map((key) => ({
      field: field ? `${field}.${key}` : key,
      value: undefined,
      problem: "is not a known field",
      fix: unknownKeyFix(key, known),
    }));
  }
  const [problem, fix] = problemAndFix(issue, value);
  return [{ field, value, problem, fix }];
}

export function fieldPath(segments: readonly PropertyKey[]): string {
  return segments
    .map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? String(s) : `.${String(s)}`))
    .join("");
}

function valueAt(raw: unknown, segments: readonly PropertyKey[]): unknown {
  let current: unknown = raw;
  for (const segment of segments) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/** Optional and piped (transformed) schemas wrap the one that has the shape. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodOptional) current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodPipe) current = current.in as z.ZodType;
    else return current;
  }
}

/** The field names allowed at a path of the document, for "did you mean" hints. */
function knownKeysAt(segments: readonly PropertyKey[]): readonly string[] {
  let schema: z.ZodType | undefined = topologySchema;
  for (const segment of segments) {
    const current: z.ZodType = unwrap(schema);
    if (current instanceof z.ZodObject) schema = (current.shape as Record<string, z.ZodType>)[String(segment)];
    else if (current instanceof z.ZodArray) schema = current.element as z.ZodType;
    else return [];
    if (!schema) return [];
  }
  const target = unwrap(schema);
  return target instanceof z.ZodObject ? Object.keys(target.shape) : [];
}

function unknownKeyFix(key: string, known: readonly string[]): string {
  const candidate = closeMatch(key, known);
  return candidate ? `remove it, or did you mean "${candidate}"?` : `remove it (known fields here: ${known.join(", ")})`;
}

function problemAndFix(issue: z.core.$ZodIssue, value: unknown): [string, string] {
  const index = issue.message.indexOf(FIX_SEPARATOR);
  if (index >= 0) {
    return [issue.message.slice(0, index).replace(/\.$/, ""), issue.message.slice(index + FIX_SEPARATOR.length)];
  }
  switch (issue.code) {
    case "invalid_type":
      return value === undefined
        ? ["is required", `add it (${issue.expected})`]
        : [`must be ${article(issue.expected)}, not ${describe(value)}`, `write it as ${article(issue.expected)}`];
    case "too_small":
      return [`must be at least ${issue.minimum}${issue.origin === "array" ? " item(s)" : ""}`, "raise it"];
    case "too_big":
      return [`must be at most ${issue.maximum}${issue.origin === "array" ? " item(s)" : ""}`, "lower it"];
    case "invalid_value":
      return [`must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`, "use one of those values"];
    default:
      return [issue.message.replace(/\.$/, ""), "correct the value"];
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return article(typeof value);
}
