/**
 * The emulator `local-deploy --keep` leaves running, and what it writes so other commands use
 * it: `<local dir>/env` (shell `export` lines: `source` it and `failover`, `reach`, `plan` and
 * `cdktf` talk to the emulator, offline) and `<local dir>/emulator.json` (its PID, for
 * `--stop`). The folder also holds the state, the synthesized stacks and the emulator's log.
 */
import { existsSync, readFileSync, readdirSync, rmSync, rmdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT, TOPOLOGY_ENV } from "../../config/topology";
import { EMULATOR_URL_ENV, STATE_DIR_ENV } from "../../config/target";
import { EMULATOR_CREDENTIALS, isEmulatorProcess, stopEmulatorProcess } from "../lib/emulator";
import { offlineCliConfig } from "../lib/terraform";

/** Where --keep writes; for a second checkout or for tests. @default <project>/.regionpair/local */
export const LOCAL_DIR_ENV = "REGIONPAIR_LOCAL_DIR";

export function localDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env[LOCAL_DIR_ENV] || path.join(PROJECT_ROOT, ".regionpair", "local"));
}

export interface KeptEmulator {
  readonly pid: number;
  readonly endpoint: string;
  /** The topology file it was deployed from. */
  readonly topologyFile: string;
  readonly startedAt: string;
}

export interface KeptPaths {
  readonly dir: string;
  readonly envFile: string;
  readonly recordFile: string;
  readonly cliConfigFile: string;
}

export function keptPaths(dir: string): KeptPaths {
  return { dir, envFile: path.join(dir, "env"), recordFile: path.join(dir, "emulator.json"), cliConfigFile: path.join(dir, "terraform.rc") };
}

/** What the folder records, if anything. */
export function readKeptEmulator(dir: string): KeptEmulator | undefined {
  const { recordFile } = keptPaths(dir);
  if (!existsSync(recordFile)) return undefined;
  try {
    return JSON.parse(readFileSync(recordFile, "utf8")) as KeptEmulator;
  } catch {
    return undefined;
  }
}

/** The kept emulator, if its process still runs (a PID reused by another program does not count). */
export function runningKeptEmulator(dir: string): KeptEmulator | undefined {
  const kept = readKeptEmulator(dir);
  return kept && isEmulatorProcess(kept.pid) ? kept : undefined;
}

export interface KeptEnvironment {
  readonly endpoint: string;
  readonly stateDir: string;
  readonly outdir: string;
  readonly topologyFile: string;
  readonly cliConfigFile: string;
  readonly localDir: string;
}

/** The variables that point every command at the kept emulator, offline, with its fake keys. */
export function keptEnvironment(values: KeptEnvironment): Record<string, string> {
  return {
    [EMULATOR_URL_ENV]: values.endpoint,
    [STATE_DIR_ENV]: values.stateDir,
    [TOPOLOGY_ENV]: values.topologyFile,
    [LOCAL_DIR_ENV]: values.localDir,
    CDKTF_OUTDIR: values.outdir,
    TF_CLI_CONFIG_FILE: values.cliConfigFile,
    CHECKPOINT_DISABLE: "1",
    // cdktf would otherwise point terraform at a plugin cache under the home folder.
    CDKTF_DISABLE_PLUGIN_CACHE_ENV: "true",
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

/** `export NAME='value'` lines, single-quoted so any value survives the shell. */
export function exportLines(variables: Readonly<Record<string, string>>): string {
  const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
  return Object.entries(variables)
    .map(([name, value]) => `export ${name}=${quote(value)}`)
    .join("\n");
}

/** Writes the env file, the offline Terraform CLI configuration it names, and the PID record. */
export function writeKeptEmulator(dir: string, kept: KeptEmulator, variables: Readonly<Record<string, string>>, mirrorRoot: string): KeptPaths {
  const paths = keptPaths(dir);
  writeFileSync(paths.cliConfigFile, offlineCliConfig(mirrorRoot));
  writeFileSync(paths.envFile, `# Written by 'regionpair local-deploy --keep'; removed by 'regionpair local-deploy --stop'.\n${exportLines(variables)}\n`);
  writeFileSync(paths.recordFile, `${JSON.stringify(kept, null, 2)}\n`);
  return paths;
}

/**
 * Stops the kept emulator by its recorded PID (only if that PID is still the emulator) and
 * removes the folder, and `.regionpair/` too when that was all it held.
 */
export async function stopKeptEmulator(dir: string): Promise<{ readonly stopped?: KeptEmulator; readonly removed: boolean }> {
  const running = runningKeptEmulator(dir);
  if (running) await stopEmulatorProcess(running.pid);
  const removed = existsSync(dir);
  rmSync(dir, { recursive: true, force: true });
  const parent = path.dirname(dir);
  if (path.basename(parent) === ".regionpair" && existsSync(parent) && readdirSync(parent).length === 0) rmdirSync(parent);
  return { ...(running ? { stopped: running } : {}), removed };
}
