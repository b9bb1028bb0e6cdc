/**
 * A command's role in the e2e suites that run its CLI against a bare emulator (useEmulator): one
 * emulator IAM user holding only that role's generated policy, and IAM enforced from then on, so
 * a call the policy does not allow fails the test. Fixtures stay with the root user, which
 * enforcement never limits. With REGIONPAIR_E2E_IAM=off (to compare timings) the command runs as
 * the root user and nothing is enforced.
 */
import { EmulatorKeys, EMULATOR_ROOT_CREDENTIALS, emulatorKeysEnvironment } from "../../config/emulator-credentials";
import type { Topology } from "../../config/topology";
import { defaultIamMode } from "../../scripts/lib/emulator-deployment";
import { createRoleUser, setIamEnforcement } from "../../scripts/lib/emulator-iam";
import type { RoleName } from "../../scripts/iam/roles";
import { EmulatorHandle } from "./emulator";

export interface RoleCredentials {
  /** Whether the emulator checks the role's requests against its policy. */
  readonly enforced: boolean;
  /** The keys the command signs with (set in beforeAll). */
  readonly keys: EmulatorKeys;
  /** The CLI environment that signs as the role. */
  readonly env: NodeJS.ProcessEnv;
}

/** Registers a beforeAll (after useEmulator's) that creates the role's user and enforces IAM. */
export function useRoleCredentials(emulator: EmulatorHandle, role: RoleName, topology: Topology): RoleCredentials {
  const enforced = defaultIamMode() === "enforced";
  let keys: EmulatorKeys = EMULATOR_ROOT_CREDENTIALS;
  beforeAll(async () => {
    if (!enforced) return;
    keys = await createRoleUser(emulator.current.endpoint, topology, role);
    await setIamEnforcement(emulator.current.endpoint, true);
  });
  return {
    enforced,
    get keys() {
      return keys;
    },
    get env() {
      return emulatorKeysEnvironment(keys);
    },
  };
}
