/**
 * What every regionpair command shares: argument parsing with --help, and one mapping from
 * failures to exit codes. Usage errors exit 2 with one line; external failures (AWS, terraform,
 * the emulator) exit 1 with the error code and what to check; anything else is a bug and exits 1
 * with its stack trace. Nothing exits 0 after a failure.
 */
import { parseArgs, ParseArgsConfig } from "node:util";
import { TopologyError } from "../../config/topology";

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** Bad command line: printed as one line, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A failure outside this program (AWS API, terraform, emulator): code and what to check, exit 1. */
export class ExternalError extends Error {
  constructor(
    message: string,
    /** e.g. the AWS error code `UnauthorizedOperation`. */
    readonly code?: string,
    /** What the user should check or do next. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = "ExternalError";
  }
}

export interface Command {
  /** One line for the command list. */
  readonly summary: string;
  /** Full --help text. */
  readonly help: string;
  /** Runs with the arguments after the command name; returns the exit code. */
  run(argv: readonly string[]): Promise<number>;
}

export type OptionsSpec = NonNullable<ParseArgsConfig["options"]>;

/**
 * util.parseArgs with errors turned into UsageError. Returns undefined when --help was asked for
 * (the caller prints its help and exits 0).
 */
export function parseOptions<T extends OptionsSpec>(
  argv: readonly string[],
  options: T,
  config: { allowPositionals?: boolean } = {},
) {
  try {
    const parsed = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: config.allowPositionals ?? false,
      strict: true,
    });
    if ((parsed.values as Record<string, unknown>).help) return undefined;
    return parsed;
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, "");
    throw new UsageError(message);
  }
}

/** Reads a required string option or throws a UsageError naming it. */
export function requireOption(values: Record<string, unknown>, name: string, hint = ""): string {
  const value = values[name];
  if (typeof value !== "string" || value === "") {
    throw new UsageError(`--${name} is required${hint ? ` (${hint})` : ""}`);
  }
  return value;
}

/** Prints an error the way its class asks for and returns the exit code. */
export function reportError(error: unknown, program = "regionpair"): number {
  if (error instanceof UsageError) {
    process.stderr.write(`${program}: ${error.message} (see --help)\n`);
    return EXIT.usage;
  }
  if (error instanceof TopologyError) {
    // Bad input in the topology file: every problem with its field and fix; nothing was done.
    process.stderr.write(`${program}: ${error.message}\n`);
    return EXIT.failure;
  }
  if (error instanceof ExternalError) {
    const code = error.code ? `${error.code}: ` : "";
    process.stderr.write(`${program}: error: ${code}${error.message}\n`);
    if (error.hint) process.stderr.write(`  check: ${error.hint}\n`);
    return EXIT.failure;
  }
  process.stderr.write(`${program}: internal error (please report it):\n${(error as Error)?.stack ?? String(error)}\n`);
  return EXIT.failure;
}

/** Runs a command's main and sets the process exit code from its result or its failure. */
export async function runMain(main: () => Promise<number>, program = "regionpair"): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (error) {
    process.exitCode = reportError(error, program);
  }
}
