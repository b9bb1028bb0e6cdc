/**
 * Where the synthesized stacks deploy: real AWS (the default) or an AWS emulator, and where local
 * state files live. Read from the environment at synth time so `cdktf synth` needs no flags:
 *
 * - `REGIONPAIR_EMULATOR_URL`: send every region's API calls to this endpoint (e.g. the local
 *   moto_server that `npm start` runs). Emulator mode also relaxes the provider's account and
 *   credential checks and lowers its retries so an emulator error fails fast.
 * - `REGIONPAIR_EMULATOR_URL_<REGION>` (e.g. `REGIONPAIR_EMULATOR_URL_US_EAST_1`): override one
 *   region's endpoint, which is how tests make a single region unreachable.
 * - `REGIONPAIR_STATE_DIR`: folder for local state files. @default the project root
 * - `REGIONPAIR_EMULATOR_ACCESS_KEY_ID` / `_SECRET_ACCESS_KEY`: the keys emulator requests are
 *   signed with (config/emulator-credentials.ts).
 */
import * as path from "node:path";
import { EmulatorKeys, emulatorKeys } from "./emulator-credentials";
import { PROJECT_ROOT } from "./topology";

export const EMULATOR_URL_ENV = "REGIONPAIR_EMULATOR_URL";
export const STATE_DIR_ENV = "REGIONPAIR_STATE_DIR";
export function regionEndpointEnv(region: string): string {
  return `${EMULATOR_URL_ENV}_${region.toUpperCase().replace(/-/g, "_")}`;
}

export interface DeploymentTarget {
  /** The emulator endpoint for a region, or undefined for real AWS. */
  emulatorEndpoint(region: string): string | undefined;
  /** Absolute folder for local state files. */
  readonly stateDirectory: string;
  /** Keys for emulator endpoints, from the same environment (never sent to AWS). */
  readonly emulatorKeys: EmulatorKeys;
}

export function deploymentTarget(env: NodeJS.ProcessEnv = process.env): DeploymentTarget {
  const stateDirectory = path.resolve(env[STATE_DIR_ENV] || PROJECT_ROOT);
  return {
    emulatorEndpoint: (region) => env[regionEndpointEnv(region)] || env[EMULATOR_URL_ENV] || undefined,
    stateDirectory,
    emulatorKeys: emulatorKeys(env),
  };
}

/** Real AWS, local state in the project root: what `cdktf synth` uses with a clean environment. */
export const AWS_TARGET: DeploymentTarget = deploymentTarget({});
