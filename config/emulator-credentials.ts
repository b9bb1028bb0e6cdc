/**
 * The keys the local AWS emulator accepts, defined once for the app and the CLI. They are never
 * real credentials: moto accepts any, and they are used only when a target is an emulator, so
 * real keys never go there and these never go to AWS.
 */

const ACCESS_KEY_ID = "testing";
const SECRET_ACCESS_KEY = "testing";

/** In the AWS SDK's shape (EC2Client `credentials`). */
export const EMULATOR_CREDENTIALS = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY } as const;

/** In the AWS provider's and S3 backend's shape (`access_key`, `secret_key`). */
export const EMULATOR_PROVIDER_KEYS = { accessKey: ACCESS_KEY_ID, secretKey: SECRET_ACCESS_KEY } as const;
