/**
 * Who may assume each role (its trust policy). A role a workflow assumes trusts GitHub's OIDC
 * provider for exactly those jobs' tokens: audience `sts.amazonaws.com` (what
 * aws-actions/configure-aws-credentials asks for) and the jobs' `sub` claims (workflow-roles.ts).
 * A role only operators assume (ami-copy, ena-enable, restore) trusts the account, so who may
 * assume it is decided by their own IAM policies.
 */
import type { IamConfig } from "../../config/topology";
import type { RoleName } from "./role-names";
import { workflowSubjects } from "./workflow-roles";

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

export interface TrustStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Principal: { readonly Federated: string } | { readonly AWS: string };
  readonly Action: "sts:AssumeRoleWithWebIdentity" | "sts:AssumeRole";
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface TrustPolicy {
  readonly Version: "2012-10-17";
  readonly Statement: readonly TrustStatement[];
}

export interface TrustContext {
  readonly iam: IamConfig;
  /** The OIDC provider's ARN (created by the iam stack, or the topology's existing one). */
  readonly oidcProviderArn: string;
  readonly partition: string;
  readonly account: string;
}

export function trustPolicy(role: RoleName, context: TrustContext): TrustPolicy {
  const subjects = workflowSubjects(context.iam, role);
  if (subjects.length === 0) {
    return {
      Version: "2012-10-17",
      Statement: [{ Sid: "AccountOperators", Effect: "Allow", Principal: { AWS: `arn:${context.partition}:iam::${context.account}:root` }, Action: "sts:AssumeRole" }],
    };
  }
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "GitHubWorkflows",
        Effect: "Allow",
        Principal: { Federated: context.oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
            [`${GITHUB_OIDC_HOST}:sub`]: subjects.length === 1 ? subjects[0] : subjects,
          },
        },
      },
    ],
  };
}
