/**
 * What `ami copy` prints on stdout for a person: one line per instance, what retention removed,
 * and for --dry-run the permission table.
 */
import { AmiCopyDryRunResult } from "./copy-dry-run";
import { AmiCopyResult } from "./copy-images";
import { describeSkipped } from "./select-instances";

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd()).join("\n");
}

export function copyResultSummary(result: AmiCopyResult): string {
  const rows = [
    ["instance", "result", `image in ${result.sourceRegion}`, `copy in ${result.targetRegion}`],
    ...result.instances.map((i) => [
      i.name ? `${i.instanceId} (${i.name})` : i.instanceId,
      i.status,
      i.sourceImageId ? `${i.sourceImageId}${i.createdSourceImage ? "" : " (earlier run)"}` : "-",
      i.copyImageId ? `${i.copyImageId}${i.createdCopy ? "" : " (earlier run)"}` : i.error ? `${i.error.code ?? "error"}: ${i.error.message}` : "-",
    ]),
  ];
  const lines = [`capture ${result.captureId}; copies encrypted with ${result.kmsKeyId}`, table(rows)];
  for (const skipped of result.skipped) lines.push(describeSkipped(skipped));
  for (const removed of result.removed) {
    lines.push(`removed ${removed.imageId} in ${removed.region} (${removed.sourceInstanceId}) and snapshots ${removed.deletedSnapshotIds.join(", ") || "-"}`);
  }
  return `${lines.join("\n")}\n`;
}

export function copyDryRunSummary(result: AmiCopyDryRunResult, checkLines: readonly string[]): string {
  const lines = [`dry run: permissions ami copy needs for ${result.instanceIds.length} instance(s), ${result.sourceRegion} → ${result.targetRegion}`, ...checkLines];
  for (const skipped of result.notChecked) lines.push(`  not checked: ${skipped}`);
  for (const skipped of result.skipped) lines.push(`  ${describeSkipped(skipped)}`);
  return `${lines.join("\n")}\n`;
}
