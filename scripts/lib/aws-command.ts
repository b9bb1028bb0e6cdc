/**
 * The frame the AWS commands run in: one set of EC2 clients for the run, progress on stderr (a
 * live view on a TTY, plain lines in CI, nothing with --json), Ctrl-C and SIGTERM turned into an
 * abort signal, and cleanup however the work ends.
 */
import { Ec2Clients } from "./aws";
import { PermissionCheck, missingPermissionsError } from "./dry-run";
import { Progress, chooseOutputMode, createProgress } from "./progress";

export interface AwsCommandContext {
  readonly clients: Ec2Clients;
  readonly progress: Progress;
  /** Aborted on Ctrl-C or SIGTERM; waits stop, and a rerun continues where this one stopped. */
  readonly signal: AbortSignal;
}

export interface AwsCommandOptions {
  /** EC2 endpoint per region (--endpoint-url). */
  readonly endpoints?: Readonly<Record<string, string | undefined>>;
  readonly json: boolean;
}

export async function runAwsCommand<T>(options: AwsCommandOptions, work: (context: AwsCommandContext) => Promise<T>): Promise<T> {
  const clients = new Ec2Clients({ endpoints: options.endpoints });
  const progress = createProgress(chooseOutputMode({ json: options.json }));
  const interrupt = new AbortController();
  const abort = () => interrupt.abort();
  process.once("SIGINT", abort);
  process.once("SIGTERM", abort);
  try {
    return await work({ clients, progress, signal: interrupt.signal });
  } finally {
    progress.close();
    process.off("SIGINT", abort);
    process.off("SIGTERM", abort);
    clients.destroy();
  }
}

/** Prints the result: JSON with --json, else the command's summary. Progress stops first so lines do not interleave. */
export function writeResult<T>(context: AwsCommandContext, json: boolean, result: T, summary: (result: T) => string): void {
  context.progress.close();
  process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : summary(result));
}

/** After a dry run: fails (exit 1) naming every missing permission and the doc that lists them all. */
export function failOnMissingPermissions(checks: readonly PermissionCheck[], docs: string): void {
  const missing = missingPermissionsError(checks, docs);
  if (missing) throw missing;
}
