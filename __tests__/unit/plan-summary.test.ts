import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { GITHUB_COMMENT_LIMIT, SUMMARY_MARKER, StackPlan, isDestructive, renderSummary } from "../../scripts/plan/summary";
import { PlanJson } from "../../scripts/plan/plan-json";
import { ALL_STACKS } from "../../stacks/stack-names";
import { topologyWith } from "../support/topologies";

// Fixtures are terraform's own `show -json` output from the emulator (npm run fixtures:plans).
const FIXTURES = path.join(__dirname, "..", "fixtures", "plans");
const topology = topologyWith();
const [A, B] = [topology.primary.region, topology.secondary.region];

function scenario(name: string): StackPlan[] {
  const files = readdirSync(path.join(FIXTURES, name));
  return ALL_STACKS.flatMap((stack): StackPlan[] => {
    if (files.includes(`${stack}.json`)) return [{ stack, status: "planned", plan: JSON.parse(readFileSync(path.join(FIXTURES, name, `${stack}.json`), "utf8")) }];
    if (files.includes(`${stack}.error.txt`)) {
      return [{ stack, status: "blocked", error: readFileSync(path.join(FIXTURES, name, `${stack}.error.txt`), "utf8"), waitingFor: ["network-primary", "network-secondary"] }];
    }
    return [];
  });
}

function section(markdown: string, heading: RegExp): string {
  const start = markdown.search(heading);
  if (start < 0) return "";
  const next = markdown.slice(start + 4).search(/\n### /);
  return next < 0 ? markdown.slice(start) : markdown.slice(start, start + 4 + next);
}

/** `- <region> · <table id> (<table>) · <cidr>: <from> → <to> · <kind>` → words without the ids. */
function routeLine(line: string): string {
  const match = /^- (\S+) · tgw-rtb-\S+ \((\w+)\) · (\S+): (.+) → (.+) · (\w+)$/.exec(line);
  if (!match) throw new Error(`not a route line: ${line}`);
  const [, region, table, cidr, from, to, kind] = match;
  const bare = (target: string) => target.replace(/ tgw-attach-\w+$/, "");
  return `${region} ${table} ${cidr}: ${bare(from)} → ${bare(to)} (${kind})`;
}

/** The flip's routing-primary plan with its route changes rewritten by `edit`. */
function editedFlip(edit: (changes: NonNullable<PlanJson["resource_changes"]>) => NonNullable<PlanJson["resource_changes"]>): StackPlan[] {
  return scenario("flip").map((p) => {
    if (p.stack !== "routing-primary" || p.status !== "planned") return p;
    return { ...p, plan: { ...p.plan, resource_changes: edit(structuredClone(p.plan.resource_changes ?? [])) } };
  });
}

describe("plan summary of a failover (active_region flipped to the secondary)", () => {
  const { markdown, exitCode } = renderSummary(scenario("flip"), { target: "the emulator" });
  const routes = section(markdown, /### Failover routes/);

  test("GIVEN the flip WHEN summarized THEN every moving route of both regions is listed by table, with the fence as blackhole (fenced)", () => {
    const lines = routes.split("\n").filter((l) => l.startsWith("- ")).map(routeLine);
    expect(lines.sort()).toEqual(
      [
        `${A} clients 10.60.0.0/20: VPC attachment → peering (replaced)`,
        `${A} clients 10.61.0.0/22: VPC attachment → peering (replaced)`,
        `${A} peering 10.60.0.0/20: VPC attachment → blackhole (fenced) (replaced)`,
        `${A} peering 10.61.0.0/22: VPC attachment → blackhole (fenced) (replaced)`,
        `${A} workload 10.30.0.0/16: VPC attachment → blackhole (fenced) (replaced)`,
        `${A} workload 10.40.0.0/16: peering → blackhole (fenced) (replaced)`,
        `${A} workload 192.168.0.0/16: VPN attachment → blackhole (fenced) (replaced)`,
        `${B} clients 10.60.0.0/20: peering → VPC attachment (replaced)`,
        `${B} clients 10.61.0.0/22: peering → VPC attachment (replaced)`,
        `${B} peering 10.60.0.0/20: blackhole (fenced) → VPC attachment (replaced)`,
        `${B} peering 10.61.0.0/22: blackhole (fenced) → VPC attachment (replaced)`,
        `${B} workload 10.30.0.0/16: blackhole (fenced) → peering (replaced)`,
        `${B} workload 10.40.0.0/16: blackhole (fenced) → VPC attachment (replaced)`,
        `${B} workload 192.168.0.0/16: blackhole (fenced) → VPN attachment (replaced)`,
      ].sort(),
    );
    expect(routes).toContain("### Failover routes (14)");
    expect(routes).toMatch(/_replaced_: terraform deletes the route, then creates it/);
  });

  test("GIVEN the flip WHEN summarized THEN each routing stack's active region after apply is the secondary", () => {
    // Only the stacks with transit gateway routes, although every stack declares the variable.
    expect(routes.split("\n").filter((l) => l.startsWith("Active region after apply:"))).toEqual([
      `Active region after apply: routing-primary → **${B}**, routing-secondary → **${B}**.`,
    ]);
  });

  test("GIVEN the flip WHEN summarized THEN nothing is destructive (a replaced route is a move), only the routing stacks change, and the exit code is 2", () => {
    expect(section(markdown, /### (⚠️ )?Destructive changes/)).toContain("None.");
    expect(markdown).toContain("| network-primary | 0 | 0 | 0 | 0 |");
    expect(markdown).toContain("| peering | 0 | 0 | 0 | 0 |");
    expect(markdown).toContain("| routing-primary | 0 | 0 | 7 | 0 |");
    expect(exitCode).toBe(2);
    expect(markdown.startsWith(SUMMARY_MARKER)).toBe(true);
  });
});

describe("plan summary of added and deleted transit gateway routes", () => {
  const plans = editedFlip((changes) => {
    const [app, db] = ["clients-workload-app", "clients-workload-db"].map((id) => changes.find((c) => c.address.includes(`routes_${id}_`))!);
    return [
      { ...app, change: { ...app.change, actions: ["create"], before: null } },
      { ...db, change: { ...db.change, actions: ["delete"], after: null } },
    ];
  });
  const { markdown } = renderSummary(plans, { target: "the emulator" });
  const routes = section(markdown, /### Failover routes/).split("\n").filter((l) => l.startsWith(`- ${A}`)).map(routeLine);

  test("GIVEN a route created and a route deleted WHEN summarized THEN both appear in the failover routes, from and to no route", () => {
    expect(routes).toEqual([`${A} clients 10.60.0.0/20: (none) → peering (new)`, `${A} clients 10.61.0.0/22: VPC attachment → (none) (deleted)`]);
  });

  test("GIVEN a deleted transit gateway route WHEN summarized THEN it is a destructive change; the created one is not", () => {
    const destructive = section(markdown, /### ⚠️ Destructive changes/);
    expect(destructive).toContain("### ⚠️ Destructive changes (1)");
    expect(destructive).toMatch(/\| routing-primary \| \*\*destroy\*\* \| `aws_ec2_transit_gateway_route\.routes_clients-workload-db_/);
  });
});

describe("what counts as destructive", () => {
  test.each([
    ["aws_ec2_transit_gateway_route", "destroy", true],
    ["aws_ec2_transit_gateway_route", "replace", false],
    ["aws_ec2_transit_gateway_route", "add", false],
    ["aws_route", "destroy", true],
    ["aws_route", "replace", true],
    ["aws_route_table_association", "destroy", true],
    ["aws_ec2_transit_gateway_route_table_association", "replace", true],
    ["aws_security_group", "destroy", true],
    ["aws_vpc_security_group_ingress_rule", "destroy", false],
    ["aws_subnet", "replace", true],
    ["aws_ec2_transit_gateway", "change", false],
  ] as const)("GIVEN %s planned for %s THEN destructive is %s", (type, kind, expected) => {
    expect(isDestructive({ type, kind })).toBe(expected);
  });
});

describe("plan summary of a first deploy", () => {
  const { markdown, exitCode } = renderSummary(scenario("first-deploy"), { target: "an empty account" });

  test("GIVEN an empty account WHEN summarized THEN the networks show only creates and the later stacks wait for them, with their lookup errors", () => {
    expect(markdown).toMatch(/\| network-primary \| [1-9]\d* \| 0 \| 0 \| 0 \|/);
    const blocked = section(markdown, /### ❌ Stacks that could not be planned/);
    for (const stack of ["peering", "routing-primary", "routing-secondary"]) {
      expect(blocked).toContain(`**${stack}** can be planned once network-primary, network-secondary are applied`);
    }
    expect(blocked).toContain("no matching EC2 Transit Gateway found");
    expect(exitCode).toBe(2);
  });
});

describe("plan summary of destructive changes", () => {
  const { markdown } = renderSummary(scenario("destructive"), { target: "the emulator" });
  const destructive = section(markdown, /### ⚠️ Destructive changes/);

  test("GIVEN a moved workload CIDR WHEN summarized THEN the destructive block comes first and lists the replaced block, its subnets, their associations and the dropped VPC routes", () => {
    expect(markdown.indexOf("### ⚠️ Destructive changes")).toBeLessThan(markdown.indexOf("### Failover routes"));
    expect(markdown.indexOf("### ⚠️ Destructive changes")).toBeLessThan(markdown.indexOf("### Stacks"));
    const rows = destructive.split("\n").filter((l) => l.startsWith("| network-primary"));
    expect(rows.map((r) => /\*\*(\w+)\*\* \| `(aws_[a-z0-9_]+)\./.exec(r)!.slice(1).join(" ")).sort()).toEqual([
      "destroy aws_route",
      "destroy aws_route",
      "replace aws_route_table_association",
      "replace aws_route_table_association",
      "replace aws_subnet",
      "replace aws_subnet",
      "replace aws_vpc_ipv4_cidr_block_association",
    ]);
  });

  test("GIVEN a new TGW ASN WHEN summarized THEN the in-place transit gateway update is listed but not flagged destructive", () => {
    expect(markdown).toMatch(/- update in place `aws_ec2_transit_gateway\.transit_transit-gateway_/);
    expect(destructive).not.toContain("aws_ec2_transit_gateway.");
  });

  test("GIVEN destructive changes WHEN summarized THEN security-group rules and created VPC routes are not flagged as destructive", () => {
    expect(destructive).not.toContain("aws_vpc_security_group_ingress_rule");
    expect(destructive.match(/aws_route\./g)).toHaveLength(2);
  });
});

describe("plan summary with a failing stack", () => {
  test("GIVEN a stack whose plan failed WHEN summarized THEN it is listed with its error and the exit code is 1", () => {
    const plans = scenario("flip").map((p): StackPlan => (p.stack === "routing-secondary" ? { stack: p.stack, status: "failed", error: "Error: configuring Terraform AWS Provider: no valid credential sources found" } : p));
    const { markdown, exitCode } = renderSummary(plans, { target: "AWS" });
    expect(exitCode).toBe(1);
    expect(markdown).toContain("## regionpair plan: 1 failed,");
    expect(section(markdown, /### ❌ Stacks that could not be planned/)).toContain("**routing-secondary** failed:\n\n```\nError: configuring Terraform AWS Provider: no valid credential sources found\n```");
    expect(markdown).toContain("| routing-secondary | failed | | | |");
  });

  test("GIVEN no changes anywhere WHEN summarized THEN the exit code is 0", () => {
    const unchanged = scenario("flip").filter((p) => !p.stack.startsWith("routing-"));
    expect(renderSummary(unchanged, { target: "AWS" }).exitCode).toBe(0);
  });
});

describe("plan summary length", () => {
  /** The flip's routing-primary with `count` copies of its first route change, each to its own CIDR, as `actions`. */
  function manyRoutes(count: number, actions: string[]): StackPlan[] {
    return editedFlip((changes) =>
      Array.from({ length: count }, (_, i) => {
        const cidr = `10.${100 + Math.floor(i / 200)}.${i % 200}.0/24`;
        const change = structuredClone(changes.find((c) => c.address.includes("routes_clients-workload-app_"))!);
        change.address = `aws_ec2_transit_gateway_route.routes_clients-workload-w${i}_0123ABCD`;
        change.change.actions = actions;
        if (change.change.before) change.change.before = { ...change.change.before, destination_cidr_block: cidr };
        if (change.change.after) change.change.after = { ...change.change.after, destination_cidr_block: cidr };
        if (actions[0] === "delete" && actions.length === 1) change.change.after = null;
        return change;
      }),
    );
  }
  const countedRoutes = (markdown: string) => {
    const lines = section(markdown, /### Failover routes/).split("\n").filter((l) => l.startsWith("- "));
    return lines.reduce((sum, line) => sum + Number(/ · (\d+) route\(s\): /.exec(line)?.[1] ?? 1), 0);
  };

  test("GIVEN 600 replaced routes WHEN summarized THEN it fits, the routes are grouped with every one counted and every CIDR listed, and the note says so", () => {
    const plans = manyRoutes(600, ["delete", "create"]);
    const full = renderSummary(plans, { target: "AWS", maxLength: Number.MAX_SAFE_INTEGER }).markdown;
    const { markdown } = renderSummary(plans, { target: "AWS", fullPlansAt: "plans/<stack>.json" });
    expect(full.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(section(markdown, /### Failover routes/)).toContain("### Failover routes (607)");
    expect(countedRoutes(markdown)).toBe(607);
    for (let i = 0; i < 600; i += 37) expect(markdown).toContain(`10.${100 + Math.floor(i / 200)}.${i % 200}.0/24`);
    expect(markdown).toMatch(/_Shortened to fit GitHub's 65,536-character comment limit: .*the 607 failover routes are grouped by route table and target \(every route is counted\)/);
    expect(markdown).not.toMatch(/the per-stack lists show|each group listing at most/);
    expect(markdown).toContain("The destructive changes above are complete. Full plans: plans/<stack>.json._");
  });

  test("GIVEN 600 deleted routes WHEN summarized THEN both the destructive and the route sections are grouped to fit, every deletion counted in each", () => {
    const { markdown } = renderSummary(manyRoutes(600, ["delete"]), { target: "AWS" });
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(countedRoutes(markdown)).toBe(607);
    const rows = section(markdown, /### ⚠️ Destructive changes/).split("\n").filter((l) => l.startsWith("| routing-primary"));
    expect(rows.reduce((sum, row) => sum + Number(row.split(" | ")[3]), 0)).toBe(600);
    expect(markdown).toContain("the 600 destructive changes are grouped by stack, action and type");
  });

  test("GIVEN a summary under the limit WHEN summarized THEN nothing is shortened", () => {
    const { markdown } = renderSummary(scenario("flip"), { target: "AWS" });
    expect(markdown).not.toContain("Shortened");
    expect(markdown).toContain("<details><summary>routing-primary: 7 change(s)</summary>");
  });

  test("GIVEN a tight limit WHEN summarized THEN the per-stack lists are cut first and the note says how far, the route list staying whole", () => {
    const plans = scenario("flip");
    const full = renderSummary(plans, { target: "AWS" }).markdown;
    const { markdown } = renderSummary(plans, { target: "AWS", maxLength: full.length - 300 });
    expect(markdown.length).toBeLessThanOrEqual(full.length - 300);
    expect(markdown).toMatch(/the per-stack lists show at most \d+ change\(s\) each\. The destructive changes and failover routes above are complete\./);
    expect(section(markdown, /### Failover routes/)).toEqual(section(full, /### Failover routes/));
  });
});
