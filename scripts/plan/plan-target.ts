/**
 * Where `plan` plans: into an emulator only when asked (--emulator, or REGIONPAIR_EMULATOR_URL
 * set), otherwise into AWS, which needs credentials. A pipeline whose credentials step failed
 * must fail, not quietly plan into a throwaway emulator and pass.
 */
import * as os from "node:os";
import * as path from "node:path";
import { EMULATOR_URL_ENV } from "../../config/target";
import { ExternalError } from "../lib/cli";

export type PlanTarget =
  /** A throwaway local emulator the command starts and stops (--emulator). */
  | { readonly kind: "own-emulator" }
  /** The emulator REGIONPAIR_EMULATOR_URL names. */
  | { readonly kind: "emulator"; readonly url: string }
  /** AWS, with the credentials the SDK's default chain finds. */
  | { readonly kind: "aws" };

export function choosePlanTarget(emulatorFlag: boolean, env: NodeJS.ProcessEnv): PlanTarget {
  const url = env[EMULATOR_URL_ENV];
  if (url) return { kind: "emulator", url };
  return emulatorFlag ? { kind: "own-emulator" } : { kind: "aws" };
}

const isSet = (env: NodeJS.ProcessEnv, name: string) => (env[name] ? `${name} is set` : `${name} is not set`);

/**
 * The AWS SDK's default credential chain, in its order, with what this environment gives each
 * source: what to look at when none of them produced credentials.
 */
export function credentialSourcesTried(env: NodeJS.ProcessEnv, home: string = os.homedir()): string[] {
  const profile = env.AWS_PROFILE || "default";
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE || path.join(home, ".aws", "credentials");
  const configFile = env.AWS_CONFIG_FILE || path.join(home, ".aws", "config");
  return [
    `environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (${env.AWS_ACCESS_KEY_ID ? "AWS_ACCESS_KEY_ID is set" : "AWS_ACCESS_KEY_ID is not set"}, ${env.AWS_SECRET_ACCESS_KEY ? "AWS_SECRET_ACCESS_KEY is set" : "AWS_SECRET_ACCESS_KEY is not set"})`,
    `profile '${profile}' in ${credentialsFile} and ${configFile}: keys, SSO, credential_process or a role to assume (${env.AWS_PROFILE ? "AWS_PROFILE is set" : "AWS_PROFILE is not set"})`,
    `web identity: AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN, as OIDC in a pipeline sets them (${isSet(env, "AWS_WEB_IDENTITY_TOKEN_FILE")}, ${isSet(env, "AWS_ROLE_ARN")})`,
    `container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or AWS_CONTAINER_CREDENTIALS_FULL_URI (${env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI ? "set" : "neither is set"})`,
    `the EC2 instance metadata service (${env.AWS_EC2_METADATA_DISABLED === "true" ? "turned off by AWS_EC2_METADATA_DISABLED" : "no instance role answered"})`,
  ];
}

/** The failure when the default chain found no credentials; `cause` is the SDK's own message. */
export function noCredentialsError(env: NodeJS.ProcessEnv, cause: string, home?: string): ExternalError {
  const tried = credentialSourcesTried(env, home).map((line) => `  - ${line}`);
  return new ExternalError(
    [`no AWS credentials found, so there is nothing to plan against (${cause}). Tried, in the AWS SDK's order:`, ...tried].join("\n"),
    "NoCredentials",
    "in a pipeline, that the credentials step (aws-actions/configure-aws-credentials) ran before the plan and succeeded: the role ARN, " +
      "its trust policy for this repository and environment, and 'id-token: write'; locally, 'aws sts get-caller-identity', AWS_PROFILE or 'aws sso login'. " +
      `To plan into a throwaway local emulator instead, pass --emulator (or set ${EMULATOR_URL_ENV} for an emulator of your own)`,
  );
}
