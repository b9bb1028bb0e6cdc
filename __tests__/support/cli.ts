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

export function runCli(args: readonly string[], options: CliRunOptions = {}): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX_CLI, path.join(ROOT, "scripts", "regionpair.ts"), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...EMULATOR_CLI_ENV, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`regionpair ${args.join(" ")} did not finish within ${options.timeoutMs ?? 120_000} ms\n${stderr}`));
    }, options.timeoutMs ?? 120_000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    });
  });
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
