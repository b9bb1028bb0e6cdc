/**
 * One preflight check: an action in a region, on a resource, and whether the current credentials
 * may make it. Writes are asked with DryRun (DryRunOperation: allowed; UnauthorizedOperation:
 * missing); reads are made; a call that can be neither is reported unverified, with why.
 */
import { awsErrorCode, isCredentialError, isUnreachableError, toExternalError } from "../lib/aws-errors";
import { ExternalError } from "../lib/cli";
import { checkPermission } from "../lib/dry-run";
import { IamAction } from "../iam/aws-call";

export type PreflightVerdict = "allowed" | "missing" | "unverified";
export type CheckMethod = "dry-run" | "call" | "none";

export interface PreflightCheck {
  readonly action: IamAction;
  readonly region: string;
  /** What it was tried on, e.g. a route table and attachment id. */
  readonly resource?: string;
  readonly verdict: PreflightVerdict;
  readonly method: CheckMethod;
  /** The AWS error code of a missing or unverified check. */
  readonly code?: string;
  /** Why a check is unverified, or how it was made. */
  readonly note?: string;
}

const DENIED = new Set(["UnauthorizedOperation", "AccessDenied", "AccessDeniedException"]);

/** A write, with DryRun: `send` gets the flag to put in its input. */
export async function dryRunCheck(action: IamAction, region: string, resource: string | undefined, send: (dryRun: true) => Promise<unknown>, note?: string): Promise<PreflightCheck> {
  const result = await checkPermission(send, { operation: action.split(":")[1], region, target: resource });
  return { action, region, resource, verdict: result.verdict, method: "dry-run", ...(result.code ? { code: result.code } : {}), ...(note ? { note } : {}) };
}

/** A read, made for real: its answer is what the later checks need. */
export async function readCheck<T>(action: IamAction, region: string, resource: string | undefined, send: () => Promise<T>): Promise<{ check: PreflightCheck; answer?: T }> {
  try {
    const answer = await send();
    return { check: { action, region, resource, verdict: "allowed", method: "call" }, answer };
  } catch (error) {
    const code = awsErrorCode(error);
    if (code !== undefined && DENIED.has(code)) return { check: { action, region, resource, verdict: "missing", method: "call", code } };
    // A region that does not answer, or credentials it refuses, can prove nothing: fail, never
    // report "nothing missing" over checks that could not be made.
    if (isCredentialError(error)) throw toExternalError(error, { operation: action.split(":")[1], region });
    if (isUnreachableError(error)) {
      const reason = (error as { code?: string }).code ?? code ?? (error as Error).name;
      throw new ExternalError(
        `${region} did not answer ${action.split(":")[1]} (${reason}): the preflight could check nothing there`,
        "Unreachable",
        "the region's EC2 endpoint and the network path to it (REGIONPAIR_EMULATOR_URL, a proxy, the VPC endpoint), then run the preflight again",
      );
    }
    if (code === undefined || (error as { $metadata?: unknown }).$metadata === undefined) throw toExternalError(error, { operation: action.split(":")[1], region });
    return { check: { action, region, resource, verdict: "unverified", method: "call", code } };
  }
}

export function unverified(action: IamAction, region: string, note: string, resource?: string): PreflightCheck {
  return { action, region, resource, verdict: "unverified", method: "none", note };
}

export interface PreflightReport {
  readonly role: string;
  readonly regions: readonly string[];
  readonly checks: readonly PreflightCheck[];
  /** Distinct missing actions, e.g. `ec2:ReplaceTransitGatewayRoute in us-west-2`. */
  readonly missing: readonly string[];
}

export function report(role: string, regions: readonly string[], checks: readonly PreflightCheck[]): PreflightReport {
  const missing = [...new Set(checks.filter((c) => c.verdict === "missing").map((c) => `${c.action} in ${c.region}`))];
  return { role, regions, checks, missing };
}

/** A table for people: one line per check, missing ones marked. */
export function formatReport(result: PreflightReport): string {
  const width = Math.max(0, ...result.checks.map((c) => c.action.length));
  const lines = result.checks.map((c) => {
    const verdict = c.verdict === "allowed" ? "allowed" : c.verdict === "missing" ? `MISSING (${c.code})` : `not verified${c.code ? ` (${c.code})` : ""}`;
    const how = c.method === "dry-run" ? "DryRun" : c.method === "call" ? "called" : "-";
    const detail = [c.resource, c.note].filter(Boolean).join("; ");
    return `  ${c.action.padEnd(width)}  ${c.region.padEnd(14)}  ${how.padEnd(6)}  ${verdict}${detail ? `  ${detail}` : ""}`;
  });
  const summary = result.missing.length
    ? `${result.missing.length} missing: ${result.missing.join(", ")}. Grant them (npx regionpair iam policy ${result.role} prints the policy).`
    : `nothing missing (${result.checks.filter((c) => c.verdict === "allowed").length} allowed, ${result.checks.filter((c) => c.verdict === "unverified").length} not verifiable here).`;
  return `preflight --role ${result.role} in ${result.regions.join(", ")}:\n${lines.join("\n")}\n${summary}\n`;
}
