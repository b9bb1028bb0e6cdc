/**
 * The pull-request summary of a set of stack plans: destructive changes first, then every
 * transit gateway route whose target changes (the failover), then per-stack counts and details.
 * Kept under GitHub's comment limit by shortening only the per-stack details.
 */
import { ResourceChange, attachmentKinds, providerRegion, resourceChanges, variableValue, PlanJson, ChangeKind } from "./plan-json";

/** GitHub rejects issue and pull-request comments longer than this. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** Marks the comment so a pipeline can find and update it in place. */
export const SUMMARY_MARKER = "<!-- regionpair:plan-summary -->";

/** Deleting or replacing one of these takes down connectivity: a reviewer must not miss it. */
export const DESTRUCTIVE_TYPES: ReadonlySet<string> = new Set([
  "aws_vpc",
  "aws_vpc_ipv4_cidr_block_association",
  "aws_subnet",
  "aws_route_table",
  "aws_ec2_transit_gateway",
  "aws_ec2_transit_gateway_route_table",
  "aws_ec2_transit_gateway_vpc_attachment",
  "aws_ec2_transit_gateway_peering_attachment",
  "aws_ec2_transit_gateway_peering_attachment_accepter",
  "aws_vpc_endpoint",
  "aws_vpc_dhcp_options",
]);

export type StackPlan =
  | { readonly stack: string; readonly status: "planned"; readonly plan: PlanJson }
  | { readonly stack: string; readonly status: "failed"; readonly error: string }
  /** Could not be planned because stacks it reads from have unapplied changes. */
  | { readonly stack: string; readonly status: "blocked"; readonly error: string; readonly waitingFor: readonly string[] };

export interface RouteFlip {
  readonly stack: string;
  readonly region: string;
  readonly routeTableId: string;
  readonly cidr: string;
  readonly from: string;
  readonly to: string;
}

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
const ACTIVE_REGION = "active_region";

export function countChanges(changes: readonly ResourceChange[]): Record<ChangeKind, number> {
  const counts: Record<ChangeKind, number> = { add: 0, change: 0, replace: 0, destroy: 0 };
  for (const change of changes) counts[change.kind]++;
  return counts;
}

function describeAttachment(id: unknown, kinds: Map<string, "vpc" | "peering">): string {
  if (typeof id !== "string" || id === "") return "(none)";
  const kind = kinds.get(id);
  return kind ? `${kind === "vpc" ? "VPC attachment" : "peering"} ${id}` : `attachment ${id}`;
}

/** Transit gateway routes that exist before and after and point somewhere else afterwards. */
export function routeFlips(stack: string, plan: PlanJson): RouteFlip[] {
  const kinds = attachmentKinds(plan);
  const region = providerRegion(plan) ?? "?";
  return resourceChanges(plan)
    .filter((c) => c.type === "aws_ec2_transit_gateway_route" && c.before && c.after)
    .filter((c) => c.before!.transit_gateway_attachment_id !== c.after!.transit_gateway_attachment_id)
    .map((c) => ({
      stack,
      region,
      routeTableId: String(c.after!.transit_gateway_route_table_id ?? c.before!.transit_gateway_route_table_id),
      cidr: String(c.after!.destination_cidr_block ?? c.before!.destination_cidr_block),
      from: describeAttachment(c.before!.transit_gateway_attachment_id, kinds),
      to: describeAttachment(c.after!.transit_gateway_attachment_id, kinds),
    }));
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function fence(text: string): string {
  return ["```", text.replace(/```/g, "'''"), "```"].join("\n");
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

  const mustKeep: string[] = [header];

  if (failed.length || blocked.length) {
    const lines = ["### ❌ Stacks that could not be planned", ""];
    for (const p of failed) lines.push(`- **${p.stack}** failed:`, "", fence(p.error.slice(0, 4000)), "");
    for (const p of blocked) {
      lines.push(`- **${p.stack}** can be planned once ${p.waitingFor.join(", ")} ${p.waitingFor.length > 1 ? "are" : "is"} applied (it looks up what they create):`, "", fence(p.error.slice(0, 1500)), "");
    }
    mustKeep.push(lines.join("\n").trimEnd());
  }

  const destructive = planned.flatMap((p) =>
    changesByStack.get(p.stack)!.filter((c) => DESTRUCTIVE_TYPES.has(c.type) && (c.kind === "destroy" || c.kind === "replace")).map((c) => ({ stack: p.stack, change: c })),
  );
  mustKeep.push(
    destructive.length
      ? [
          `### ⚠️ Destructive changes (${destructive.length})`,
          "",
          "These destroy or replace network resources: expect loss of connectivity while they apply.",
          "",
          "| Stack | Action | Resource |",
          "| --- | --- | --- |",
          ...destructive.map(({ stack, change }) => `| ${stack} | **${change.kind}** | \`${escapeCell(change.address)}\` |`),
        ].join("\n")
      : "### Destructive changes\n\nNone.",
  );

  const flips = planned.flatMap((p) => routeFlips(p.stack, p.plan));
  // Every stack declares active_region; only those with transit gateway routes act on it.
  const activeRegions = planned
    .filter((p) => (p.plan.resource_changes ?? []).some((c) => c.type === "aws_ec2_transit_gateway_route"))
    .map((p) => ({ stack: p.stack, region: variableValue(p.plan, ACTIVE_REGION) }))
    .filter((a): a is { stack: string; region: string } => a.region !== undefined);
  const routeLines = ["### Failover routes", ""];
  if (activeRegions.length) {
    routeLines.push(`Active region after apply: ${activeRegions.map((a) => `${a.stack} → **${a.region}**`).join(", ")}.`, "");
  }
  routeLines.push(
    ...(flips.length
      ? flips.map((f) => `- ${f.region} · ${f.routeTableId} · ${f.cidr}: ${f.from} → ${f.to}`)
      : ["No transit gateway route changes its target."]),
  );
  mustKeep.push(routeLines.join("\n"));

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
  let markdown = assemble([...mustKeep, table, details(most)]);
  if (markdown.length > limit) {
    const note = `_Shortened to fit GitHub's ${limit.toLocaleString("en-US")}-character comment limit: per-stack lists are cut; the destructive changes and failover routes above are complete. Full plans: ${options.fullPlansAt ?? "the plan artifacts"}._`;
    // The largest per-stack list length that fits; the must-keep blocks are never cut.
    let low = 0;
    let high = most;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (assemble([...mustKeep, note, table, details(mid)]).length <= limit) low = mid;
      else high = mid - 1;
    }
    const [head, ...blocks] = mustKeep;
    markdown = assemble([head, note, ...blocks, table, low > 0 ? details(low) : ""]);
    if (markdown.length > limit) markdown = assemble([head, note, ...blocks]);
  }
  return { markdown, exitCode };
}
