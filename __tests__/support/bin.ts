/**
 * Runs the package bin (`bin/regionpair.js`, one Node process with tsx's require hook) as a user
 * would. Starts are spread over the machine's cores, a few at a time: a test file that starts the
 * CLI many times then takes the time of the slowest batch, not of all of them in a row.
 */
import { spawn } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { WeightedSemaphore } from "../../scripts/lib/concurrency";

const ROOT = path.resolve(__dirname, "..", "..");
export const BIN = path.join(ROOT, "bin", "regionpair.js");

export interface BinResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const starts = new WeightedSemaphore(Math.max(2, os.availableParallelism?.() ?? os.cpus().length));

export function runBin(args: readonly string[], options: { readonly env?: NodeJS.ProcessEnv; readonly timeoutMs?: number } = {}): Promise<BinResult> {
  return starts.run(1, () => new Promise<BinResult>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`regionpair ${args.join(" ")} did not finish within ${options.timeoutMs ?? 60_000} ms\n${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.once("error", reject);
    child.once("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  }));
}
