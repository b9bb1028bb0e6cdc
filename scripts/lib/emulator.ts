/**
 * The local AWS emulator: moto_server with the fixes in emulator/fixes applied, on a free
 * 127.0.0.1 port. Used by `npm start`, `npm run plan` without credentials, and every
 * integration test. The process is stopped by PID, also when the caller fails or exits.
 */
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import { closeSync, createWriteStream, openSync, readFileSync } from "node:fs";
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

/** An emulator that can be left running after this process exits (`local-deploy --keep`). */
export interface DetachableEmulator extends RunningEmulator {
  /**
   * Lets the emulator outlive this process: until then an exit or Ctrl-C stops it, as it stops
   * every other emulator; afterwards only its PID does (`local-deploy --stop`).
   */
  detach(): void;
}

/**
 * Starts the emulator in its own process group with its output going only to `logFile`, so
 * nothing ties it to this process once detached: no pipe that breaks when this process exits.
 * The port it chose is read from that file.
 */
export async function startDetachableEmulator(options: StartEmulatorOptions & { readonly logFile: string }): Promise<DetachableEmulator> {
  checkEmulatorPrerequisites();
  installExitHook();
  const output = openSync(options.logFile, "w");
  const child = spawn(python(), [EMULATOR_SERVER, "-H", "127.0.0.1", "-p", "0"], {
    cwd: PROJECT_ROOT,
    detached: true,
    stdio: ["ignore", output, output],
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1", PYTHONUNBUFFERED: "1" },
  });
  closeSync(output);
  running.add(child);
  const pid = child.pid!;
  let exitCode: number | null | undefined;
  child.once("exit", (code) => {
    exitCode = code;
    running.delete(child);
  });

  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const started = Date.now();
  let port: number | undefined;
  while (port === undefined) {
    const log = readFileSync(options.logFile, "utf8");
    const match = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(log);
    if (match) port = Number(match[1]);
    else if (exitCode !== undefined) throw new EmulatorUnavailableError(`moto_server exited with code ${exitCode} before it was ready:\n${log}`);
    else if (Date.now() - started > timeoutMs) {
      child.kill("SIGKILL");
      throw new EmulatorUnavailableError(`moto_server did not start within ${timeoutMs} ms:\n${log}`);
    } else await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    pid,
    stop: () => stopEmulatorProcess(pid),
    detach: () => {
      running.delete(child);
      child.unref();
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether `pid` is an emulator started from this project (and not a process that reused the PID). */
export function isEmulatorProcess(pid: number): boolean {
  if (!isAlive(pid)) return false;
  const ps = spawnSync("ps", ["-o", "args=", "-p", String(pid)], { encoding: "utf8" });
  return ps.status === 0 && ps.stdout.includes(EMULATOR_SERVER);
}

/** Stops an emulator by PID: SIGTERM, then SIGKILL after 5 s; resolves once it is gone. */
export async function stopEmulatorProcess(pid: number): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + 5_000;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, "SIGKILL");
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  while (isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 50));
}
