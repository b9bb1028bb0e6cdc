/**
 * What went wrong in one region, for the failover's report: the outcome it gives the region
 * (`unreachable` when its API did not answer, `failed` when it answered with an error), the AWS
 * error code (or terraform's), the call, and what to check. Errors are told apart by name and
 * SDK metadata, never by message text. Anything that is not an AWS, network or terraform failure
 * is a bug and says so, but still only fails its own region.
 */
import { ec2Permission, networkErrorCode, isCredentialError, isPermissionError, isThrottlingError, isUnreachableError, recordedCallContext, toExternalError } from "../lib/aws-errors";
import { ExternalError } from "../lib/cli";
import { TerraformStateLockedError, TerraformTimeoutError } from "../lib/terraform";

export interface RegionProblem {
  readonly outcome: "unreachable" | "failed";
  /** The AWS error code (e.g. `UnauthorizedOperation`, `TimeoutError`) or terraform's (`TerraformTimeout`, `StateLocked`). */
  readonly code: string;
  /** The API call that failed, e.g. `ReplaceTransitGatewayRoute`. */
  readonly operation?: string;
  /** The IAM action that was denied, e.g. `ec2:ReplaceTransitGatewayRoute`. */
  readonly permission?: string;
  readonly message: string;
  /** What to check or do next. */
  readonly check: string;
  /** A lock left held, with the command that releases it. */
  readonly lock?: { readonly id: string; readonly release: string };
}

function firstLine(text: string): string {
  return text.split("\n")[0];
}

export function classifyRegionError(error: unknown, region: string): RegionProblem {
  if (error instanceof TerraformStateLockedError) {
    return { outcome: "failed", code: "StateLocked", message: error.message, check: error.hint!, lock: { id: error.lock.id, release: error.hint!.replace(/^.*release it: /, "") } };
  }
  if (error instanceof TerraformTimeoutError) {
    // The caller probes the region to tell an outage from a slow run; this is the slow run.
    return {
      outcome: "failed",
      code: "TerraformTimeout",
      message: error.message,
      check: error.hint!,
      ...(error.lock && error.stackDir ? { lock: { id: error.lock.id, release: `terraform -chdir=${error.stackDir} force-unlock -force ${error.lock.id}` } } : {}),
    };
  }
  const context = recordedCallContext(error);
  const operation = context.operation;
  const name = (error as { name?: string } | undefined)?.name ?? "Error";
  const message = firstLine(((error as { message?: string } | undefined)?.message ?? String(error)).trim()) || name;
  const call = operation ? `${operation} in ${region}` : `a call to ${region}`;
  if (isUnreachableError(error)) {
    return {
      outcome: "unreachable",
      // A plain Error from the socket says what happened in its code (ECONNREFUSED…).
      code: name === "Error" ? (networkErrorCode(error) ?? name) : name,
      operation,
      message: `${call} got no answer: ${message}`,
      check: `that the EC2 endpoint for ${region} is reachable (network path, DNS, proxy, the region's health); nothing more was changed there`,
    };
  }
  if (isThrottlingError(error)) {
    return { outcome: "failed", code: name, operation, message: `${call} was throttled: ${message}`, check: "run again later or with a longer --timeout: EC2's request budget is shared by the account" };
  }
  if (isPermissionError(error)) {
    const permission = operation ? ec2Permission(operation) : undefined;
    return {
      outcome: "failed",
      code: name,
      operation,
      permission,
      message: `${call} was denied: ${message}`,
      check: `grant ${permission ?? "the EC2 permission for this call"} in ${region} to the failover role ('npx regionpair iam policy failover' prints every permission a failover needs); 'aws sts decode-authorization-message' shows which policy denied it`,
    };
  }
  if (isCredentialError(error)) {
    return { outcome: "failed", code: name, operation, message: `${call} refused the credentials: ${message}`, check: "the AWS credentials: AWS_PROFILE or the role session, that they are not expired, and that the clock is right" };
  }
  const external = toExternalError(error, { operation, region });
  if (external instanceof ExternalError) {
    return { outcome: "failed", code: external.code ?? name, operation, message: external.message, check: external.hint ?? `the ${operation ?? "AWS"} error above, in ${region}` };
  }
  return {
    outcome: "failed",
    code: "InternalError",
    message: `a bug in regionpair stopped ${region}: ${(error as Error)?.stack ?? String(error)}`,
    check: "report it with this output; the other region's result above is unaffected",
  };
}
