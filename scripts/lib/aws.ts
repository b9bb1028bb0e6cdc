/**
 * EC2 clients for the scripts: one per region, created on first use and reused, each with the
 * retry settings every command shares and an optional endpoint (the EC2 interface endpoint of a
 * VPC, or the local emulator). Credentials come from the SDK's default chain.
 */
import { EC2Client } from "@aws-sdk/client-ec2";
import { recordAwsCallContext } from "./aws-errors";
import { UsageError } from "./cli";
import { isAwsRegion } from "../../config/regions";

/**
 * Attempts per API call, retries included. EC2 throttles per account and Region
 * (RequestLimitExceeded); the SDK's standard retry strategy backs off with jitter between them.
 */
export const DEFAULT_MAX_ATTEMPTS = 8;

export interface Ec2ClientsOptions {
  /** Endpoint per region, e.g. `https://vpce-0abc-1234.ec2.eu-west-1.vpce.amazonaws.com`. @default the public regional endpoint */
  readonly endpoints?: Readonly<Record<string, string | undefined>>;
  /** @default $AWS_MAX_ATTEMPTS, else DEFAULT_MAX_ATTEMPTS */
  readonly maxAttempts?: number;
  /** Called once for each new client, e.g. to add middleware that counts calls. */
  readonly onClientCreated?: (client: EC2Client, region: string) => void;
  /** Fixed credentials (the emulator's). @default the SDK's default chain */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /**
   * Per-request time limits, so a dead endpoint fails fast: no connection within `connectMs`, or
   * no answer within `requestMs` (a hung endpoint), fails the attempt with a TimeoutError.
   * @default the SDK's (none)
   */
  readonly timeouts?: { readonly connectMs: number; readonly requestMs: number };
}

/** One EC2 client per region for the life of a command. */
export class Ec2Clients {
  private readonly clients = new Map<string, EC2Client>();

  constructor(private readonly options: Ec2ClientsOptions = {}) {}

  forRegion(region: string): EC2Client {
    const existing = this.clients.get(region);
    if (existing) return existing;
    const endpoint = this.options.endpoints?.[region];
    const client = new EC2Client({
      region,
      ...(endpoint ? { endpoint } : {}),
      retryMode: "standard",
      maxAttempts: this.options.maxAttempts ?? maxAttemptsFromEnvironment(),
      ...(this.options.credentials ? { credentials: this.options.credentials } : {}),
      ...(this.options.timeouts
        ? {
            // Without throwOnRequestTimeout the handler only logs a warning when requestTimeout
            // passes and keeps waiting: a hung endpoint would never fail.
            requestHandler: { connectionTimeout: this.options.timeouts.connectMs, requestTimeout: this.options.timeouts.requestMs, throwOnRequestTimeout: true },
          }
        : {}),
    });
    recordAwsCallContext(client, region);
    this.options.onClientCreated?.(client, region);
    this.clients.set(region, client);
    return client;
  }

  /** Closes every client's connections so the process can exit promptly. */
  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }
}

function maxAttemptsFromEnvironment(): number {
  const fromEnvironment = Number(process.env.AWS_MAX_ATTEMPTS);
  return Number.isInteger(fromEnvironment) && fromEnvironment > 0 ? fromEnvironment : DEFAULT_MAX_ATTEMPTS;
}

/** Validates a `--region`-style option or throws a UsageError naming it. */
export function parseRegion(option: string, value: string | undefined): string {
  if (!value) throw new UsageError(`--${option} is required (an AWS region such as eu-west-1)`);
  if (!isAwsRegion(value)) throw new UsageError(`--${option} '${value}' is not an AWS region (for example eu-west-1)`);
  return value;
}

/** Validates an `--endpoint-url`-style option: an absolute http(s) URL. */
export function parseEndpointUrl(option: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--${option} '${value}' is not a URL (for example https://vpce-0abc.ec2.eu-west-1.vpce.amazonaws.com)`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new UsageError(`--${option} '${value}' must be an http(s) URL`);
  }
  return value;
}
