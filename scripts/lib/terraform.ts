/**
 * Running terraform on the synthesized stacks, offline: a CLI config that installs the AWS
 * provider only from a local filesystem mirror, and small wrappers for init/plan/apply/destroy/
 * output/show that never prompt, bound every run in time and keep the output for errors.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ExternalError } from "./cli";

export const MIRROR_ENV = "REGIONPAIR_PROVIDER_MIRROR";
/** Terraform 1.10 added S3-native state locking (`use_lockfile`). */
const MINIMUM_TERRAFORM = [1, 10] as const;

/** The hashicorp/aws version @cdktf/provider-aws was generated for. */
export function awsProviderVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require("@cdktf/provider-aws/package.json") as { cdktf: { provider: { version: string } } };
  return pkg.cdktf.provider.version;
}

function platformDir(): string {
  const arch = { x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" }[process.arch as string] ?? process.arch;
  return `${process.platform}_${arch}`;
}

/**
 * True when `root` holds hashicorp/aws at `version` in either layout Terraform reads from a
 * filesystem mirror: unpacked (a plugin cache) or packed (what `terraform providers mirror` writes).
 */
export function isMirrorRoot(root: string, version: string): boolean {
  const provider = path.join(root, "registry.terraform.io", "hashicorp", "aws");
  return existsSync(path.join(provider, version, platformDir())) || existsSync(path.join(provider, `terraform-provider-aws_${version}_${platformDir()}.zip`));
}

/**
 * Finds a filesystem mirror holding hashicorp/aws at the required version: `$REGIONPAIR_PROVIDER_MIRROR`
 * if set, else Terraform's implied local mirror folders, else a shallow search of /opt and
 * /usr/local/share. Throws with what to do when there is none.
 */
export function findProviderMirror(env: NodeJS.ProcessEnv = process.env): string {
  const version = awsProviderVersion();
  const wanted = `registry.terraform.io/hashicorp/aws ${version} (${platformDir()})`;
  const explicit = env[MIRROR_ENV];
  if (explicit) {
    if (isMirrorRoot(explicit, version)) return path.resolve(explicit);
    throw new ExternalError(`${MIRROR_ENV}=${explicit} has no ${wanted}`, "ProviderMirrorMissing", "point it at the folder that contains registry.terraform.io/");
  }
  const home = os.homedir();
  const implied = [
    path.join(home, ".terraform.d", "plugins"),
    path.join(home, ".local", "share", "terraform", "plugins"),
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
  ];
  for (const root of implied) if (isMirrorRoot(root, version)) return root;
  for (const parent of ["/opt", "/usr/local/share", "/usr/share"]) {
    for (const root of childDirectories(parent, 2)) if (isMirrorRoot(root, version)) return root;
  }
  throw new ExternalError(
    `no local Terraform provider mirror with ${wanted} was found`,
    "ProviderMirrorMissing",
    `set ${MIRROR_ENV} to a mirror root: create one with 'terraform providers mirror <root>' on a machine with ` +
      `registry access, or copy a plugin cache (<root>/registry.terraform.io/hashicorp/aws/${version}/${platformDir()}/)`,
  );
}

/** The mirror when one is configured or found; undefined (not an error) when there is none. */
export function tryFindProviderMirror(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env[MIRROR_ENV]) return findProviderMirror(env);
  try {
    return findProviderMirror(env);
  } catch (error) {
    if (error instanceof ExternalError && error.code === "ProviderMirrorMissing") return undefined;
    throw error;
  }
}

/** Directories up to `depth` levels below `parent` (the parent included), skipping unreadable ones. */
function childDirectories(parent: string, depth: number): string[] {
  if (!existsSync(parent)) return [];
  const found = [parent];
  if (depth === 0) return found;
  let entries: string[] = [];
  try {
    entries = readdirSync(parent);
  } catch {
    return found;
  }
  for (const entry of entries) {
    const child = path.join(parent, entry);
    try {
      if (statSync(child).isDirectory()) found.push(...childDirectories(child, depth - 1));
    } catch {
      // unreadable entries are not mirrors
    }
  }
  return found;
}

/** A Terraform CLI config that installs registry providers only from the mirror: no network. */
export function offlineCliConfig(mirrorRoot: string): string {
  return [
    "provider_installation {",
    "  filesystem_mirror {",
    `    path    = ${JSON.stringify(mirrorRoot)}`,
    '    include = ["registry.terraform.io/*/*"]',
    "  }",
    '  direct { exclude = ["registry.terraform.io/*/*"] }',
    "}",
    "disable_checkpoint = true",
    "",
  ].join("\n");
}

/** Checks that terraform is on PATH and recent enough; returns its version. */
export function checkTerraform(): string {
  const result = spawnSync("terraform", ["version", "-json"], { encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  if (result.error || result.status !== 0) {
    throw new ExternalError(
      "terraform is not on PATH",
      "TerraformMissing",
      `install Terraform >= ${MINIMUM_TERRAFORM.join(".")} (https://developer.hashicorp.com/terraform/install, or the hashicorp Debian repository)`,
    );
  }
  const version = (JSON.parse(result.stdout) as { terraform_version: string }).terraform_version;
  const [major, minor] = version.split(".").map(Number);
  if (major < MINIMUM_TERRAFORM[0] || (major === MINIMUM_TERRAFORM[0] && minor < MINIMUM_TERRAFORM[1])) {
    throw new ExternalError(`terraform ${version} is too old`, "TerraformTooOld", `install Terraform >= ${MINIMUM_TERRAFORM.join(".")}`);
  }
  return version;
}

export interface TerraformResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

export interface RunOptions {
  /** Stop terraform after this long (SIGINT, then SIGKILL after the grace period). @default 15 minutes */
  readonly timeoutMs?: number;
  /**
   * After the time-out, how long terraform may take to stop cleanly. On SIGINT terraform asks the
   * provider to cancel its calls, writes the state it has and releases the state lock; only a
   * run still going after this is killed.
   * @default 30 s
   */
  readonly gracePeriodMs?: number;
  /** Called with each chunk of output as it arrives, also for a run that ends in a time-out. */
  readonly onOutput?: (text: string) => void;
}

export const DEFAULT_GRACE_PERIOD_MS = 30_000;

/** A state lock terraform reported as held, with what it says about the holder. */
export interface StateLock {
  readonly id: string;
  readonly operation?: string;
  readonly who?: string;
  readonly created?: string;
}

/** The command that releases a lock, to be run only when no terraform run holds it. */
export function forceUnlockCommand(stackDir: string, lock: StateLock): string {
  return `terraform -chdir=${stackDir} force-unlock -force ${lock.id}`;
}

/**
 * The lock in terraform's "Error acquiring the state lock" diagnostic: the `Lock Info:` block of
 * its detail (in `-json` output) or of its error text. Undefined when there is none.
 */
export function stateLockFrom(text: string): StateLock | undefined {
  const info = /Lock Info:\s*\n([\s\S]*)/.exec(text)?.[1];
  if (!info) return undefined;
  const field = (name: string) => new RegExp(`^[\\s│]*${name}:[ \\t]*(\\S.*?)\\s*$`, "m").exec(info)?.[1];
  const id = field("ID");
  return id ? { id, operation: field("Operation"), who: field("Who"), created: field("Created") } : undefined;
}

/** How a timed-out run ended: it stopped on SIGINT within the grace period, or had to be killed. */
export type TimeoutStop = "interrupted" | "killed";

export class TerraformTimeoutError extends ExternalError {
  constructor(
    readonly stack: string,
    readonly args: readonly string[],
    readonly timeoutMs: number,
    readonly stop: TimeoutStop,
    readonly gracePeriodMs: number,
    /** The lock still held after a kill, when one was found. */
    readonly lock?: StateLock,
    readonly stackDir?: string,
  ) {
    const ran = `terraform ${args[0]} in ${stack} did not finish within ${Math.round(timeoutMs / 1000)} s`;
    super(
      stop === "interrupted"
        ? `${ran}; it was interrupted and stopped cleanly (state written, state lock released)`
        : `${ran} and did not stop within ${Math.round(gracePeriodMs / 1000)} s of SIGINT, so it was killed: its state may lag behind AWS${lock ? ` and its state lock ${lock.id} is still held` : ""}`,
      "TerraformTimeout",
      lock && stackDir
        ? `make sure no terraform run is still working on ${stack}, then release the lock: ${forceUnlockCommand(stackDir, lock)}; rerun with a longer --timeout if the region's API is slow`
        : "is the region's API reachable? rerun with a longer --timeout to wait more; a rerun continues where this one stopped",
    );
  }
}

/** terraform could not take the state lock: another run holds it, or a killed run left it. */
export class TerraformStateLockedError extends ExternalError {
  constructor(
    readonly stack: string,
    readonly lock: StateLock,
    stackDir: string,
  ) {
    super(
      `the state of ${stack} is locked (lock ${lock.id}${lock.operation ? `, ${lock.operation}` : ""}${lock.who ? ` by ${lock.who}` : ""}${lock.created ? ` since ${lock.created}` : ""})`,
      "StateLocked",
      `wait for that run to finish; if none is running (a run that was killed leaves its lock), release it: ${forceUnlockCommand(stackDir, lock)}`,
    );
    this.name = "TerraformStateLockedError";
  }
}

/** What terraform's `-json` output says: the change summary and the error diagnostics. */
export interface MachineOutput {
  /** `change_summary` (plan or apply): resources to add, change and remove. */
  readonly changes?: { readonly add: number; readonly change: number; readonly remove: number; readonly import?: number };
  readonly errors: ReadonlyArray<{ readonly summary: string; readonly detail: string }>;
}

/** Reads terraform's `-json` lines (https://developer.hashicorp.com/terraform/internals/machine-readable-ui). */
export function parseMachineOutput(stdout: string): MachineOutput {
  let changes: MachineOutput["changes"];
  const errors: Array<{ summary: string; detail: string }> = [];
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    let message: { type?: string; changes?: MachineOutput["changes"]; diagnostic?: { severity?: string; summary?: string; detail?: string } };
    try {
      message = JSON.parse(line);
    } catch {
      continue;
    }
    if (message.type === "change_summary" && message.changes) changes = message.changes;
    if (message.type === "diagnostic" && message.diagnostic?.severity === "error") {
      errors.push({ summary: message.diagnostic.summary ?? "", detail: message.diagnostic.detail ?? "" });
    }
  }
  return { changes, errors };
}

/**
 * terraform for the stacks of one synthesized app (`<outdir>/stacks/<name>`), offline from the
 * provider mirror. One instance per outdir.
 */
export class TerraformWorkspace {
  readonly env: NodeJS.ProcessEnv;
  private readonly running = new Set<number>();

  constructor(
    /** The cdktf output folder (holds stacks/). */
    readonly outdir: string,
    options: {
      /**
       * `required`: install the provider only from a local mirror, fail when there is none (the
       * emulator paths). `if-present`: use a mirror when one is found, else terraform's own
       * configuration (registry access).
       * @default "if-present"
       */
      readonly mirror?: "required" | "if-present";
    } = {},
  ) {
    mkdirSync(outdir, { recursive: true });
    const mirror = options.mirror === "required" ? findProviderMirror() : tryFindProviderMirror();
    const offline: NodeJS.ProcessEnv = {};
    if (mirror) {
      const cliConfig = path.join(outdir, "terraform.rc");
      writeFileSync(cliConfig, offlineCliConfig(mirror));
      offline.TF_CLI_CONFIG_FILE = cliConfig;
      // Never a plugin cache under the home folder: the mirror is linked directly.
      offline.TF_PLUGIN_CACHE_DIR = "";
    }
    this.env = {
      ...process.env,
      ...offline,
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      CHECKPOINT_DISABLE: "1",
    };
  }

  stackDir(stack: string): string {
    return path.join(this.outdir, "stacks", stack);
  }

  isInitialized(stack: string): boolean {
    return existsSync(path.join(this.stackDir(stack), ".terraform", "terraform.tfstate")) || existsSync(path.join(this.stackDir(stack), ".terraform.lock.hcl"));
  }

  /**
   * Asks every terraform run in progress to stop, as Ctrl-C would (SIGINT to its process group):
   * each finishes its current calls, writes state and releases its lock. For a command's own
   * SIGINT/SIGTERM handler.
   */
  interrupt(): void {
    for (const pid of this.running) signalGroup(pid, "SIGINT");
  }

  /**
   * Runs terraform in a stack's folder; resolves with the result whatever the exit code. Past
   * `timeoutMs` terraform gets SIGINT (it stops cleanly: state written, lock released), and
   * SIGKILL only if it is still running after the grace period; either way the run rejects with
   * a TerraformTimeoutError saying which.
   */
  run(stack: string, args: readonly string[], options: RunOptions = {}): Promise<TerraformResult> {
    const started = Date.now();
    const timeoutMs = options.timeoutMs ?? 15 * 60_000;
    const gracePeriodMs = options.gracePeriodMs ?? DEFAULT_GRACE_PERIOD_MS;
    return new Promise((resolve, reject) => {
      // Its own process group, so a signal reaches terraform and the provider it runs, as Ctrl-C
      // in a terminal would; terraform tells the provider to stop.
      const child = spawn("terraform", [...args], {
        cwd: this.stackDir(stack),
        env: this.env,
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
      if (child.pid) this.running.add(child.pid);
      let stdout = "";
      let stderr = "";
      let stop: TimeoutStop | undefined;
      let killTimer: NodeJS.Timeout | undefined;
      const timer = setTimeout(() => {
        stop = "interrupted";
        signalGroup(child.pid, "SIGINT", child);
        killTimer = setTimeout(() => {
          stop = "killed";
          signalGroup(child.pid, "SIGKILL", child);
        }, gracePeriodMs);
      }, timeoutMs);
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        options.onOutput?.(chunk.toString());
      });
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        options.onOutput?.(chunk.toString());
      });
      const finish = () => {
        clearTimeout(timer);
        clearTimeout(killTimer);
        if (child.pid) this.running.delete(child.pid);
      };
      child.once("error", (error) => {
        finish();
        reject(error);
      });
      child.once("close", (code) => {
        finish();
        if (stop) reject(new TerraformTimeoutError(stack, args, timeoutMs, stop, gracePeriodMs, undefined, this.stackDir(stack)));
        else resolve({ exitCode: code ?? 1, stdout, stderr, durationMs: Date.now() - started });
      });
    });
  }

  /**
   * Runs terraform and throws an ExternalError with its diagnostics unless it exits with one of
   * `okCodes`: a TerraformStateLockedError (with the lock id) when the state lock was held, and
   * after a run that had to be killed, a TerraformTimeoutError naming the lock it left, if any.
   */
  async runChecked(stack: string, args: readonly string[], options: RunOptions & { okCodes?: readonly number[] } = {}): Promise<TerraformResult> {
    let result: TerraformResult;
    try {
      result = await this.run(stack, args, options);
    } catch (error) {
      if (error instanceof TerraformTimeoutError && error.stop === "killed") {
        const lock = await this.heldLock(stack).catch(() => undefined);
        throw new TerraformTimeoutError(stack, args, error.timeoutMs, "killed", error.gracePeriodMs, lock, this.stackDir(stack));
      }
      throw error;
    }
    if (!(options.okCodes ?? [0]).includes(result.exitCode)) {
      const machine = parseMachineOutput(result.stdout);
      const lock = machine.errors.map((e) => stateLockFrom(e.detail)).find(Boolean) ?? stateLockFrom(result.stderr);
      if (lock) throw new TerraformStateLockedError(stack, lock, this.stackDir(stack));
      throw new ExternalError(
        `terraform ${args[0]} failed in stack ${stack} (exit ${result.exitCode}):\n${diagnostics(result)}`,
        "TerraformFailed",
        `the stack folder is ${this.stackDir(stack)}`,
      );
    }
    return result;
  }

  /**
   * The state lock of a stack, if one is held: asks terraform to take it without waiting, in a
   * command that changes nothing and calls no provider (`state rm -dry-run` of an address that
   * does not exist), and reads the holder from the error.
   */
  async heldLock(stack: string, options: RunOptions = {}): Promise<StateLock | undefined> {
    const result = await this.run(stack, ["state", "rm", "-no-color", "-dry-run", "-lock-timeout=0s", "terraform_data.regionpair_lock_probe"], { timeoutMs: 60_000, ...options });
    return result.exitCode === 0 ? undefined : stateLockFrom(result.stderr) ?? stateLockFrom(result.stdout);
  }

  init(stack: string, options: RunOptions = {}): Promise<TerraformResult> {
    return this.runChecked(stack, ["init", "-input=false", "-no-color", "-reconfigure"], options);
  }

  /** Inits only when the stack folder was never initialized. */
  async ensureInit(stack: string, options: RunOptions = {}): Promise<void> {
    if (!this.isInitialized(stack)) await this.init(stack, options);
  }

  /**
   * `terraform plan -detailed-exitcode`: resolves with `changes` true (exit 2) or false (exit 0);
   * throws on errors (exit 1).
   */
  async plan(stack: string, options: RunOptions & { out?: string; vars?: Record<string, string>; destroy?: boolean } = {}): Promise<TerraformResult & { changes: boolean }> {
    const args = ["plan", "-input=false", "-no-color", "-detailed-exitcode", "-lock-timeout=60s", ...varArgs(options.vars)];
    if (options.out) args.push(`-out=${options.out}`);
    if (options.destroy) args.push("-destroy");
    const result = await this.runChecked(stack, args, { ...options, okCodes: [0, 2] });
    return { ...result, changes: result.exitCode === 2 };
  }

  /**
   * `terraform plan -json -out=<file>`, machine output only: `changes` is -detailed-exitcode's
   * (outputs count), `machine.changes` the resource counts. Read the saved plan with showJson.
   */
  async planToFile(stack: string, out: string, options: RunOptions & { vars?: Record<string, string>; lockTimeout?: string } = {}): Promise<TerraformResult & { changes: boolean; machine: MachineOutput }> {
    const args = ["plan", "-input=false", "-json", "-detailed-exitcode", `-lock-timeout=${options.lockTimeout ?? "60s"}`, ...varArgs(options.vars), `-out=${out}`];
    const result = await this.runChecked(stack, args, { ...options, okCodes: [0, 2] });
    return { ...result, changes: result.exitCode === 2, machine: parseMachineOutput(result.stdout) };
  }

  /** Applies a saved plan (nothing else can change), with machine output. */
  async applyPlanFile(stack: string, planFile: string, options: RunOptions & { lockTimeout?: string } = {}): Promise<TerraformResult & { machine: MachineOutput }> {
    const args = ["apply", "-input=false", "-json", "-auto-approve", `-lock-timeout=${options.lockTimeout ?? "60s"}`, planFile];
    const result = await this.runChecked(stack, args, options);
    return { ...result, machine: parseMachineOutput(result.stdout) };
  }

  /** `terraform import` of an object that exists in AWS but not in the stack's state. */
  importResource(stack: string, address: string, id: string, options: RunOptions & { vars?: Record<string, string> } = {}): Promise<TerraformResult> {
    return this.runChecked(stack, ["import", "-input=false", "-no-color", "-lock-timeout=60s", ...varArgs(options.vars), address, id], options);
  }

  apply(stack: string, options: RunOptions & { vars?: Record<string, string> } = {}): Promise<TerraformResult> {
    return this.runChecked(stack, ["apply", "-input=false", "-no-color", "-auto-approve", "-lock-timeout=60s", ...varArgs(options.vars)], options);
  }

  destroy(stack: string, options: RunOptions & { vars?: Record<string, string> } = {}): Promise<TerraformResult> {
    return this.runChecked(stack, ["destroy", "-input=false", "-no-color", "-auto-approve", "-lock-timeout=60s", ...varArgs(options.vars)], options);
  }

  async output(stack: string, options: RunOptions = {}): Promise<Record<string, unknown>> {
    const result = await this.runChecked(stack, ["output", "-json", "-no-color"], options);
    const outputs = JSON.parse(result.stdout || "{}") as Record<string, { value: unknown }>;
    return Object.fromEntries(Object.entries(outputs).map(([name, output]) => [name, output.value]));
  }

  /** `terraform show -json` of a saved plan (or of the state, without a plan file). */
  async showJson(stack: string, planFile?: string, options: RunOptions = {}): Promise<unknown> {
    const result = await this.runChecked(stack, ["show", "-json", "-no-color", ...(planFile ? [planFile] : [])], options);
    return JSON.parse(result.stdout);
  }
}

/** Sends a signal to a process group (terraform and its provider), or to the process alone. */
function signalGroup(pid: number | undefined, signal: NodeJS.Signals, child?: { kill(signal: NodeJS.Signals): boolean }): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    child?.kill(signal);
  }
}

function varArgs(vars: Record<string, string> | undefined): string[] {
  return Object.entries(vars ?? {}).map(([name, value]) => `-var=${name}=${value}`);
}

/** The error lines of a terraform run, without the noise around them. */
export function diagnostics(result: TerraformResult): string {
  const machine = parseMachineOutput(result.stdout);
  if (machine.errors.length) return machine.errors.map((e) => `Error: ${e.summary}${e.detail ? `\n${e.detail}` : ""}`).join("\n\n");
  const text = (result.stderr.trim() || result.stdout.trim()).split("\n");
  const start = text.findIndex((line) => /Error:/.test(line));
  return (start >= 0 ? text.slice(start) : text.slice(-30)).join("\n");
}
