/**
 * Runs the package bin (`bin/regionpair.js`, one Node process with tsx's require hook) as a user
 * would. Starts are spread over the machine's cores, a few at a time: a test file that starts the
 * CLI many times then takes the time of the slowest batch, not of all of them in a row.
 */
import * as os from "node:os";
import * as path from "node:path";
import { WeightedSemaphore } from "../../scripts/lib/concurrency";
import { collectProcess } from "./cli";

const ROOT = path.resolve(__dirname, "..", "..");
export const BIN = path.join(ROOT, "bin", "regionpair.js");

export interface BinResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const starts = new WeightedSemaphore(Math.max(2, os.availableParallelism?.() ?? os.cpus().length));

export function runBin(args: readonly string[], options: { readonly env?: NodeJS.ProcessEnv; readonly timeoutMs?: number } = {}): Promise<BinResult> {
  return starts.run(1, async () => {
    const run = await collectProcess(process.execPath, [BIN, ...args], { env: { ...process.env, ...options.env }, timeoutMs: options.timeoutMs ?? 60_000, name: `regionpair ${args.join(" ")}` });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  });
}
