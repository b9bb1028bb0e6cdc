/**
 * Permission checks with EC2's DryRun flag: the call is authorized but not performed. AWS answers
 * DryRunOperation when the caller has the permission and UnauthorizedOperation when it does not;
 * any other answer means the check could not be made with these parameters.
 */
import { awsErrorCode, ec2Permission, toExternalError } from "./aws-errors";
import { ExternalError } from "./cli";

export type PermissionVerdict = "allowed" | "missing" | "unverified";

export interface PermissionCheck {
  /** The IAM action, e.g. `ec2:CreateImage`. */
  readonly permission: string;
  readonly region: string;
  readonly verdict: PermissionVerdict;
  /** What the call was tried on, e.g. an instance id. */
  readonly target?: string;
  /** The AWS code when the verdict is `unverified` or `missing`. */
  readonly code?: string;
}

/**
 * Makes the call with `DryRun: true` (`send` receives the flag to put in its input) and
 * classifies the answer. Errors that are not AWS answers (network, credentials) are thrown as
 * ExternalErrors: no check can be made at all.
 */
export async function checkPermission(
  send: (dryRun: true) => Promise<unknown>,
  check: { readonly operation: string; readonly region: string; readonly target?: string },
): Promise<PermissionCheck> {
  const base = { permission: ec2Permission(check.operation), region: check.region, target: check.target };
  try {
    await send(true);
  } catch (error) {
    const code = awsErrorCode(error);
    if (code === "DryRunOperation") return { ...base, verdict: "allowed" };
    if (code === "UnauthorizedOperation" || code === "AccessDenied") return { ...base, verdict: "missing", code };
    if (code === undefined || code === "CredentialsProviderError" || (error as { $metadata?: unknown }).$metadata === undefined) {
      throw toExternalError(error, check);
    }
    return { ...base, verdict: "unverified", code };
  }
  // EC2 never performs a DryRun call; an endpoint that did must not be trusted with more.
  throw new ExternalError(`${check.operation} in ${check.region} ignored DryRun`, "DryRunIgnored", "the --endpoint-url: it does not behave like EC2");
}

/** Lines for a human: one per check, the missing ones marked. */
export function formatPermissionChecks(checks: readonly PermissionCheck[]): string[] {
  const width = Math.max(0, ...checks.map((c) => c.permission.length));
  return checks.map((c) => {
    const verdict = c.verdict === "allowed" ? "allowed" : c.verdict === "missing" ? "MISSING" : `not verified (${c.code})`;
    const target = c.target ? `  ${c.target}` : "";
    return `  ${c.permission.padEnd(width)}  ${c.region.padEnd(14)}  ${verdict}${target}`;
  });
}

/** The error to exit with when any permission is missing; undefined when none is. */
export function missingPermissionsError(checks: readonly PermissionCheck[], policyCommand: string): ExternalError | undefined {
  const missing = checks.filter((c) => c.verdict === "missing");
  if (missing.length === 0) return undefined;
  const names = [...new Set(missing.map((c) => `${c.permission} in ${c.region}`))];
  return new ExternalError(`dry run: missing permission${names.length > 1 ? "s" : ""}: ${names.join(", ")}`, "UnauthorizedOperation", `grant them to the role: ${policyCommand} prints the role's generated policy`);
}
