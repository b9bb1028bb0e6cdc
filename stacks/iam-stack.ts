import { TerraformOutput, TerraformStack, Token } from "cdktf";
import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import type { IamConfig, Topology } from "../config/topology-model";
import type { DeploymentTarget } from "../config/target";
import { partitionOf } from "../config/regions";
import { Naming } from "../constructs/naming";
import { PipelineRole } from "../constructs/pipeline-role";
import type { PolicyDocument } from "../scripts/iam/policy-document";
import { GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_HOST, trustPolicy } from "../scripts/iam/role-trust";
import { ROLE_NAMES, ROLE_SUMMARIES, RoleName, iamRoleName } from "../scripts/iam/role-names";
import { configureStateBackend, regionProvider } from "./aws-provider";

/** A role's permissions for an account (the generated policy; `account` may be a token). */
export type RolePolicySource = (role: RoleName, account: string) => PolicyDocument;

export interface IamStackProps {
  readonly topology: Topology & { readonly iam: IamConfig };
  readonly target: DeploymentTarget;
  readonly rolePolicy: RolePolicySource;
}

/**
 * The roles the pipelines and operators assume, each with its generated least-privilege policy
 * (scripts/iam, the same text `regionpair iam policy <role>` prints) and its trust: GitHub's OIDC
 * provider for the workflow jobs that assume it, the account for the operators' roles. IAM is
 * global: one provider (the primary region's) and state with the primary. An administrator
 * applies it; the deploy and plan roles may only read it, so a changed policy fails their apply
 * instead of letting a pipeline widen its own permissions.
 */
export class IamStack extends TerraformStack {
  readonly roles: Readonly<Record<RoleName, PipelineRole>>;
  readonly oidcProviderArn: string;

  constructor(scope: Construct, name: string, props: IamStackProps) {
    super(scope, name);
    const { topology, target } = props;
    const naming = Naming.attach(this, new Naming(topology.name));
    regionProvider(this, "aws", { region: topology.primary.region, accountId: topology.primary.accountId, defaultTags: naming.pairTags(), target });
    configureStateBackend(this, name, { state: topology.state, layout: topology.primary, target });

    const account = Token.asString(new DataAwsCallerIdentity(this, "account").accountId);
    const partition = partitionOf(topology.primary.region);
    this.oidcProviderArn =
      topology.iam.github.oidcProviderArn ??
      new IamOpenidConnectProvider(this, "github-oidc", {
        url: `https://${GITHUB_OIDC_HOST}`,
        clientIdList: [GITHUB_OIDC_AUDIENCE],
        // No thumbprints: IAM verifies GitHub's tokens against its own trusted certificate authorities.
      }).arn;

    const roles = {} as Record<RoleName, PipelineRole>;
    for (const role of ROLE_NAMES) {
      roles[role] = new PipelineRole(this, role, {
        roleName: iamRoleName(topology, role),
        description: `regionpair ${topology.name}: ${ROLE_SUMMARIES[role]}`.slice(0, 1000),
        trustPolicyJson: JSON.stringify(trustPolicy(role, { iam: topology.iam, oidcProviderArn: this.oidcProviderArn, partition, account })),
        policyJson: JSON.stringify(props.rolePolicy(role, account)),
      });
      new TerraformOutput(this, `${role}-role-arn`, { value: roles[role].roleArn });
    }
    this.roles = roles;
  }
}
