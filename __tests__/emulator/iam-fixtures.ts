/**
 * IAM users for the IAM-enforcement fix tests: a user holding exactly one inline policy, its
 * clients, and switching the emulator's enforcement on and off. Builders only create and
 * return; every expectation stays in the test.
 */
import { EC2Client } from "@aws-sdk/client-ec2";
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { EMULATOR_ROOT_CREDENTIALS } from "../../config/emulator-credentials";
import { EmulatorHandle } from "../support/emulator";

export interface PolicyStatement {
  readonly Effect: "Allow" | "Deny";
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Record<string, Record<string, string | readonly string[]>>;
}

export interface UserKeys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

let users = 0;

/** A new IAM user whose only permissions are `statements`; made with the account's own keys. */
export async function userWithPolicy(emulator: EmulatorHandle, statements: readonly PolicyStatement[]): Promise<UserKeys> {
  const iam = new IAMClient({ region: "us-east-1", endpoint: emulator.current.endpoint, credentials: EMULATOR_ROOT_CREDENTIALS, maxAttempts: 1 });
  try {
    users += 1;
    const UserName = `policy-user-${users}`;
    await iam.send(new CreateUserCommand({ UserName }));
    await iam.send(new PutUserPolicyCommand({ UserName, PolicyName: "only", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: statements }) }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName }));
    return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
  } finally {
    iam.destroy();
  }
}

export function ec2As(emulator: EmulatorHandle, keys: UserKeys, region: string): EC2Client {
  return new EC2Client({ region, endpoint: emulator.current.endpoint, credentials: keys, maxAttempts: 1 });
}

/** Checks every request from now on (`true`), or none (`false`). */
export async function enforceIam(emulator: EmulatorHandle, on: boolean): Promise<void> {
  const response = await fetch(`${emulator.current.endpoint}/moto-api/reset-auth`, {
    method: "POST",
    headers: { "content-type": "text/plain" },
    body: on ? "0" : "inf",
  });
  if (!response.ok) throw new Error(`reset-auth answered ${response.status}`);
}

/** The AWS error code a DryRun call answered with: DryRunOperation (allowed) or UnauthorizedOperation (denied). */
export async function dryRunAnswer(send: () => Promise<unknown>): Promise<string> {
  try {
    await send();
  } catch (error) {
    return (error as Error).name;
  }
  return "performed";
}

/** The outcome of a real (read) call: "allowed" or its error code. */
export async function callAnswer(send: () => Promise<unknown>): Promise<string> {
  try {
    await send();
    return "allowed";
  } catch (error) {
    return (error as Error).name;
  }
}
