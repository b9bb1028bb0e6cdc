/**
 * The frame the AWS commands run in: one set of EC2 and Systems Manager clients for the run,
 * pointed at the emulator when REGIONPAIR_EMULATOR_URL(_<REGION>) says so, progress on stderr (a
 * live view on a TTY, plain lines in CI, nothing with --json), Ctrl-C and SIGTERM turned into an
 * abort signal, and cleanup however the work ends.
 */
import { AwsClientsOptions, Ec2Clients, SsmClients, resolveEndpoints } from "./aws";
import { EMULATOR_CREDENTIALS } from "./emulator";
import { PermissionCheck, missingPermissionsError } from "./dry-run";
import { Progress, chooseOutputMode, createProgress } from "./progress";

export interface AwsCommandContext {
  readonly clients: Ec2Clients;
  readonly ssm: SsmClients;
  readonly progress: Progress;
  /** Aborted on Ctrl-C or SIGTERM; waits stop, and a rerun continues where this one stopped. */
  readonly signal: AbortSignal;
}

export interface AwsCommandOptions {
  /** Every region the command may call; each can be sent to the emulator by the environment. */
  readonly regions: readonly string[];
  /** EC2 endpoint per region (--endpoint-url); wins over the environment. */
  readonly endpoints?: Readonly<Record<string, string | undefined>>;
  /** Per-region client settings, e.g. short time limits for a region that may be down. */
  readonly clientOptions?: Pick<AwsClientsOptions<never>, "maxAttempts" | "timeouts">;
  readonly json: boolean;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

export async function runAwsCommand<T>(options: AwsCommandOptions, work: (context: AwsCommandContext) => Promise<T>): Promise<T> {
  const env = options.env ?? process.env;
  const ec2 = resolveEndpoints(options.regions, options.endpoints, env);
  // An --endpoint-url is EC2's (a VPC's EC2 interface endpoint); Systems Manager has its own.
  const ssmEndpoints = resolveEndpoints(options.regions, {}, env);
  const credentials = ec2.emulator || ssmEndpoints.emulator ? { credentials: EMULATOR_CREDENTIALS } : {};
  const clients = new Ec2Clients({ endpoints: ec2.endpoints, ...credentials, ...options.clientOptions });
  const ssm = new SsmClients({ endpoints: ssmEndpoints.endpoints, ...credentials, ...options.clientOptions });
  const progress = createProgress(chooseOutputMode({ json: options.json }));
  const interrupt = new AbortController();
  const abort = () => interrupt.abort();
  process.once("SIGINT", abort);
  process.once("SIGTERM", abort);
  try {
    return await work({ clients, ssm, progress, signal: interrupt.signal });
  } finally {
    progress.close();
    process.off("SIGINT", abort);
    process.off("SIGTERM", abort);
    clients.destroy();
    ssm.destroy();
  }
}

/** Prints the result: JSON with --json, else the command's summary. Progress stops first so lines do not interleave. */
export function writeResult<T>(context: AwsCommandContext, json: boolean, result: T, summary: (result: T) => string): void {
  context.progress.close();
  process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : summary(result));
}

/** After a dry run: fails (exit 1) naming every missing permission and the command that prints the role's policy. */
export function failOnMissingPermissions(checks: readonly PermissionCheck[], policyCommand: string): void {
  const missing = missingPermissionsError(checks, policyCommand);
  if (missing) throw missing;
}
