/**
 * The optional iam stack: built only for a topology with `iam`; one role per regionpair role,
 * whose only permissions are the generated policy, trusted by GitHub's OIDC provider for exactly
 * the workflow jobs that assume it (audience sts.amazonaws.com, the repository and environment
 * in `sub`), or by the account for the operators' roles.
 */
import { ROLE_NAMES, RoleName, iamRoleName, roleActions, rolePolicy } from "../../../scripts/iam/roles";
import { WORKFLOW_ROLE_USES } from "../../../scripts/iam/workflow-roles";
import { synthPair, resourcesOfType } from "../../support/synth";
import { topologyWith } from "../../support/topologies";

const REPOSITORY = "example-org/dr-network";
const withIam = (github: Record<string, string> = {}) => topologyWith((input) => (input.iam = { github: { repository: REPOSITORY, ...github } }));
const ACCOUNT = "${data.aws_caller_identity.account.account_id}";
const OIDC_PROVIDER = "${aws_iam_openid_connect_provider.github-oidc.arn}";

function iamJson(topology = withIam()) {
  const pair = synthPair(topology);
  return { pair, json: pair.json(pair.stacks.iam!) };
}

function roleNamed(json: any, name: string): { role: any; policies: any[] } {
  const role = resourcesOfType(json, "aws_iam_role").find((r) => r.name === name);
  const id = Object.entries(json.resource.aws_iam_role).find(([, r]) => (r as { name: string }).name === name)![0];
  const policies = resourcesOfType(json, "aws_iam_role_policy").filter((p) => p.role === `\${aws_iam_role.${id}.id}`);
  return { role, policies };
}

describe("the iam stack", () => {
  const topology = withIam();
  const { pair, json } = iamJson(topology);

  test("GIVEN a topology without iam WHEN synthesized THEN there is no iam stack", () => {
    expect(synthPair(topologyWith()).stacks.iam).toBeUndefined();
  });

  test("GIVEN iam WHEN synthesized THEN one role per regionpair role, named after the topology, and nothing else but the OIDC provider", () => {
    expect(resourcesOfType(json, "aws_iam_role").map((r) => r.name).sort()).toEqual(ROLE_NAMES.map((role) => iamRoleName(topology, role)).sort());
    expect(Object.keys(json.resource).sort()).toEqual(["aws_iam_openid_connect_provider", "aws_iam_role", "aws_iam_role_policy"]);
    expect(pair.stacks.iam!.node.dependencies).toEqual([]);
  });

  test.each(ROLE_NAMES)("GIVEN the %s role THEN its only permissions are one inline policy equal to the generated one for the deploying account", (role) => {
    const { role: resource, policies } = roleNamed(json, iamRoleName(topology, role));
    expect(resource.managed_policy_arns).toBeUndefined();
    expect(policies).toHaveLength(1);
    expect(JSON.parse(policies[0].policy)).toEqual(rolePolicy(role, topology, { account: ACCOUNT }));
  });

  test("GIVEN no existing provider THEN GitHub's OIDC provider is created for the audience sts.amazonaws.com", () => {
    expect(resourcesOfType(json, "aws_iam_openid_connect_provider")).toEqual([
      expect.objectContaining({ url: "https://token.actions.githubusercontent.com", client_id_list: ["sts.amazonaws.com"] }),
    ]);
  });

  const trustOf = (role: RoleName, source = json) => JSON.parse(roleNamed(source, iamRoleName(topology, role)).role.assume_role_policy);
  const oidcTrust = (sub: string | string[], provider = OIDC_PROVIDER) => ({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "GitHubWorkflows",
        Effect: "Allow",
        Principal: { Federated: provider },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": sub } },
      },
    ],
  });

  test("GIVEN the deploy and failover roles THEN they trust only the repository's jobs in the deploy environment (deploy.yml, failover.yml)", () => {
    expect(trustOf("deploy")).toEqual(oidcTrust(`repo:${REPOSITORY}:environment:production`));
    expect(trustOf("failover")).toEqual(oidcTrust(`repo:${REPOSITORY}:environment:production`));
  });

  test("GIVEN the plan role THEN it trusts only the pull-request plan job, by its environment of its own", () => {
    expect(trustOf("plan")).toEqual(oidcTrust(`repo:${REPOSITORY}:environment:production-plan`));
    expect(WORKFLOW_ROLE_USES.filter((use) => Object.values(use.roleVariables).includes("plan")).map((use) => use.event)).toEqual(["pull_request"]);
  });

  test.each(["ami-copy", "ena-enable", "restore"] as const)("GIVEN the %s role (no workflow assumes it) THEN it trusts the account, where operators' own policies decide", (role) => {
    expect(trustOf(role)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "AccountOperators", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:AssumeRole" }],
    });
  });

  test("GIVEN other environment names and an existing OIDC provider THEN the trust follows them and no provider is created", () => {
    const provider = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";
    const custom = withIam({ environment: "prod", planEnvironment: "prod-readonly", oidcProviderArn: provider });
    const { json: customJson } = iamJson(custom);
    expect(resourcesOfType(customJson, "aws_iam_openid_connect_provider")).toEqual([]);
    expect(trustOf("deploy", customJson)).toEqual(oidcTrust(`repo:${REPOSITORY}:environment:prod`, provider));
    expect(trustOf("plan", customJson)).toEqual(oidcTrust(`repo:${REPOSITORY}:environment:prod-readonly`, provider));
  });

  test("GIVEN the role descriptions THEN IAM accepts them (at most 1000 characters of its set)", () => {
    for (const role of resourcesOfType(json, "aws_iam_role")) expect(role.description).toMatch(/^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]{1,1000}$/);
  });
});

describe("the pipelines and the iam stack", () => {
  const topology = withIam();

  test("GIVEN the deploy and plan roles THEN they may read the iam stack's roles and provider but change no IAM role, policy or provider", () => {
    for (const role of ["deploy", "plan"] as const) {
      const iam = roleActions(role, topology).filter((a) => a.startsWith("iam:"));
      expect(iam).toEqual(expect.arrayContaining(["iam:GetRole", "iam:GetRolePolicy", "iam:GetOpenIDConnectProvider"]));
      expect(iam.filter((a) => /^iam:(Create|Delete|Put|Update|Attach|Detach|Tag|Untag|Add|Remove)/.test(a) && a !== "iam:CreateServiceLinkedRole")).toEqual([]);
    }
    const reads = rolePolicy("deploy", topology, { account: "111122223333" }).Statement.find((s) => s.Action.includes("iam:GetRole"))!;
    expect(reads.Resource).toEqual([`arn:aws:iam::111122223333:role/${topology.name}-*`]);
  });

  test("GIVEN a topology without iam THEN no role reads IAM roles", () => {
    expect(ROLE_NAMES.flatMap((role) => roleActions(role, topologyWith())).filter((a) => a === "iam:GetRole")).toEqual([]);
  });
});

describe("the topology's iam field", () => {
  test.each([
    [{ github: { repository: "no-slash" } }, /iam\.github\.repository.*owner\/name/s],
    [{ github: { repository: REPOSITORY, environment: "prod", planEnvironment: "prod" } }, /iam\.github\.planEnvironment.*environment of its own/s],
    [{ github: { repository: REPOSITORY, oidcProviderArn: "arn:aws:iam::111122223333:oidc-provider/example.com" } }, /iam\.github\.oidcProviderArn.*GitHub's OIDC provider/s],
    [{ github: { repository: REPOSITORY }, kmsKeyArns: ["arn:aws:kms:ap-south-1:111122223333:key/abcd"] }, /iam\.kmsKeyArns\[0\].*not in the pair's regions/s],
  ])("GIVEN iam %j THEN the topology is refused naming the field and the fix", (iam, message) => {
    expect(() => topologyWith((input) => (input.iam = iam))).toThrow(message);
  });
});
