/**
 * The emulator's keys are defined once: the CLI's SDK clients and the synthesized AWS provider
 * (emulator mode) read the same environment, so a command and a terraform run sign as the same
 * emulator user, and the root user's keys when none is named.
 */
import {
  EMULATOR_CREDENTIALS,
  EMULATOR_ROOT_CREDENTIALS,
  emulatorKeys,
  emulatorKeysEnvironment,
} from "../../config/emulator-credentials";
import { deploymentTarget } from "../../config/target";
import { EMULATOR_CREDENTIALS as CLI_CREDENTIALS } from "../../scripts/lib/emulator";
import { synthPair } from "../support/synth";
import { topologyWith } from "../support/topologies";

const USER = { accessKeyId: "AKIAEMULATORUSER0001", secretAccessKey: "user-secret" };

function providerKeys(env: NodeJS.ProcessEnv): Array<[string | undefined, string | undefined]> {
  const pair = synthPair(topologyWith(), deploymentTarget({ REGIONPAIR_EMULATOR_URL: "http://127.0.0.1:5000", ...env }));
  const providers = pair.json(pair.stacks.network.primary).provider.aws as Array<{ access_key?: string; secret_key?: string }>;
  return providers.map((p) => [p.access_key, p.secret_key]);
}

describe("the emulator's credentials", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test("GIVEN the CLI's emulator credentials WHEN compared with the shared definition THEN they are the same object", () => {
    expect(CLI_CREDENTIALS).toBe(EMULATOR_CREDENTIALS);
  });

  test("GIVEN no emulator keys in the environment WHEN the app is synthesized and a request signed THEN both use the root user's keys", () => {
    expect(providerKeys({})).toEqual([[EMULATOR_ROOT_CREDENTIALS.accessKeyId, EMULATOR_ROOT_CREDENTIALS.secretAccessKey]]);
    expect(emulatorKeys({})).toEqual(EMULATOR_ROOT_CREDENTIALS);
  });

  test("GIVEN an emulator user's keys in the environment WHEN the app is synthesized THEN its providers carry that user's keys", () => {
    expect(providerKeys(emulatorKeysEnvironment(USER))).toEqual([[USER.accessKeyId, USER.secretAccessKey]]);
  });

  test("GIVEN the shared SDK credentials WHEN the environment names another user after they were taken THEN they answer that user's keys", () => {
    const taken = EMULATOR_CREDENTIALS;
    Object.assign(process.env, emulatorKeysEnvironment(USER));

    expect({ accessKeyId: taken.accessKeyId, secretAccessKey: taken.secretAccessKey }).toEqual(USER);
  });
});
