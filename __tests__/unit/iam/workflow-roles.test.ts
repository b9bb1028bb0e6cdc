/**
 * The iam stack's trust is written from WORKFLOW_ROLE_USES; these tests hold that list to the
 * workflow files: every job that assumes a role by OIDC is listed with its trigger, environment
 * and the variables its role-to-assume reads, and the role it gets can run what the job runs.
 */
import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { FAILOVER_CALLS } from "../../../scripts/iam/calls/failover";
import { roleActions } from "../../../scripts/iam/roles";
import { WORKFLOW_ROLE_USES, environmentName } from "../../../scripts/iam/workflow-roles";
import { topologyWith } from "../../support/topologies";

const WORKFLOWS = path.resolve(__dirname, "..", "..", "..", ".github", "workflows");
const topology = topologyWith((input) => (input.iam = { github: { repository: "example-org/dr-network" } }));

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, string>;
}
interface Job {
  readonly environment?: string | { readonly name: string };
  readonly permissions?: Record<string, string>;
  readonly steps: Step[];
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly jobs: Record<string, Job>;
}

const workflows = Object.fromEntries(
  readdirSync(WORKFLOWS)
    .filter((file) => file.endsWith(".yml"))
    .map((file) => [file, parse(readFileSync(path.join(WORKFLOWS, file), "utf8")) as Workflow]),
);

const credentialSteps = (job: Job) => job.steps.filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
/** The variable a `role-to-assume` expression reads first, e.g. AWS_FAILOVER_ROLE_ARN in `${{ vars.AWS_FAILOVER_ROLE_ARN || vars.AWS_ROLE_ARN }}`. */
const firstVariable = (step: Step) => /vars\.([A-Z0-9_]+)/.exec(step.with?.["role-to-assume"] ?? "")?.[1];

describe("the workflow jobs that assume a role", () => {
  test("GIVEN every workflow THEN the jobs that get an OIDC token and configure AWS credentials are exactly the listed ones", () => {
    const found = Object.entries(workflows)
      .flatMap(([file, workflow]) => Object.entries(workflow.jobs).map(([id, job]) => ({ file, id, job })))
      .filter(({ job }) => job.permissions?.["id-token"] === "write" && credentialSteps(job).length > 0)
      .map(({ file, id }) => `${file}#${id}`)
      .sort();
    expect(found).toEqual(WORKFLOW_ROLE_USES.map((use) => `${use.workflow}#${use.job}`).sort());
  });

  test.each(WORKFLOW_ROLE_USES.map((use) => [`${use.workflow}#${use.job}`, use] as const))(
    "GIVEN %s THEN its trigger, environment and role variables are the listed ones",
    (_name, use) => {
      const workflow = workflows[use.workflow];
      const job = workflow.jobs[use.job];
      expect(Object.keys(workflow.on)).toContain(use.event);
      const environment = typeof job.environment === "string" ? job.environment : job.environment?.name;
      expect(environment).toBe(environmentName(topology.iam!, use.environment));
      expect(new Set(credentialSteps(job).map(firstVariable))).toEqual(new Set(Object.keys(use.roleVariables)));
    },
  );

  test("GIVEN the role the failover workflow's job assumes THEN it holds every call of the failover command", () => {
    const use = WORKFLOW_ROLE_USES.find((u) => u.workflow === "failover.yml")!;
    const step = credentialSteps(workflows["failover.yml"].jobs[use.job])[0];
    const role = use.roleVariables[firstVariable(step)!];
    expect(FAILOVER_CALLS.calls.map((c) => c.action).filter((action) => !roleActions(role, topology).includes(action))).toEqual([]);
    expect(workflows["failover.yml"].jobs[use.job].steps.some((s) => /failover/.test(s.run ?? ""))).toBe(true);
  });

  test("GIVEN the deploy job's post-upgrade preflight THEN it assumes the failover role, whose calls it checks", () => {
    const use = WORKFLOW_ROLE_USES.find((u) => u.workflow === "deploy.yml")!;
    const steps = workflows["deploy.yml"].jobs[use.job].steps;
    const preflight = steps.findIndex((s) => /preflight --role failover/.test(s.run ?? ""));
    const credentials = steps.slice(0, preflight).filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@")).at(-1)!;
    expect(use.roleVariables[firstVariable(credentials)!]).toBe("failover");
  });
});
