/**
 * The emulator's keys are defined once: the CLI's SDK clients and the synthesized AWS provider
 * (emulator mode) use the same ones.
 */
import { EMULATOR_CREDENTIALS, EMULATOR_PROVIDER_KEYS } from "../../config/emulator-credentials";
import { deploymentTarget } from "../../config/target";
import { EMULATOR_CREDENTIALS as CLI_CREDENTIALS } from "../../scripts/lib/emulator";
import { synthPair } from "../support/synth";
import { topologyWith } from "../support/topologies";

describe("the emulator's credentials", () => {
  test("GIVEN the CLI's emulator credentials WHEN compared with the shared definition THEN they are the same object", () => {
    expect(CLI_CREDENTIALS).toBe(EMULATOR_CREDENTIALS);
    expect(EMULATOR_PROVIDER_KEYS).toEqual({ accessKey: EMULATOR_CREDENTIALS.accessKeyId, secretKey: EMULATOR_CREDENTIALS.secretAccessKey });
  });

  test("GIVEN an emulator target WHEN the app is synthesized THEN its providers carry the same keys", () => {
    const pair = synthPair(topologyWith(), deploymentTarget({ REGIONPAIR_EMULATOR_URL: "http://127.0.0.1:5000" }));
    const providers = pair.json(pair.stacks.network.primary).provider.aws as Array<{ access_key?: string; secret_key?: string }>;
    expect(providers.map((p) => [p.access_key, p.secret_key])).toEqual([[EMULATOR_PROVIDER_KEYS.accessKey, EMULATOR_PROVIDER_KEYS.secretKey]]);
  });
});
