/**
 * The pull-request summary of a set of stack plans: destructive changes first, then every
 * transit gateway route that is created, deleted, replaced or pointed elsewhere (the failover),
 * then per-stack counts and details. Kept under GitHub's comment limit by shortening, in this
 * order, the per-stack details, then the stacks table, then grouping the routes and the
 * destructive changes; every change is still counted, and the note says what was shortened.
 */
import { ResourceChange, resourceChanges, variableValue, PlanJson, ChangeKind } from "./plan-json";
import { TransitRouteChange, transitRouteChanges } from "./route-changes";

/** GitHub rejects issue and pull-request comments longer than this. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** Marks the comment so a pipeline can find and update it in place. */
export const SUMMARY_MARKER = "<!-- regionpair:plan-summary -->";

/**
 * Deleting or replacing one of these takes down connectivity: a reviewer must not miss it. VPC
 * routes, route table associations and security groups included: losing one cuts traffic as
 * surely as losing a subnet.
 */
export const DESTRUCTIVE_TYPES: ReadonlySet<string> = new Set([
  "aws_vpc",
  "aws_vpc_ipv4_cidr_block_association",
  "aws_subnet",
  "aws_route_table",
  "aws_route",
  "aws_route_table_association",
  "aws_main_route_table_association",
  "aws_security_group",
  "aws_ec2_transit_gateway",
  "aws_ec2_transit_gateway_route_table",
  "aws_ec2_transit_gateway_route_table_association",
  "aws_ec2_transit_gateway_vpc_attachment",
  "aws_ec2_transit_gateway_peering_attachment",
  "aws_ec2_transit_gateway_peering_attachment_accepter",
  "aws_vpn_connection",
  "aws_vpc_endpoint",
  "aws_vpc_dhcp_options",
]);

/**
 * Destroying one of these cuts traffic; replacing it is how terraform moves it (delete, then
 * create), listed with the failover routes instead.
 */
export const DESTRUCTIVE_WHEN_DESTROYED: ReadonlySet<string> = new Set(["aws_ec2_transit_gateway_route"]);

export function isDestructive(change: Pick<ResourceChange, "type" | "kind">): boolean {
  if (DESTRUCTIVE_TYPES.has(change.type)) return change.kind === "destroy" || change.kind === "replace";
  return DESTRUCTIVE_WHEN_DESTROYED.has(change.type) && change.kind === "destroy";
}

export type StackPlan =
  | { readonly stack: string; readonly status: "planned"; readonly plan: PlanJson }
  | { readonly stack: string; readonly status: "failed"; readonly error: string }
  /** Could not be planned because stacks it reads from have unapplied changes. */
  | { readonly stack: string; readonly status: "blocked"; readonly error: string; readonly waitingFor: readonly string[] };

export interface SummaryOptions {
  /** One line saying what was planned against (AWS account, local emulator). */
  readonly target: string;
  /** @default GITHUB_COMMENT_LIMIT */
  readonly maxLength?: number;
  /** Where the full plans are, for the shortening note. @default "the plan artifacts" */
  readonly fullPlansAt?: string;
}

const KIND_ORDER: readonly ChangeKind[] = ["add", "change", "replace", "destroy"];
const KIND_VERB: Record<ChangeKind, string> = { add: "create", change: "update in place", replace: "replace", destroy: "destroy" };
const ROUTE_KIND: Record<ChangeKind, string> = { add: "new", change: "updated in place", replace: "replaced", destroy: "deleted" };
const ACTIVE_REGION = "active_region";

export function countChanges(changes: readonly ResourceChange[]): Record<ChangeKind, number> {
  const counts: Record<ChangeKind, number> = { add: 0, change: 0, replace: 0, destroy: 0 };
  for (const change of changes) counts[change.kind]++;
  return counts;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function fence(text: string): string {
  return ["```", text.replace(/```/g, "'''"), "```"].join("\n");
}

/** How much detail a section keeps: 0 one line per change; 1 grouped; 2 grouped with lists cut. */
type Detail = 0 | 1 | 2;

/** Items listed per group at detail 2; the rest are counted. */
const LISTED_PER_GROUP = 12;

function listCut(items: readonly string[], detail: Detail): string {
  const shown = detail === 2 ? items.slice(0, LISTED_PER_GROUP) : items;
  return `${shown.join(", ")}${items.length > shown.length ? `, … and ${items.length - shown.length} more` : ""}`;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return [...groups.values()];
}

function tableLabel(change: TransitRouteChange): string {
  return change.table ? `${change.routeTableId} (${change.table})` : change.routeTableId;
}

function routeLines(changes: readonly TransitRouteChange[], detail: Detail): string[] {
  if (detail === 0) {
    return changes.map((c) => `- ${c.region} · ${tableLabel(c)} · ${c.cidr}: ${c.from} → ${c.to} · ${ROUTE_KIND[c.kind]}`);
  }
  return groupBy(changes, (c) => [c.region, c.routeTableId, c.from, c.to, c.kind].join("|")).map((group) => {
    const c = group[0];
    return `- ${c.region} · ${tableLabel(c)} · ${c.from} → ${c.to} · ${ROUTE_KIND[c.kind]} · ${group.length} route(s): ${listCut(group.map((g) => g.cidr), detail)}`;
  });
}

/** The address without its type and cdktf's hash suffix: `routes_clients-workload-app`. */
function shortName(address: string, type: string): string {
  return address.replace(`${type}.`, "").replace(/_[0-9A-F]{8}$/, "");
}

function destructiveLines(destructive: ReadonlyArray<{ stack: string; change: ResourceChange }>, detail: Detail): string[] {
  if (detail === 0) {
    return ["| Stack | Action | Resource |", "| --- | --- | --- |", ...destructive.map(({ stack, change }) => `| ${stack} | **${change.kind}** | \`${escapeCell(change.address)}\` |`)];
  }
  return [
    "| Stack | Action | Type | Count | Resources |",
    "| --- | --- | --- | ---: | --- |",
    ...groupBy(destructive, ({ stack, change }) => `${stack}|${change.kind}|${change.type}`).map((group) => {
      const { stack, change } = group[0];
      return `| ${stack} | **${change.kind}** | \`${change.type}\` | ${group.length} | ${escapeCell(listCut(group.map((g) => `\`${shortName(g.change.address, g.change.type)}\``), detail))} |`;
    }),
  ];
}

/** The Markdown summary and the exit code terraform's -detailed-exitcode would give. */
export function renderSummary(plans: readonly StackPlan[], options: SummaryOptions): { markdown: string; exitCode: 0 | 1 | 2 } {
  const planned = plans.filter((p): p is Extract<StackPlan, { status: "planned" }> => p.status === "planned");
  const changesByStack = new Map(planned.map((p) => [p.stack, resourceChanges(p.plan)]));
  const failed = plans.filter((p) => p.status === "failed");
  const blocked = plans.filter((p): p is Extract<StackPlan, { status: "blocked" }> => p.status === "blocked");
  const changedStacks = planned.filter((p) => changesByStack.get(p.stack)!.length > 0);
  const exitCode = failed.length ? 1 : changedStacks.length || blocked.length ? 2 : 0;

  const header = [
    SUMMARY_MARKER,
    `## regionpair plan: ${failed.length ? `${failed.length} failed, ` : ""}${changedStacks.length} of ${plans.length} stacks change`,
    "",
    `Planned against ${options.target}.`,
  ].join("\n");

  let problems = "";
  if (failed.length || blocked.length) {
    const lines = ["### ❌ Stacks that could not be planned", ""];
    for (const p of failed) lines.push(`- **${p.stack}** failed:`, "", fence(p.error.slice(0, 4000)), "");
    for (const p of blocked) {
      lines.push(`- **${p.stack}** can be planned once ${p.waitingFor.join(", ")} ${p.waitingFor.length > 1 ? "are" : "is"} applied (it looks up what they create):`, "", fence(p.error.slice(0, 1500)), "");
    }
    problems = lines.join("\n").trimEnd();
  }

  const destructive = planned.flatMap((p) => changesByStack.get(p.stack)!.filter(isDestructive).map((change) => ({ stack: p.stack, change })));
  const destructiveBlock = (detail: Detail) =>
    destructive.length
      ? [
          `### ⚠️ Destructive changes (${destructive.length})`,
          "",
          "These destroy or replace network resources: expect loss of connectivity while they apply.",
          "",
          ...destructiveLines(destructive, detail),
        ].join("\n")
      : "### Destructive changes\n\nNone.";

  const routes = planned.flatMap((p) => transitRouteChanges(p.stack, p.plan));
  // Every stack declares active_region; only those with transit gateway routes act on it.
  const activeRegions = planned
    .filter((p) => (p.plan.resource_changes ?? []).some((c) => c.type === "aws_ec2_transit_gateway_route"))
    .map((p) => ({ stack: p.stack, region: variableValue(p.plan, ACTIVE_REGION) }))
    .filter((a): a is { stack: string; region: string } => a.region !== undefined);
  const routesBlock = (detail: Detail) => {
    const lines = [`### Failover routes${routes.length ? ` (${routes.length})` : ""}`, ""];
    if (activeRegions.length) lines.push(`Active region after apply: ${activeRegions.map((a) => `${a.stack} → **${a.region}**`).join(", ")}.`, "");
    if (routes.some((r) => r.kind === "replace")) {
      lines.push("_replaced_: terraform deletes the route, then creates it, so traffic to it pauses in between; `regionpair failover` moves it in place instead.", "");
    }
    lines.push(...(routes.length ? routeLines(routes, detail) : ["No transit gateway route is created, deleted or changes its target."]));
    return lines.join("\n");
  };

  const table = [
    "### Stacks",
    "",
    "| Stack | Add | Change | Replace | Destroy |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...plans.map((p) => {
      if (p.status !== "planned") return `| ${p.stack} | ${p.status} | | | |`;
      const counts = countChanges(changesByStack.get(p.stack)!);
      return `| ${p.stack} | ${KIND_ORDER.map((k) => counts[k]).join(" | ")} |`;
    }),
  ].join("\n");

  const details = (maxPerStack: number): string =>
    changedStacks
      .map((p) => {
        const changes = changesByStack.get(p.stack)!;
        const shown = changes.slice(0, maxPerStack);
        const lines = shown.map((c) => `- ${KIND_VERB[c.kind]} \`${c.address}\``);
        if (changes.length > shown.length) lines.push(`- … and ${changes.length - shown.length} more`);
        return [`<details><summary>${p.stack}: ${changes.length} change(s)</summary>`, "", ...lines, "", "</details>"].join("\n");
      })
      .join("\n\n");

  const limit = options.maxLength ?? GITHUB_COMMENT_LIMIT;
  const assemble = (parts: string[]) => `${parts.filter(Boolean).join("\n\n")}\n`;
  const most = Math.max(0, ...changedStacks.map((p) => changesByStack.get(p.stack)!.length));
  const mustKeep = (routeDetail: Detail, destructiveDetail: Detail) => [header, problems, destructiveBlock(destructiveDetail), routesBlock(routeDetail)];
  const full = assemble([...mustKeep(0, 0), table, details(most)]);
  if (full.length <= limit) return { markdown: full, exitCode };

  const note = (routeDetail: Detail, destructiveDetail: Detail, perStack: number, withTable: boolean) => {
    const cut: string[] = [];
    if (perStack === 0) cut.push("the per-stack lists of changes are left out");
    else if (perStack < most) cut.push(`the per-stack lists show at most ${perStack} change(s) each`);
    if (!withTable) cut.push("the per-stack counts table is left out");
    if (routeDetail > 0) cut.push(`the ${routes.length} failover routes are grouped by route table and target${routeDetail === 2 ? `, each group listing at most ${LISTED_PER_GROUP} CIDRs` : ""} (every route is counted)`);
    if (destructiveDetail > 0) cut.push(`the ${destructive.length} destructive changes are grouped by stack, action and type${destructiveDetail === 2 ? `, each group naming at most ${LISTED_PER_GROUP}` : ""} (every change is counted)`);
    const kept = [destructiveDetail === 0 ? "destructive changes" : "", routeDetail === 0 ? "failover routes" : ""].filter(Boolean);
    return `_Shortened to fit GitHub's ${limit.toLocaleString("en-US")}-character comment limit: ${cut.join("; ")}.${kept.length ? ` The ${kept.join(" and ")} above are complete.` : ""} Full plans: ${options.fullPlansAt ?? "the plan artifacts"}._`;
  };
  // Least detail lost first: per-stack lists, then the table, then grouping; never a change uncounted.
  const levels: ReadonlyArray<readonly [Detail, Detail]> = [
    [0, 0],
    [1, 0],
    [1, 1],
    [2, 1],
    [2, 2],
  ];
  for (const [routeDetail, destructiveDetail] of levels) {
    const [head, ...blocks] = mustKeep(routeDetail, destructiveDetail);
    const build = (perStack: number, withTable: boolean) =>
      assemble([head, note(routeDetail, destructiveDetail, perStack, withTable), ...blocks, withTable ? table : "", perStack > 0 ? details(perStack) : ""]);
    if (build(0, true).length <= limit) {
      // The largest per-stack list length that fits.
      let low = 0;
      let high = most;
      while (low < high) {
        const mid = Math.ceil((low + high) / 2);
        if (build(mid, true).length <= limit) low = mid;
        else high = mid - 1;
      }
      return { markdown: build(low, true), exitCode };
    }
    if (build(0, false).length <= limit) return { markdown: build(0, false), exitCode };
  }
  const [head, ...blocks] = mustKeep(2, 2);
  return { markdown: assemble([head, note(2, 2, 0, false), ...blocks]), exitCode };
}
