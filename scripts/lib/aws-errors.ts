/**
 * One mapping from AWS failures to what the user sees: the AWS error code, the call and Region
 * that failed, and what to check next (a missing permission by name, a KMS key that is not in
 * the Region, throttling, credentials, an unreachable endpoint). Errors are told apart by their
 * `name` (the AWS error code) and SDK metadata, never by message text.
 */
import { EC2Client } from "@aws-sdk/client-ec2";
import { SSMClient } from "@aws-sdk/client-ssm";
import { ExternalError } from "./cli";

/** Which call failed; attached to errors by `recordAwsCallContext` or passed explicitly. */
export interface AwsCallContext {
  /** The API operation, e.g. `CopyImage`. */
  readonly operation?: string;
  readonly region?: string;
  /** The IAM service prefix of the call, e.g. `ssm`. @default ec2 */
  readonly service?: string;
}

const CALL_CONTEXT = Symbol("regionpair.awsCallContext");

/** Codes EC2 and the SDK use when a caller is sending too fast. */
const THROTTLING_CODES = new Set([
  "RequestLimitExceeded",
  "Throttling",
  "ThrottlingException",
  "TooManyRequestsException",
  "RequestThrottled",
  "RequestThrottledException",
  "EC2ThrottledException",
  "SlowDown",
]);

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH"]);

/**
 * Names of the errors a call ends with when no answer came in time: the SDK's request time-out
 * (`TimeoutError`), an abort signal fired by a time limit (`AbortError`, e.g. an endpoint that
 * accepts the connection and never answers), and the HTTP 408-style codes.
 */
const NO_ANSWER_NAMES = new Set(["TimeoutError", "AbortError", "RequestTimeout", "RequestTimeoutException"]);

const CREDENTIAL_CODES = new Set([
  "AuthFailure",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "SignatureDoesNotMatch",
  "ExpiredToken",
  "ExpiredTokenException",
  "RequestExpired",
  "CredentialsProviderError",
]);

interface ErrorLike {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $fault?: "client" | "server";
  readonly $metadata?: { readonly httpStatusCode?: number };
}

function asErrorLike(error: unknown): ErrorLike | undefined {
  return error !== null && typeof error === "object" ? (error as ErrorLike) : undefined;
}

/** The AWS error code of an SDK service error (its `name`), or the Node network error code. */
export function awsErrorCode(error: unknown): string | undefined {
  const e = asErrorLike(error);
  if (!e) return undefined;
  if (e.$metadata !== undefined || e.$fault !== undefined) return e.name;
  if (e.name === "CredentialsProviderError") return e.name;
  if (e.code && NETWORK_CODES.has(e.code)) return e.code;
  return undefined;
}

/** The Node network error code (ECONNREFUSED, ETIMEDOUT…) of a failed call, if it is one. */
export function networkErrorCode(error: unknown): string | undefined {
  const code = asErrorLike(error)?.code;
  return code && NETWORK_CODES.has(code) ? code : undefined;
}

export function isThrottlingError(error: unknown): boolean {
  const code = awsErrorCode(error);
  return (code !== undefined && THROTTLING_CODES.has(code)) || asErrorLike(error)?.$metadata?.httpStatusCode === 429;
}

/** Worth trying again later: throttling, a server-side fault, or a dropped connection. */
export function isTransientError(error: unknown): boolean {
  const e = asErrorLike(error);
  if (!e) return false;
  if (isThrottlingError(error)) return true;
  if (e.$fault === "server") return true;
  return e.code !== undefined && NETWORK_CODES.has(e.code);
}

/**
 * The Region's API did not answer: a network failure, a time-out, a hung connection or a
 * server-side fault. Used to tell a region that is down from one that answered with an error
 * (throttling is neither: it is retried). An AbortError counts too: the SDK throws one, without
 * saying why, when a request given `abortSignal: AbortSignal.timeout(ms)` was still hanging when
 * the time ran out. A caller that also aborts on Ctrl-C must check its own signal first.
 */
export function isUnreachableError(error: unknown): boolean {
  const e = asErrorLike(error);
  if (!e) return false;
  if ((e.code && NETWORK_CODES.has(e.code)) || NETWORK_CODES.has(e.name ?? "") || NO_ANSWER_NAMES.has(e.name ?? "")) return true;
  if (isThrottlingError(error)) return false;
  return e.$fault === "server" || (e.$metadata?.httpStatusCode ?? 0) >= 500;
}

/** The caller's credentials were refused or could not be found. */
export function isCredentialError(error: unknown): boolean {
  const code = awsErrorCode(error);
  return code !== undefined && CREDENTIAL_CODES.has(code);
}

/** The caller is not allowed to make the call (IAM, SCP or permission boundary). */
export function isPermissionError(error: unknown): boolean {
  const code = awsErrorCode(error);
  return code === "UnauthorizedOperation" || code === "AccessDenied" || code === "AccessDeniedException";
}

/** The operation and Region recorded on an SDK error by `recordAwsCallContext`, if any. */
export function recordedCallContext(error: unknown): AwsCallContext {
  return callContext(error, {});
}

/** The IAM action an EC2 operation needs, e.g. `ec2:CopyImage`. */
export function ec2Permission(operation: string): string {
  return `ec2:${operation}`;
}

/**
 * Adds middleware that records the operation and Region on every error the client throws, so
 * that `toExternalError` can name the permission that was missing without each caller saying so.
 */
export function recordAwsCallContext(client: EC2Client | SSMClient, region: string): void {
  const service = client instanceof SSMClient ? "ssm" : "ec2";
  // The two clients' middleware stacks differ only in their input and output types.
  (client as EC2Client).middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        const operation = context.commandName?.replace(/Command$/, "");
        if (error !== null && typeof error === "object" && !(CALL_CONTEXT in error)) {
          Object.defineProperty(error, CALL_CONTEXT, { value: { operation, region, service }, enumerable: false });
        }
        throw error;
      }
    },
    { step: "initialize", name: "regionpairAwsCallContext" },
  );
}

/**
 * Records which operation a call was, on the error it fails with, unless the client's middleware
 * already did: mocked clients and errors raised before the middleware runs carry no context.
 */
export function withOperation<T>(operation: string, call: Promise<T>): Promise<T> {
  return call.catch((error: unknown) => {
    if (error !== null && typeof error === "object" && !(CALL_CONTEXT in error)) {
      Object.defineProperty(error, CALL_CONTEXT, { value: { operation }, enumerable: false });
    }
    throw error;
  });
}

function callContext(error: unknown, fallback: AwsCallContext): AwsCallContext {
  const recorded = (asErrorLike(error) as { [CALL_CONTEXT]?: AwsCallContext } | undefined)?.[CALL_CONTEXT];
  return {
    operation: fallback.operation ?? recorded?.operation,
    region: fallback.region ?? recorded?.region,
    service: fallback.service ?? recorded?.service,
  };
}

function describeCall({ operation, region }: AwsCallContext): string {
  if (operation && region) return `${operation} in ${region}`;
  return operation ?? (region ? `a call in ${region}` : "an AWS call");
}

/** What to check for a given code; undefined when the AWS message is the best guide. */
function hintFor(code: string, context: AwsCallContext): string | undefined {
  const where = context.region ?? "the Region";
  if (code === "UnauthorizedOperation" || code === "AccessDenied" || code === "AccessDeniedException") {
    const permission = context.operation ? `${context.service ?? "ec2"}:${context.operation}` : "the permission for this call";
    return `the role lacks ${permission} in ${where}, or the resource is outside its scope (the generated policies act on the topology's resources only, e.g. instances tagged regionpair:topology): 'npx regionpair iam policy <role>' prints what each role needs (docs/permissions.md); 'aws sts decode-authorization-message' decodes an encoded message to show which policy denied it`;
  }
  if (CREDENTIAL_CODES.has(code)) {
    return "the AWS credentials: AWS_PROFILE or the role session, that they are not expired, and that the clock is right";
  }
  if (code === "OptInRequired" || code === "Blocked") return `that the account is enabled for ${where}`;
  if (THROTTLING_CODES.has(code)) {
    return "EC2 kept throttling after every retry: lower --concurrency, raise AWS_MAX_ATTEMPTS, or run again later (a rerun continues where this one stopped)";
  }
  if (code === "ResourceLimitExceeded") {
    return `copies in progress to ${where}: AWS allows 100 concurrent AMI copies and 20 concurrent snapshot copies per destination Region; lower --concurrency or wait for other copies`;
  }
  if (code.startsWith("InvalidInstanceID")) return `the instance ids, and that they are in ${where}`;
  if (code.startsWith("InvalidAMIID")) return `the image ids, and that the images are in ${where} and not deregistered`;
  if (code.startsWith("InvalidSnapshot")) return `the snapshot ids in ${where}; a snapshot still used by a registered AMI cannot be deleted`;
  if (code.startsWith("InvalidKMSKey") || code === "KMSKeyNotAccessibleFault" || code === "InvalidKmsKey") {
    return `that the KMS key exists in ${where} (KMS keys are regional: use a key or multi-Region replica in ${where}), is enabled, and that its key policy lets the role use it`;
  }
  if (code === "InvalidAMIName.Duplicate") return `an AMI of the same name already exists in ${where}`;
  if (code === "IdempotentParameterMismatch") return "a request with the same client token had other parameters: an image from an earlier run differs from this one";
  if (code === "IncorrectInstanceState") return "the instance's state: ENA and instance type changes need a stopped instance";
  if (code === "InvalidInstanceType") return `that the instance type exists and is offered in ${where}`;
  if (code === "InvalidParameterCombination") {
    return "the parameters together; an instance type that requires ENA starts only with ENA support enabled";
  }
  if (code === "InsufficientInstanceCapacity") return "capacity for the instance type in this Availability Zone: retry later or choose another type";
  if (NETWORK_CODES.has(code) || NO_ANSWER_NAMES.has(code)) {
    return "that the EC2 endpoint is reachable: --endpoint-url, DNS, routes and the interface endpoint's security group";
  }
  return undefined;
}

/**
 * Turns an AWS, credential or network failure into an ExternalError (exit 1, code, what to
 * check). Anything else is returned unchanged: it is a bug and keeps its stack trace.
 */
export function toExternalError(error: unknown, fallback: AwsCallContext = {}): unknown {
  if (error instanceof ExternalError) return error;
  const code = awsErrorCode(error);
  if (!code) return error;
  const context = callContext(error, fallback);
  const message = asErrorLike(error)?.message?.trim() || code;
  return new ExternalError(`${describeCall(context)} failed: ${message}`, code, hintFor(code, context));
}

/** Runs `work`, rethrowing AWS failures as ExternalError with the given context. */
export async function withAwsErrors<T>(context: AwsCallContext, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toExternalError(error, context);
  }
}
