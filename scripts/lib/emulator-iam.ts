/**
 * IAM enforcement in the emulator: one IAM user per role holding only that role's generated
 * policy, then moto told to check every request. The account's own keys stay the root user
 * (emulator fix iam_root_user_access_key), so set-up and read-backs keep working.
 */
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import type { Topology } from "../../config/topology";
import { EMULATOR_ROOT_CREDENTIALS, EmulatorKeys } from "../../config/emulator-credentials";
import { IamAction } from "../iam/aws-call";
import { ROLE_NAMES, RoleName, rolePolicy } from "../iam/roles";
import { EMULATOR_ACCOUNT_ID } from "./emulator";
import { ExternalError } from "./cli";

/** Sets how many more requests moto lets through unchecked: 0 enforces from now on, Infinity switches it off. */
export async function setIamEnforcement(endpoint: string, on: boolean): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset-auth`, { method: "POST", headers: { "content-type": "text/plain" }, body: on ? "0" : "inf" });
  if (!response.ok) throw new ExternalError(`the emulator refused to ${on ? "enforce" : "stop enforcing"} IAM (HTTP ${response.status})`, "EmulatorIam");
}

let created = 0;

/** Creates an emulator IAM user holding only `role`'s policy (less `without`) and returns its keys. */
export async function createRoleUser(endpoint: string, topology: Topology, role: RoleName, without: readonly IamAction[] = []): Promise<EmulatorKeys> {
  const iam = new IAMClient({ region: "us-east-1", endpoint, credentials: EMULATOR_ROOT_CREDENTIALS, maxAttempts: 2 });
  try {
    created += 1;
    const UserName = `regionpair-${role}-${created}`;
    await iam.send(new CreateUserCommand({ UserName }));
    const policy = rolePolicy(role, topology, { account: EMULATOR_ACCOUNT_ID, without });
    await iam.send(new PutUserPolicyCommand({ UserName, PolicyName: `regionpair-${role}`, PolicyDocument: JSON.stringify(policy) }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName }));
    return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
  } finally {
    iam.destroy();
  }
}

/** Users for every role, and enforcement switched on. */
export async function enforceRoles(endpoint: string, topology: Topology): Promise<Record<RoleName, EmulatorKeys>> {
  const keys = {} as Record<RoleName, EmulatorKeys>;
  for (const role of ROLE_NAMES) keys[role] = await createRoleUser(endpoint, topology, role);
  await setIamEnforcement(endpoint, true);
  return keys;
}
