/** Runs the real regionpair CLI in a child process, as a user would, and captures its output. */
import { spawn } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const TSX_CLI = require.resolve("tsx/cli", { paths: [ROOT] });

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time of the run. */
  readonly seconds: number;
}

export interface CliRunOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** @default 120 000 ms */
  readonly timeoutMs?: number;
}

/** Credentials and settings for a run against the local emulator: fake keys, no IMDS, CI output. */
export const EMULATOR_CLI_ENV: NodeJS.ProcessEnv = {
  AWS_ACCESS_KEY_ID: "testing",
  AWS_SECRET_ACCESS_KEY: "testing",
  AWS_EC2_METADATA_DISABLED: "true",
  CI: "true",
};

/** A child process's exit and output, or a rejection naming it when it outlives `timeoutMs` (then killed). */
export function collectProcess(
  command: string,
  args: readonly string[],
  options: { readonly env: NodeJS.ProcessEnv; readonly timeoutMs: number; readonly name: string },
): Promise<{ readonly status: number | null; readonly stdout: string; readonly stderr: string; readonly seconds: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: ROOT, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${options.name} did not finish within ${options.timeoutMs} ms\n${stderr}`));
    }, options.timeoutMs);
    child.once("error", reject);
    child.once("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    });
  });
}

export async function runCli(args: readonly string[], options: CliRunOptions = {}): Promise<CliResult> {
  const run = await collectProcess(process.execPath, [TSX_CLI, path.join(ROOT, "scripts", "regionpair.ts"), ...args], {
    env: { ...process.env, ...EMULATOR_CLI_ENV, ...options.env },
    timeoutMs: options.timeoutMs ?? 120_000,
    name: `regionpair ${args.join(" ")}`,
  });
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr, seconds: run.seconds };
}

/** A loopback port with nothing listening: connections to it are refused at once. */
export async function closedPort(): Promise<number> {
  const net = await import("node:net");
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
