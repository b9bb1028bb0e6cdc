/**
 * AWS clients for the scripts: one per service and region, created on first use and reused, each
 * with the retry settings every command shares and an optional endpoint (the EC2 interface
 * endpoint of a VPC, or the local emulator). Credentials come from the SDK's default chain, or
 * the emulator's fixed keys when REGIONPAIR_EMULATOR_URL points a region at the emulator.
 */
import { EC2Client } from "@aws-sdk/client-ec2";
import { SSMClient } from "@aws-sdk/client-ssm";
import { recordAwsCallContext } from "./aws-errors";
import { UsageError } from "./cli";
import { isAwsRegion } from "../../config/regions";
import { deploymentTarget } from "../../config/target";

/**
 * Attempts per API call, retries included. EC2 throttles per account and Region
 * (RequestLimitExceeded); the SDK's standard retry strategy backs off with jitter between them.
 */
export const DEFAULT_MAX_ATTEMPTS = 8;

export interface AwsClientsOptions<C> {
  /** Endpoint per region, e.g. `https://vpce-0abc-1234.ec2.eu-west-1.vpce.amazonaws.com`. @default the public regional endpoint */
  readonly endpoints?: Readonly<Record<string, string | undefined>>;
  /** @default $AWS_MAX_ATTEMPTS, else DEFAULT_MAX_ATTEMPTS */
  readonly maxAttempts?: number;
  /** Called once for each new client, e.g. to add middleware that counts calls. */
  readonly onClientCreated?: (client: C, region: string) => void;
  /** Fixed credentials (the emulator's). @default the SDK's default chain */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /**
   * Per-request time limits, so a dead endpoint fails fast: no connection within `connectMs`, or
   * no answer within `requestMs` (a hung endpoint), fails the attempt with a TimeoutError.
   * @default the SDK's (none)
   */
  readonly timeouts?: { readonly connectMs: number; readonly requestMs: number };
}

export type Ec2ClientsOptions = AwsClientsOptions<EC2Client>;

/** The configuration every client of a command shares, for one region. */
interface ClientConfig {
  readonly region: string;
  readonly endpoint?: string;
  readonly retryMode: "standard";
  readonly maxAttempts: number;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly requestHandler?: { readonly connectionTimeout: number; readonly requestTimeout: number; readonly throwOnRequestTimeout: boolean };
}

/** One client per region for the life of a command. */
abstract class RegionalClients<C extends EC2Client | SSMClient> {
  private readonly clients = new Map<string, C>();

  constructor(private readonly options: AwsClientsOptions<C> = {}) {}

  protected abstract create(config: ClientConfig): C;

  forRegion(region: string): C {
    const existing = this.clients.get(region);
    if (existing) return existing;
    const endpoint = this.options.endpoints?.[region];
    const client = this.create({
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

/** One EC2 client per region for the life of a command. */
export class Ec2Clients extends RegionalClients<EC2Client> {
  protected create(config: ClientConfig): EC2Client {
    return new EC2Client(config);
  }
}

/** One Systems Manager client per region for the life of a command. */
export class SsmClients extends RegionalClients<SSMClient> {
  protected create(config: ClientConfig): SSMClient {
    return new SSMClient(config);
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

export interface ResolvedEndpoints {
  /** Endpoint per region; undefined means the public regional endpoint. */
  readonly endpoints: Readonly<Record<string, string | undefined>>;
  /** True when any region goes to the emulator named by REGIONPAIR_EMULATOR_URL(_<REGION>). */
  readonly emulator: boolean;
}

/**
 * Where each region's calls go: the endpoint given on the command line, else the emulator named
 * by REGIONPAIR_EMULATOR_URL_<REGION> or REGIONPAIR_EMULATOR_URL (the variables `cdktf synth`
 * reads), else AWS. Every AWS command goes through this, so all of them can be tried against an
 * emulator, also with one region's API made unreachable.
 */
export function resolveEndpoints(
  regions: readonly string[],
  explicit: Readonly<Record<string, string | undefined>> = {},
  env: NodeJS.ProcessEnv = process.env,
): ResolvedEndpoints {
  const target = deploymentTarget(env);
  let emulator = false;
  const endpoints: Record<string, string | undefined> = {};
  for (const region of new Set([...regions, ...Object.keys(explicit)])) {
    const fromEnvironment = target.emulatorEndpoint(region);
    endpoints[region] = explicit[region] ?? fromEnvironment;
    if (explicit[region] === undefined && fromEnvironment !== undefined) emulator = true;
  }
  return { endpoints, emulator };
}
