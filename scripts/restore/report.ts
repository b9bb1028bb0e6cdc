/**
 * What `restore` prints on stdout for a person: the routing situation, one row per instance
 * (what it came back as, where, its health), each instance's fix-ups, a drill's fence and its
 * cleanup command, the refusals, and the dry-run and cleanup summaries. `--json` prints the
 * result objects instead.
 */
import type { CleanupResult } from "./cleanup";
import type { CleanupDryRunResult, RestoreDryRunResult } from "./dry-run";
import { RestorePlan, formatRefusal } from "./plan";
import type { InstanceReport, RestoreResult } from "./run-restore";

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd()).join("\n");
}

function who(r: { sourceInstanceId: string; name?: string }): string {
  return r.name ? `${r.sourceInstanceId} (${r.name})` : r.sourceInstanceId;
}

function routingLine(plan: RestorePlan): string {
  const dr = plan.routing.dr;
  const source = plan.routing.source;
  const sourceText = source ? `; ${plan.sourceRegion} ${source.asked === "answered" ? `is ${source.mode}` : `could not be asked (${source.reason})`}` : "";
  return `${plan.drRegion} is ${dr.mode}${dr.fenced ? " (fenced)" : ""}${sourceText}`;
}

function health(r: InstanceReport): string {
  if (!r.statusChecks) return "-";
  return r.statusChecks.instance === "ok" && r.statusChecks.system === "ok" ? "ok" : `${r.statusChecks.instance}/${r.statusChecks.system}`;
}

function fixupText(r: InstanceReport): string {
  if (!r.fixups) return r.ssm === "online" ? "not run" : "-";
  if (!r.fixups.summary) return `${r.fixups.status}: ${r.fixups.problem ?? ""}`.trim();
  const problems = Object.values(r.fixups.summary.fixups).filter((f) => f.status === "failed" || f.status === "warning").length;
  return r.fixups.summary.ok ? (problems ? `ok, ${problems} warning(s)` : "ok") : "failed";
}

export function restoreSummary(result: RestoreResult): string {
  const { plan } = result;
  const lines = [
    `${plan.drillId ? `drill ${plan.drillId}` : "restore"} in ${result.drRegion} from copies of ${result.sourceRegion}: ${routingLine(plan)}`,
  ];
  if (plan.refusals.length > 0) {
    lines.push(`refused, nothing launched:`, ...plan.refusals.map((r) => `  - ${formatRefusal(r)}`));
  }
  if (result.instances.length > 0) {
    const rows = [
      ["instance", "result", "now", "type", "addresses", "zone", "state", "checks", "ssm", "fix-ups"],
      ...result.instances.map((r) => [
        who(r),
        r.launch === "earlier" ? "already restored" : r.launch,
        r.instanceId ?? "-",
        r.instanceType ?? "-",
        r.privateIps?.join(",") ?? "-",
        r.availabilityZone ?? "-",
        r.state ?? "-",
        health(r),
        r.ssm === "online" ? "online" : r.ssm,
        fixupText(r),
      ]),
    ];
    lines.push(table(rows));
  }
  for (const r of result.instances) {
    if (r.error) lines.push(`${who(r)}: ${r.error.code ?? "error"}: ${r.error.message}${r.error.hint ? ` (check: ${r.error.hint})` : ""}`);
    if (r.ssmDetail && r.ssm !== "online") lines.push(`${who(r)}: Systems Manager: ${r.ssmDetail}`);
    const summary = r.fixups?.summary;
    if (summary) {
      lines.push(`${who(r)} fix-ups on ${summary.computerName ?? r.instanceId} (${r.fixups!.document}):`);
      for (const [name, f] of Object.entries(summary.fixups)) lines.push(`  ${name.padEnd(10)} ${f.status.padEnd(8)} ${f.detail}`);
    }
    if (r.fence) {
      lines.push(`${who(r)} fence from ${r.fence.from}: ${r.fence.fenced ? "fenced" : "NOT FENCED"}`);
      for (const t of r.fence.traces) lines.push(`  to ${t.destination.name}: ${t.end === "fenced" ? "fenced" : t.detail}`);
    }
  }
  if (plan.drillId && result.instances.length > 0 && !result.fenceChecked) lines.push("fence: not traced (no network reader available)");
  for (const warning of result.warnings) lines.push(`warning: ${warning}`);
  if (plan.drillId && result.instances.some((r) => r.instanceId)) {
    lines.push(`end the drill with: regionpair restore --region ${result.drRegion} --drill --cleanup ${plan.drillId}`);
  }
  return `${lines.join("\n")}\n`;
}

export function restoreDryRunSummary(result: RestoreDryRunResult, checkLines: readonly string[]): string {
  const { plan } = result;
  const lines = [`dry run: ${plan.drillId ? `drill ${plan.drillId}` : "restore"} in ${result.drRegion}: ${routingLine(plan)}`];
  if (plan.launches.length > 0) {
    lines.push("would launch:");
    const rows = [
      ["instance", "from copy", "captured", "type", "addresses", "subnets", "groups", "profile"],
      ...plan.launches.map((l) => [
        who(l),
        l.copyImageId,
        l.capturedAt.toISOString(),
        l.instanceType,
        l.interfaces.flatMap((i) => [i.primaryIp, ...i.secondaryIps]).join(","),
        l.interfaces.map((i) => i.subnetId).join(","),
        l.securityGroupNames.join(",") || "(default)",
        l.instanceProfileArn ? l.instanceProfileArn.split("/").pop()! : "-",
      ]),
    ];
    lines.push(table(rows).replace(/^/gm, "  "));
  }
  for (const a of plan.alreadyLaunched) lines.push(`already restored: ${who(a)} as ${a.instanceId} (${a.state}); nothing would be launched for it`);
  if (plan.refusals.length > 0) lines.push("would refuse, launching nothing:", ...plan.refusals.map((r) => `  - ${formatRefusal(r)}`));
  lines.push("permissions:", ...checkLines);
  for (const skipped of result.notChecked) lines.push(`  not checked: ${skipped}`);
  for (const warning of result.warnings) lines.push(`warning: ${warning}`);
  return `${lines.join("\n")}\n`;
}

export function cleanupSummary(result: CleanupResult): string {
  const lines = [`drill ${result.drillId} in ${result.drRegion}: ${result.terminated.length} instance(s) terminated in ${result.seconds} s`];
  for (const t of result.terminated) lines.push(`  ${t.instanceId} (drill of ${t.sourceInstanceId}, was ${t.previousState})`);
  if (result.deletedVolumes.length) lines.push(`  deleted detached volumes: ${result.deletedVolumes.join(", ")}`);
  if (result.deletedNetworkInterfaces.length) lines.push(`  deleted detached interfaces: ${result.deletedNetworkInterfaces.join(", ")}`);
  lines.push(result.remaining.length ? `still tagged with the drill: ${result.remaining.join(", ")}` : "nothing tagged with the drill is left");
  return `${lines.join("\n")}\n`;
}

export function cleanupDryRunSummary(result: CleanupDryRunResult, checkLines: readonly string[]): string {
  const lines = [`dry run: cleanup of drill ${result.drillId} in ${result.drRegion} would terminate ${result.instanceIds.length} instance(s)${result.instanceIds.length ? `: ${result.instanceIds.join(", ")}` : ""}`, ...checkLines];
  for (const skipped of result.notChecked) lines.push(`  not checked: ${skipped}`);
  return `${lines.join("\n")}\n`;
}
