/**
 * The keys emulator requests are signed with, defined once for the app and the CLI. They are never
 * real credentials and are used only when a target is an emulator, so real keys never go there
 * and these never go to AWS.
 *
 * They come from the environment: `REGIONPAIR_EMULATOR_ACCESS_KEY_ID` /
 * `REGIONPAIR_EMULATOR_SECRET_ACCESS_KEY` hold an emulator IAM user's keys when the emulator
 * enforces IAM (EmulatorDeployment hands them out per role), so a command or a terraform run acts
 * with exactly one role's permissions. Unset, they are the emulator's own keys: its root user,
 * allowed everything (emulator fix iam_root_user_access_key).
 */

export const EMULATOR_ACCESS_KEY_ENV = "REGIONPAIR_EMULATOR_ACCESS_KEY_ID";
export const EMULATOR_SECRET_KEY_ENV = "REGIONPAIR_EMULATOR_SECRET_ACCESS_KEY";

/** In the AWS SDK's shape (a client's `credentials`). */
export interface EmulatorKeys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** The emulator's own keys (its root user): set-up, read-backs, and every run while IAM is off. */
export const EMULATOR_ROOT_CREDENTIALS: EmulatorKeys = { accessKeyId: "testing", secretAccessKey: "testing" };

/** The keys `env` names, else the root user's. */
export function emulatorKeys(env: NodeJS.ProcessEnv = process.env): EmulatorKeys {
  return {
    accessKeyId: env[EMULATOR_ACCESS_KEY_ENV] || EMULATOR_ROOT_CREDENTIALS.accessKeyId,
    secretAccessKey: env[EMULATOR_SECRET_KEY_ENV] || EMULATOR_ROOT_CREDENTIALS.secretAccessKey,
  };
}

/** The environment that makes `emulatorKeys` (and the SDK's default chain) answer `keys`. */
export function emulatorKeysEnvironment(keys: EmulatorKeys): NodeJS.ProcessEnv {
  return {
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    [EMULATOR_ACCESS_KEY_ENV]: keys.accessKeyId,
    [EMULATOR_SECRET_KEY_ENV]: keys.secretAccessKey,
  };
}

/**
 * SDK credentials read from process.env each time a request is signed (not when the client is
 * built), so a command signs as whichever role its environment names.
 */
export const EMULATOR_CREDENTIALS: EmulatorKeys = {
  get accessKeyId() {
    return emulatorKeys().accessKeyId;
  },
  get secretAccessKey() {
    return emulatorKeys().secretAccessKey;
  },
};

/** In the AWS provider's and S3 backend's shape (`access_key`, `secret_key`). */
export function emulatorProviderKeys(keys: EmulatorKeys): { readonly accessKey: string; readonly secretKey: string } {
  return { accessKey: keys.accessKeyId, secretKey: keys.secretAccessKey };
}
