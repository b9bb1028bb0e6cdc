import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";

export interface PipelineRoleProps {
  /** The role's name in AWS. */
  readonly roleName: string;
  readonly description: string;
  /** The trust policy document (who may assume it), as JSON. */
  readonly trustPolicyJson: string;
  /** The permissions, as JSON: the role's generated least-privilege policy. */
  readonly policyJson: string;
}

/**
 * One of regionpair's roles: its trust, and its generated policy as the only permissions. The
 * policy is inline (one per role, replaced with the role) rather than managed, so nothing else
 * can attach it and a change shows in the plan as this role's policy.
 */
export class PipelineRole extends Construct {
  readonly role: IamRole;
  readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: PipelineRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: props.trustPolicyJson,
      // One hour covers the longest pipeline step; a failover is minutes.
      maxSessionDuration: 3600,
    });
    this.policy = new IamRolePolicy(this, "policy", { name: "regionpair", role: this.role.id, policy: props.policyJson });
  }

  get roleArn(): string {
    return this.role.arn;
  }
}
