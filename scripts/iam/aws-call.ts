/**
 * The unit every permission list is made of: one IAM action a command (or terraform) calls, and
 * why. Policies, the preflight and docs/permissions.md are all generated from these lists, so a
 * permission is written down once, next to the code that needs it.
 */

/** An IAM action, `<service>:<Action>`, e.g. `ec2:ReplaceTransitGatewayRoute`. */
export type IamAction = `${"ec2" | "ssm" | "s3" | "sts" | "kms" | "iam" | "route53"}:${string}`;

export interface AwsCall {
  readonly action: IamAction;
  /** What the command uses it for, in a few words (shown in docs/permissions.md). */
  readonly purpose: string;
}

/** The calls one command makes, kept next to (and in step with) its code. */
export interface CommandCalls {
  /** The command as typed, e.g. `failover`, `ami copy`. */
  readonly command: string;
  /** Source files and folders whose SDK calls these declarations cover (checked by a unit test). */
  readonly sources: readonly string[];
  readonly calls: readonly AwsCall[];
}

export function call(action: IamAction, purpose: string): AwsCall {
  return { action, purpose };
}

export function serviceOf(action: IamAction): string {
  return action.split(":")[0];
}
