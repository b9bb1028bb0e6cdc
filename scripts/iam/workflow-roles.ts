/**
 * Which GitHub Actions jobs (.github/workflows) assume which role, as data: the iam stack trusts
 * each role for exactly the jobs listed here, and a unit test checks the list against the
 * workflow files (the job's environment, its trigger, and the variable its role-to-assume reads).
 */
import type { IamConfig } from "../../config/topology";
import type { RoleName } from "./role-names";

/** Which of the topology's two GitHub environments a job runs in (`iam.github`). */
export type WorkflowEnvironment = "deploy" | "plan";

export interface WorkflowRoleUse {
  /** File name under .github/workflows. */
  readonly workflow: string;
  readonly job: string;
  /** The event that runs the job. */
  readonly event: "push" | "workflow_dispatch" | "pull_request";
  readonly environment: WorkflowEnvironment;
  /** The role each variable the job's `role-to-assume` reads (vars.<NAME>) must hold the ARN of. */
  readonly roleVariables: Readonly<Record<string, RoleName>>;
}

export const WORKFLOW_ROLE_USES: readonly WorkflowRoleUse[] = [
  {
    workflow: "deploy.yml",
    job: "deploy",
    event: "push",
    environment: "deploy",
    // The post-upgrade preflight assumes the failover role in the same job.
    roleVariables: { AWS_ROLE_ARN: "deploy", AWS_FAILOVER_ROLE_ARN: "failover" },
  },
  // It runs the failover command with the environment's AWS_ROLE_ARN, the deploy role's; so the
  // deploy role also holds the failover command's calls (roles.ts).
  { workflow: "failover.yml", job: "failover", event: "workflow_dispatch", environment: "deploy", roleVariables: { AWS_ROLE_ARN: "deploy" } },
  { workflow: "pull-request.yml", job: "plan", event: "pull_request", environment: "plan", roleVariables: { AWS_ROLE_ARN: "plan" } },
];

/** The GitHub environment name a job of `environment` runs in. */
export function environmentName(iam: IamConfig, environment: WorkflowEnvironment): string {
  return environment === "deploy" ? iam.github.environment : iam.github.planEnvironment;
}

/**
 * The `sub` claim of the job's OIDC token. A job that names an environment gets
 * `repo:<owner>/<repo>:environment:<name>`, whatever its event; only a job without one gets the
 * event's form, e.g. `repo:<owner>/<repo>:pull_request` (GitHub Docs, OpenID Connect reference,
 * "Example subject claims"). Every job above names one, so pull requests reach the plan role
 * through the plan environment only.
 */
export function oidcSubject(iam: IamConfig, use: WorkflowRoleUse): string {
  return `repo:${iam.github.repository}:environment:${environmentName(iam, use.environment)}`;
}

/** Every `sub` the role is assumed with, sorted; empty for a role no workflow assumes. */
export function workflowSubjects(iam: IamConfig, role: RoleName): string[] {
  const uses = WORKFLOW_ROLE_USES.filter((use) => Object.values(use.roleVariables).includes(role));
  return [...new Set(uses.map((use) => oidcSubject(iam, use)))].sort();
}
