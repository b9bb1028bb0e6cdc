/**
 * The project deployed into a local emulator: a patched moto_server, the app synthesized against
 * it, and an offline terraform workspace, all under one temporary folder. `npm start` and every
 * integration test go through this class, so what the tests prove is what users run.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EC2Client } from "@aws-sdk/client-ec2";
import { Topology, loadTopology } from "../../config/topology";
import { EMULATOR_URL_ENV, DeploymentTarget, STATE_DIR_ENV, deploymentTarget, regionEndpointEnv } from "../../config/target";
import { synthesize } from "../../stacks/app";
import { ALL_STACKS, DEPLOY_STAGES } from "../../stacks/stack-names";
import { DetachableEmulator, RunningEmulator, startDetachableEmulator, startEmulator } from "./emulator";
import { EMULATOR_ROOT_CREDENTIALS, EmulatorKeys, emulatorKeysEnvironment } from "../../config/emulator-credentials";
import { enforceRoles } from "./emulator-iam";
import type { RoleName } from "../iam/roles";
import { RunOptions, TerraformWorkspace, checkTerraform } from "./terraform";

export interface EmulatorDeploymentOptions {
  /** @default the topology file (topology.json or $REGIONPAIR_TOPOLOGY) */
  readonly topology?: Topology;
  /** Parent of the working folder. @default the system temp folder */
  readonly tempRoot?: string;
  /** Keep the working folder after stop(), for debugging. @default false */
  readonly keepWorkDir?: boolean;
  /** Work in this folder (created if missing) instead of a new temporary one. @default a new folder under tempRoot */
  readonly workDir?: string;
  /** Start the emulator so that release() can leave it running after this process. @default false */
  readonly detachable?: boolean;
  /** Progress lines (stage started/finished). @default silent */
  readonly log?: (line: string) => void;
  /**
   * `enforced`: one emulator IAM user per role holding only its generated policy, IAM checked on
   * every request, terraform applying with the `deploy` role and `credentials(role)` /
   * `roleEnvironment(role)` for everything else; `off`: every request allowed.
   * @default $REGIONPAIR_E2E_IAM (the e2e jest project sets "enforced"; run with REGIONPAIR_E2E_IAM=off to compare), else "off"
   */
  readonly iam?: "enforced" | "off";
}

/** What the e2e suites run with unless they say otherwise. */
export function defaultIamMode(env: NodeJS.ProcessEnv = process.env): "enforced" | "off" {
  return env.REGIONPAIR_E2E_IAM === "enforced" ? "enforced" : "off";
}

export class EmulatorDeployment {
  /** Starts the emulator, synthesizes the app against it and prepares terraform. */
  static async start(options: EmulatorDeploymentOptions = {}): Promise<EmulatorDeployment> {
    checkTerraform();
    const topology = options.topology ?? loadTopology();
    const workDir = options.workDir ?? mkdtempSync(path.join(options.tempRoot ?? os.tmpdir(), "regionpair-"));
    mkdirSync(workDir, { recursive: true });
    let emulator: RunningEmulator | DetachableEmulator | undefined;
    try {
      const logFile = path.join(workDir, "emulator.log");
      emulator = options.detachable ? await startDetachableEmulator({ logFile }) : await startEmulator({ logFile });
      const deployment = new EmulatorDeployment(topology, emulator, workDir, options);
      if ((options.iam ?? defaultIamMode()) === "enforced") deployment.roleKeys = await enforceRoles(emulator.endpoint, topology);
      deployment.synth();
      return deployment;
    } catch (error) {
      await emulator?.stop();
      if (!options.keepWorkDir) rmSync(workDir, { recursive: true, force: true });
      throw error;
    }
  }

  readonly outdir: string;
  readonly workspace: TerraformWorkspace;
  private readonly clients = new Map<string, EC2Client>();
  private readonly regionOverrides: Record<string, string> = {};
  /** Each role's emulator IAM user, when IAM is enforced. */
  private roleKeys?: Record<RoleName, EmulatorKeys>;

  private constructor(
    readonly topology: Topology,
    readonly emulator: RunningEmulator | DetachableEmulator,
    readonly workDir: string,
    private readonly options: EmulatorDeploymentOptions,
  ) {
    this.outdir = path.join(workDir, "cdktf.out");
    this.workspace = new TerraformWorkspace(this.outdir, { mirror: "required" });
  }

  /** Whether every request is checked against the caller's IAM policies. */
  get iamEnforced(): boolean {
    return this.roleKeys !== undefined;
  }

  /** A role's emulator keys; with IAM off, the emulator's own. */
  credentials(role: RoleName): EmulatorKeys {
    return this.roleKeys?.[role] ?? EMULATOR_ROOT_CREDENTIALS;
  }

  /** The environment a CLI command runs with to act as `role` against this emulator. */
  roleEnvironment(role: RoleName): NodeJS.ProcessEnv {
    return { ...this.environment, ...emulatorKeysEnvironment(this.credentials(role)) };
  }

  /**
   * The environment a user would set to target this emulator (for the app and CLI commands),
   * signing as the emulator's root user: allowed everything, also under enforcement. A command
   * whose permissions are under test runs with `roleEnvironment(role)` instead.
   */
  get environment(): NodeJS.ProcessEnv {
    return {
      [EMULATOR_URL_ENV]: this.emulator.endpoint,
      [STATE_DIR_ENV]: path.join(this.workDir, "state"),
      ...Object.fromEntries(Object.entries(this.regionOverrides).map(([region, url]) => [regionEndpointEnv(region), url])),
    };
  }

  /** What the app is synthesized against: this emulator, with the deploy role's keys, which terraform applies with. */
  get target(): DeploymentTarget {
    return deploymentTarget(this.roleEnvironment("deploy"));
  }

  /** (Re)synthesizes the app into the working folder, for the deployment's topology or a changed one. */
  synth(topology: Topology = this.topology): void {
    synthesize({ topology, target: this.target, outdir: this.outdir });
  }

  /**
   * Points one region's API at another endpoint (e.g. a closed port, to play a region outage) and
   * re-synthesizes; `undefined` points it back at the emulator.
   */
  setRegionEndpoint(region: string, endpoint: string | undefined): void {
    if (endpoint === undefined) delete this.regionOverrides[region];
    else this.regionOverrides[region] = endpoint;
    this.synth();
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  /** Applies stacks stage by stage (in parallel within a stage). @default every stack */
  async apply(stacks: readonly string[] = ALL_STACKS, options: RunOptions & { vars?: Record<string, string> } = {}): Promise<void> {
    for (const stage of DEPLOY_STAGES) {
      const selected = stage.filter((stack) => stacks.includes(stack));
      if (selected.length === 0) continue;
      await Promise.all(
        selected.map(async (stack) => {
          const started = Date.now();
          this.log(`${stack}: applying`);
          await this.workspace.ensureInit(stack, options);
          await this.workspace.apply(stack, options);
          this.log(`${stack}: applied in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        }),
      );
    }
  }

  /** Destroys stacks in reverse stage order. @default every stack */
  async destroy(stacks: readonly string[] = ALL_STACKS, options: RunOptions & { vars?: Record<string, string> } = {}): Promise<void> {
    for (const stage of [...DEPLOY_STAGES].reverse()) {
      const selected = stage.filter((stack) => stacks.includes(stack));
      await Promise.all(
        selected.map(async (stack) => {
          this.log(`${stack}: destroying`);
          await this.workspace.ensureInit(stack, options);
          await this.workspace.destroy(stack, options);
        }),
      );
    }
  }

  /** Outputs of each stack, by stack name. */
  async outputs(stacks: readonly string[] = ALL_STACKS): Promise<Record<string, Record<string, unknown>>> {
    const entries = await Promise.all(stacks.map(async (stack) => [stack, await this.workspace.output(stack)] as const));
    return Object.fromEntries(entries);
  }

  /** An EC2 client for a region, talking to the emulator as its root user (set-up and read-backs). */
  ec2(region: string): EC2Client {
    let client = this.clients.get(region);
    if (!client) {
      client = new EC2Client({ region, endpoint: this.emulator.endpoint, credentials: EMULATOR_ROOT_CREDENTIALS, maxAttempts: 2 });
      this.clients.set(region, client);
    }
    return client;
  }

  /**
   * Leaves the emulator running and the working folder in place when this process ends (a
   * `detachable` deployment only); its PID is then the only way to stop it.
   */
  release(): void {
    if (!("detach" in this.emulator)) throw new Error("release() needs a deployment started with detachable: true");
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
    this.emulator.detach();
  }

  /** Stops the emulator by PID and removes the working folder. Safe to call twice. */
  async stop(): Promise<void> {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
    await this.emulator.stop();
    if (!this.options.keepWorkDir) rmSync(this.workDir, { recursive: true, force: true });
  }
}
