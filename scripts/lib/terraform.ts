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
  /** Kill terraform after this long. @default 15 minutes */
  readonly timeoutMs?: number;
}

export class TerraformTimeoutError extends ExternalError {
  constructor(stack: string, args: readonly string[], timeoutMs: number) {
    super(`terraform ${args[0]} in ${stack} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped`, "TerraformTimeout", "is the region's API reachable? run with a longer --timeout to wait more");
  }
}

/**
 * terraform for the stacks of one synthesized app (`<outdir>/stacks/<name>`), offline from the
 * provider mirror. One instance per outdir.
 */
export class TerraformWorkspace {
  readonly env: NodeJS.ProcessEnv;

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

  /** Runs terraform in a stack's folder; resolves with the result whatever the exit code. */
  run(stack: string, args: readonly string[], options: RunOptions = {}): Promise<TerraformResult> {
    const started = Date.now();
    const timeoutMs = options.timeoutMs ?? 15 * 60_000;
    return new Promise((resolve, reject) => {
      const child = spawn("terraform", [...args], {
        cwd: this.stackDir(stack),
        env: this.env,
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
      let stdout = "";
      let stderr = "";
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        // terraform runs the provider as a child: stop the whole process group.
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          child.kill("SIGKILL");
        }
      }, timeoutMs);
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once("close", (code) => {
        clearTimeout(timer);
        if (timedOut) reject(new TerraformTimeoutError(stack, args, timeoutMs));
        else resolve({ exitCode: code ?? 1, stdout, stderr, durationMs: Date.now() - started });
      });
    });
  }

  /** Runs terraform and throws an ExternalError with its diagnostics unless it exits with one of `okCodes`. */
  async runChecked(stack: string, args: readonly string[], options: RunOptions & { okCodes?: readonly number[] } = {}): Promise<TerraformResult> {
    const result = await this.run(stack, args, options);
    if (!(options.okCodes ?? [0]).includes(result.exitCode)) {
      throw new ExternalError(
        `terraform ${args[0]} failed in stack ${stack} (exit ${result.exitCode}):\n${diagnostics(result)}`,
        "TerraformFailed",
        `the stack folder is ${this.stackDir(stack)}`,
      );
    }
    return result;
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

function varArgs(vars: Record<string, string> | undefined): string[] {
  return Object.entries(vars ?? {}).map(([name, value]) => `-var=${name}=${value}`);
}

/** The error lines of a terraform run, without the noise around them. */
export function diagnostics(result: TerraformResult): string {
  const text = (result.stderr.trim() || result.stdout.trim()).split("\n");
  const start = text.findIndex((line) => /Error:/.test(line));
  return (start >= 0 ? text.slice(start) : text.slice(-30)).join("\n");
}
