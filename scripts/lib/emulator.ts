/**
 * The local AWS emulator: moto_server with the fixes in emulator/fixes applied, on a free
 * 127.0.0.1 port. Used by `npm start`, `npm run plan` without credentials, and every
 * integration test. The process is stopped by PID, also when the caller fails or exits.
 */
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../config/topology";
import { ExternalError } from "./cli";

export const EMULATOR_SERVER = path.join(PROJECT_ROOT, "emulator", "server.py");

export { EMULATOR_CREDENTIALS, EMULATOR_ROOT_CREDENTIALS } from "../../config/emulator-credentials";

/** The account moto reports for any credentials. */
export const EMULATOR_ACCOUNT_ID = "123456789012";

export interface RunningEmulator {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
  stop(): Promise<void>;
}

export interface StartEmulatorOptions {
  /** Append the server's output to this file. @default discarded */
  readonly logFile?: string;
  /** @default 30 000 ms */
  readonly startTimeoutMs?: number;
}

/** The emulator cannot run here, or did not start. */
export class EmulatorUnavailableError extends ExternalError {
  constructor(message: string, hint?: string) {
    super(message, "EmulatorUnavailable", hint);
    this.name = "EmulatorUnavailableError";
  }
}

/** The Python interpreter that runs moto: `$REGIONPAIR_PYTHON`, else `python3`. */
function python(env: NodeJS.ProcessEnv = process.env): string {
  return env.REGIONPAIR_PYTHON || "python3";
}

/**
 * Fails with what is missing and how to install it when the emulator cannot run here; returns
 * moto's version. emulator/server.py runs in that Python and imports moto and moto.server (which
 * brings moto[server]'s web stack): that is all it needs, not a moto_server on PATH.
 */
export function checkEmulatorPrerequisites(env: NodeJS.ProcessEnv = process.env): string {
  const interpreter = python(env);
  const probe = spawnSync(interpreter, ["-c", "import moto, moto.server; print(moto.__version__)"], { encoding: "utf8", env });
  if (probe.error || probe.status !== 0) {
    const why = probe.error ? `${interpreter} did not run (${probe.error.message})` : `${interpreter} cannot import moto.server (${probe.stderr.trim().split("\n").pop()})`;
    throw new EmulatorUnavailableError(
      why,
      "install the AWS emulator for that interpreter: pip install 'moto[server]==5.2.1', or set REGIONPAIR_PYTHON to the Python that has it",
    );
  }
  return probe.stdout.trim();
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A crashed or interrupted caller must not leave an emulator behind.
  process.on("exit", () => {
    for (const child of running) child.kill("SIGKILL");
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      for (const child of running) child.kill("SIGKILL");
      process.exit(130);
    });
  }
}

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  checkEmulatorPrerequisites();
  installExitHook();
  const child = spawn(python(), [EMULATOR_SERVER, "-H", "127.0.0.1", "-p", "0"], {
    cwd: PROJECT_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1", PYTHONUNBUFFERED: "1" },
  });
  running.add(child);
  const log = options.logFile ? createWriteStream(options.logFile, { flags: "a" }) : undefined;
  child.stdout!.on("data", (chunk) => log?.write(chunk));

  const exited = new Promise<void>((resolve) => child.once("exit", () => {
    running.delete(child);
    log?.end();
    resolve();
  }));

  const port = await new Promise<number>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new EmulatorUnavailableError(`moto_server did not start within ${options.startTimeoutMs ?? 30000} ms:\n${output}`));
    }, options.startTimeoutMs ?? 30_000);
    child.stderr!.on("data", (chunk: Buffer) => {
      log?.write(chunk);
      output += chunk.toString();
      const match = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new EmulatorUnavailableError(`moto_server exited with code ${code} before it was ready:\n${output}`));
    });
  });

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
