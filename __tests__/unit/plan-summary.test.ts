import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { GITHUB_COMMENT_LIMIT, SUMMARY_MARKER, StackPlan, renderSummary } from "../../scripts/plan/summary";
import { ALL_STACKS } from "../../stacks/stack-names";
import { topologyWith } from "../support/topologies";

// Fixtures are terraform's own `show -json` output from the emulator (npm run fixtures:plans).
const FIXTURES = path.join(__dirname, "..", "fixtures", "plans");
const topology = topologyWith();

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

describe("plan summary of a failover (active_region flipped to the secondary)", () => {
  const { markdown, exitCode } = renderSummary(scenario("flip"), { target: "the emulator" });
  const routes = section(markdown, /### Failover routes/);

  test("GIVEN the flip WHEN summarized THEN the route section names exactly the workload routes, from local VPC to peering in the primary and back in the secondary", () => {
    const lines = routes.split("\n").filter((l) => l.startsWith("- "));
    const parsed = lines.map((l) => /^- (\S+) · (tgw-rtb-\S+) · (\S+): (VPC attachment|peering) (tgw-attach-\S+) → (VPC attachment|peering) (tgw-attach-\S+)$/.exec(l)!.slice(1));
    expect(parsed.map(([region, , cidr, from, , to]) => `${region} ${cidr} ${from} → ${to}`).sort()).toEqual(
      [
        `${topology.primary.region} 10.60.0.0/20 VPC attachment → peering`,
        `${topology.primary.region} 10.61.0.0/22 VPC attachment → peering`,
        `${topology.secondary.region} 10.60.0.0/20 peering → VPC attachment`,
        `${topology.secondary.region} 10.61.0.0/22 peering → VPC attachment`,
      ].sort(),
    );
  });

  test("GIVEN the flip WHEN summarized THEN each routing stack's active region after apply is the secondary", () => {
    // Only the stacks with transit gateway routes, although every stack declares the variable.
    expect(routes.split("\n").filter((l) => l.startsWith("Active region after apply:"))).toEqual([
      `Active region after apply: routing-primary → **${topology.secondary.region}**, routing-secondary → **${topology.secondary.region}**.`,
    ]);
  });

  test("GIVEN the flip WHEN summarized THEN nothing is destructive, only the routing stacks change, and the exit code is 2", () => {
    expect(section(markdown, /### (⚠️ )?Destructive changes/)).toContain("None.");
    expect(markdown).toContain("| network-primary | 0 | 0 | 0 | 0 |");
    expect(markdown).toContain("| peering | 0 | 0 | 0 | 0 |");
    expect(markdown).toContain("| routing-primary | 0 | 0 | 2 | 0 |");
    expect(exitCode).toBe(2);
    expect(markdown.startsWith(SUMMARY_MARKER)).toBe(true);
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

  test("GIVEN a moved workload CIDR WHEN summarized THEN the destructive block comes first and lists the replaced block and its subnets", () => {
    expect(markdown.indexOf("### ⚠️ Destructive changes")).toBeLessThan(markdown.indexOf("### Failover routes"));
    expect(markdown.indexOf("### ⚠️ Destructive changes")).toBeLessThan(markdown.indexOf("### Stacks"));
    const rows = destructive.split("\n").filter((l) => l.startsWith("| network-primary"));
    expect(rows.map((r) => /\*\*(\w+)\*\* \| `(aws_[a-z0-9_]+)\./.exec(r)!.slice(1).join(" ")).sort()).toEqual([
      "replace aws_subnet",
      "replace aws_subnet",
      "replace aws_vpc_ipv4_cidr_block_association",
    ]);
  });

  test("GIVEN a new TGW ASN WHEN summarized THEN the in-place transit gateway update is listed but not flagged destructive", () => {
    expect(markdown).toMatch(/- update in place `aws_ec2_transit_gateway\.transit_transit-gateway_/);
    expect(destructive).not.toContain("aws_ec2_transit_gateway.");
  });

  test("GIVEN destructive changes WHEN summarized THEN security-group rules and associations are not flagged as destructive", () => {
    expect(destructive).not.toContain("aws_vpc_security_group_ingress_rule");
    expect(destructive).not.toContain("aws_route_table_association");
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
  // Many copies of real plans, as a large estate would produce.
  const many: StackPlan[] = Array.from({ length: 60 }, (_, i) => scenario("destructive").concat(scenario("flip")).map((p) => ({ ...p, stack: `${p.stack}-${i}` }))).flat();

  test("GIVEN plans far over GitHub's comment limit WHEN summarized THEN it fits, keeps the destructive and route sections whole, and says it was shortened", () => {
    const full = renderSummary(many, { target: "AWS", maxLength: Number.MAX_SAFE_INTEGER }).markdown;
    const { markdown } = renderSummary(many, { target: "AWS", fullPlansAt: "plans/<stack>.json" });
    expect(full.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(markdown).toContain("Shortened to fit GitHub's 65,536-character comment limit");
    expect(section(markdown, /### ⚠️ Destructive changes/)).toEqual(section(full, /### ⚠️ Destructive changes/));
    expect(section(markdown, /### Failover routes/)).toEqual(section(full, /### Failover routes/));
  });

  test("GIVEN a summary under the limit WHEN summarized THEN nothing is shortened", () => {
    const { markdown } = renderSummary(scenario("flip"), { target: "AWS" });
    expect(markdown).not.toContain("Shortened");
    expect(markdown).toContain("<details><summary>routing-primary: 2 change(s)</summary>");
  });
});
