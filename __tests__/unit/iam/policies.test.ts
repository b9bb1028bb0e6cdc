/**
 * The generated policies: least privilege (every action by name, scoped where AWS supports it),
 * one source of truth (the commands' SDK calls are all declared; docs/permissions.md is the
 * generated text), and the `iam policy` command's contract.
 */
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import * as path from "node:path";
import { loadTopology } from "../../../config/topology";
import { AMI_COPY_CALLS } from "../../../scripts/iam/calls/ami-copy";
import { ENA_ENABLE_CALLS } from "../../../scripts/iam/calls/ena-enable";
import { FAILOVER_CALLS } from "../../../scripts/iam/calls/failover";
import { REACH_CALLS } from "../../../scripts/iam/calls/reach";
import { RESTORE_CALLS } from "../../../scripts/iam/calls/restore";
import { STATUS_CALLS } from "../../../scripts/iam/calls/status";
import { permissionsMarkdown } from "../../../scripts/iam/permissions-doc";
import { allowedActions } from "../../../scripts/iam/policy-document";
import { ROLE_NAMES, roleActions, rolePolicy } from "../../../scripts/iam/roles";
import { terraformActions } from "../../../scripts/iam/terraform-actions";
import { runCli } from "../../support/cli";
import { topologyWith } from "../../support/topologies";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const topology = topologyWith();

describe.each(ROLE_NAMES)("the %s role's policy", (role) => {
  const policy = rolePolicy(role, topology);

  test("GIVEN the generated document THEN every action is named in full: no wildcard action", () => {
    const actions = policy.Statement.flatMap((s) => s.Action);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => a.includes("*") || a.includes("?"))).toEqual([]);
  });

  test("GIVEN the generated document THEN it allows exactly the role's declared actions", () => {
    expect(allowedActions(policy)).toEqual(roleActions(role, topology));
  });

  test("GIVEN a statement on '*' for a regional service THEN it is limited to the pair's regions", () => {
    const regional = policy.Statement.filter((s) => s.Resource.includes("*") && s.Action.some((a) => /^(ec2|ssm):/.test(a)));
    for (const statement of regional) {
      const regions = statement.Condition?.StringEquals?.["aws:RequestedRegion"];
      expect({ sid: statement.Sid, regions }).toEqual({ sid: statement.Sid, regions: [topology.primary.region, topology.secondary.region] });
    }
  });
});

describe("scopes", () => {
  test("GIVEN the failover role for one region THEN its route calls name only that region's route tables and attachments, tagged with the topology", () => {
    const policy = rolePolicy("failover", topology, { region: topology.secondary.region });
    const routes = policy.Statement.find((s) => s.Action.includes("ec2:ReplaceTransitGatewayRoute"))!;
    expect(routes.Resource).toEqual([
      `arn:aws:ec2:${topology.secondary.region}:*:transit-gateway-attachment/*`,
      `arn:aws:ec2:${topology.secondary.region}:*:transit-gateway-route-table/*`,
    ]);
    expect(routes.Condition).toEqual({ StringEquals: { "aws:ResourceTag/regionpair:topology": topology.name } });
    expect(JSON.stringify(policy)).not.toContain(topology.primary.region);
  });

  test("GIVEN the failover role THEN it may move only the topology's VPCs between the topology's DHCP option sets; deploy (whose destroy associates `default`) is not so limited", () => {
    const association = (role: (typeof ROLE_NAMES)[number]) => rolePolicy(role, topology).Statement.filter((s) => s.Action.includes("ec2:AssociateDhcpOptions"));
    const [failover] = association("failover");
    expect(failover.Resource).toEqual(
      [topology.primary.region, topology.secondary.region].flatMap((r) => [`arn:aws:ec2:${r}:*:dhcp-options/*`, `arn:aws:ec2:${r}:*:vpc/*`]).sort(),
    );
    expect(failover.Condition).toEqual({ StringEquals: { "aws:ResourceTag/regionpair:topology": topology.name } });
    expect(association("deploy").map((s) => s.Resource)).toEqual([["*"]]);
  });

  test("GIVEN the instance roles THEN instance writes need the topology tag, image writes ami copy's role tag, terminations a drill tag", () => {
    const statementOf = (role: (typeof ROLE_NAMES)[number], action: string) => rolePolicy(role, topology).Statement.filter((s) => s.Action.includes(action as never));
    expect(statementOf("ena-enable", "ec2:StopInstances")[0].Condition).toEqual({ StringEquals: { "aws:ResourceTag/regionpair:topology": topology.name } });
    expect(statementOf("ami-copy", "ec2:CreateImage").map((s) => s.Condition)).toEqual([
      { StringEquals: { "aws:ResourceTag/regionpair:topology": topology.name } },
      { StringEquals: { "aws:RequestTag/regionpair:role": "source" } },
    ]);
    expect(statementOf("ami-copy", "ec2:DeregisterImage")[0].Condition).toEqual({ StringEquals: { "aws:ResourceTag/regionpair:role": ["source", "copy"] } });
    expect(statementOf("restore", "ec2:TerminateInstances")[0].Condition).toEqual({ Null: { "aws:ResourceTag/regionpair:drill-id": "false" } });
  });

  test("GIVEN no KMS keys in the topology THEN ami-copy has no KMS action; GIVEN one THEN KMS actions name exactly that key", () => {
    expect(roleActions("ami-copy", topology).filter((a) => a.startsWith("kms:"))).toEqual([]);
    const key = `arn:aws:kms:${topology.secondary.region}:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const withKey = topologyWith((input) => (input.iam = { github: { repository: "example-org/dr" }, kmsKeyArns: [key] }));
    const kms = rolePolicy("ami-copy", withKey).Statement.filter((s) => s.Action.some((a) => a.startsWith("kms:")));
    expect(kms.flatMap((s) => s.Resource)).toEqual([key, key]);
  });

  test("GIVEN s3 state THEN failover may write only its routing stacks' state keys and lock files", () => {
    const s3 = topologyWith((input) => (input.state = { backend: "s3", primary: { bucket: "a-state" }, secondary: { bucket: "b-state", keyPrefix: "dr" } }));
    const objects = rolePolicy("failover", s3).Statement.filter((s) => s.Action.includes("s3:PutObject")).flatMap((s) => s.Resource);
    expect(objects.sort()).toEqual(
      [
        "arn:aws:s3:::a-state/regionpair/routing-primary.tfstate",
        "arn:aws:s3:::b-state/dr/routing-secondary.tfstate",
        "arn:aws:s3:::a-state/regionpair/routing-primary.tfstate.tflock",
        "arn:aws:s3:::b-state/dr/routing-secondary.tfstate.tflock",
      ].sort(),
    );
    expect(rolePolicy("plan", s3).Statement.find((s) => s.Sid === "StateObjects")?.Action).toEqual(["s3:GetObject"]);
  });
});

describe("one source of truth", () => {
  test("GIVEN a stack type the map does not know THEN generation fails naming it", () => {
    expect(() => terraformActions({ resources: ["aws_nat_gateway"], dataSources: [] }, "read")).toThrow(/resource aws_nat_gateway/);
  });

  /** A file's local imports (`./x`, `../y`; not `import type`, which runs nothing) as paths of .ts files. */
  const localImports = (file: string, text: string) =>
    [...text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s*"(\.{1,2}\/[^"]+)"/gm)]
      .map(([, spec]) => path.resolve(path.dirname(file), spec))
      .flatMap((base) => [`${base}.ts`, path.join(base, "index.ts")])
      .filter((candidate) => existsSync(candidate));

  /**
   * The SDK Command classes a command's files use, as IAM actions (`ec2:<Name>`, `ssm:<Name>`, …),
   * following their local imports: a call made in a shared module counts for every command that
   * reaches it.
   */
  const sdkActions = (sources: readonly string[]) => {
    const pending = sources
      .map((s) => path.join(ROOT, s))
      .filter((p) => existsSync(p))
      .flatMap((p) => (statSync(p).isDirectory() ? readdirSync(p).filter((f) => f.endsWith(".ts")).map((f) => path.join(p, f)) : [p]));
    const seen = new Set<string>();
    const actions = new Set<string>();
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (seen.has(file) || !file.startsWith(path.join(ROOT, "scripts"))) continue;
      seen.add(file);
      const text = readFileSync(file, "utf8");
      pending.push(...localImports(file, text));
      for (const [, names, client] of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"@aws-sdk\/client-(\w+)"/g)) {
        for (const name of names.split(",").map((n) => n.trim())) {
          const command = /^(\w+)Command$/.exec(name);
          if (command && new RegExp(`new ${name}\\(`).test(text)) actions.add(`${client}:${command[1]}`);
          const paginator = /^paginate(\w+)$/.exec(name);
          if (paginator && new RegExp(`${name}\\(`).test(text)) actions.add(`${client}:${paginator[1]}`);
        }
      }
    }
    return [...actions].sort();
  };

  test.each([FAILOVER_CALLS, STATUS_CALLS, REACH_CALLS, AMI_COPY_CALLS, ENA_ENABLE_CALLS, RESTORE_CALLS].map((c) => [c.command, c] as const))(
    "GIVEN the %s command's source files THEN every SDK call they make is declared in its calls file",
    (_name, declared) => {
      const undeclared = sdkActions(declared.sources).filter((action) => !declared.calls.some((c) => c.action === action));
      expect(undeclared).toEqual([]);
    },
  );

  test("GIVEN the README and every doc THEN each IAM action they name is one a role's generated policy holds: no hand-kept list can drift", () => {
    const documents = ["README.md", ...readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md") && f !== "permissions.md").map((f) => path.join("docs", f))];
    // With a customer managed key, so that the KMS calls are in the policies too.
    const withKey = topologyWith((input) => {
      input.iam = { github: { repository: "example/regionpair" }, kmsKeyArns: [`arn:aws:kms:${input.secondary.region}:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab`] };
    });
    const granted = new Set(ROLE_NAMES.flatMap((role) => roleActions(role, withKey)));
    // Condition keys share the action syntax; they are not actions.
    const conditionKey = /^(ec2:CreateAction|kms:GrantIsForAWSResource|iam:PassedToService|iam:AWSServiceName)$/;
    const named = documents.flatMap((doc) =>
      [...readFileSync(path.join(ROOT, doc), "utf8").matchAll(/`((?:ec2|ssm|iam|sts|kms|s3|route53):[A-Za-z*]+)`/g)].map(([, action]) => ({ doc, action })),
    );
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter(({ action }) => !conditionKey.test(action) && !granted.has(action as never))).toEqual([]);
  });

  test("GIVEN docs/permissions.md THEN it is exactly the text generated from the roles (npm run docs:permissions)", () => {
    expect(readFileSync(path.join(ROOT, "docs", "permissions.md"), "utf8")).toBe(permissionsMarkdown(loadTopology(path.join(ROOT, "topology.json"))));
  });
});

describe("npx regionpair iam policy", () => {
  test("GIVEN a role THEN it prints that role's policy document as JSON and exits 0", async () => {
    const run = await runCli(["iam", "policy", "failover", "--region", "us-west-2"], { env: { REGIONPAIR_TOPOLOGY: path.join(ROOT, "topology.json") } });
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout);
    expect(printed).toEqual(rolePolicy("failover", loadTopology(path.join(ROOT, "topology.json")), { region: "us-west-2" }));
  }, 60_000);

  test("GIVEN an unknown role THEN a usage error (exit 2) names the valid roles", async () => {
    const run = await runCli(["iam", "policy", "admin"], { env: { REGIONPAIR_TOPOLOGY: path.join(ROOT, "topology.json") } });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(`regionpair: unknown role 'admin'; roles: ${ROLE_NAMES.join(", ")} (see --help)`);
  }, 60_000);
});
