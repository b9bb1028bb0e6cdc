/**
 * The one-line JSON summary the post-restore documents print last (documents/*-post-restore.*),
 * read back from the command's output. Pure.
 */

/** What one fix-up did: `ok` (nothing to do), `changed`, `skipped`, `warning` (needs a person) or `failed`. */
export type FixupStatus = "ok" | "changed" | "skipped" | "warning" | "failed";

const STATUSES: readonly string[] = ["ok", "changed", "skipped", "warning", "failed"];

export interface FixupResult {
  readonly status: FixupStatus;
  readonly detail: string;
  /** Anything else the script reported for it (time source, adapters, entries). */
  readonly extra: Readonly<Record<string, unknown>>;
}

export interface FixupSummary {
  readonly platform: string;
  readonly computerName?: string;
  /** No fix-up failed. */
  readonly ok: boolean;
  /** In the order the script ran them. */
  readonly fixups: Readonly<Record<string, FixupResult>>;
}

export type ParsedSummary = { readonly summary: FixupSummary } | { readonly problem: string };

/** The summary from the last non-empty line of the output, or why there is none. */
export function parseFixupSummary(output: string): ParsedSummary {
  const lines = output.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const last = lines[lines.length - 1];
  if (!last) return { problem: "the document printed nothing" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(last);
  } catch {
    return { problem: `its last line is not the JSON summary (output cut short, or the script stopped early): ${last.slice(0, 120)}` };
  }
  const value = parsed as { regionpair?: unknown; platform?: unknown; computerName?: unknown; ok?: unknown; fixups?: unknown };
  if (value === null || typeof value !== "object" || value.regionpair !== "post-restore" || typeof value.fixups !== "object" || value.fixups === null) {
    return { problem: "its last line is JSON but not a regionpair post-restore summary" };
  }
  const fixups: Record<string, FixupResult> = {};
  for (const [name, raw] of Object.entries(value.fixups as Record<string, unknown>)) {
    const entry = (raw ?? {}) as Record<string, unknown>;
    const status = typeof entry.status === "string" && STATUSES.includes(entry.status) ? (entry.status as FixupStatus) : "failed";
    const { status: _status, detail, ...extra } = entry;
    fixups[name] = { status, detail: typeof detail === "string" ? detail : status === "failed" && entry.status !== "failed" ? `unknown status ${JSON.stringify(entry.status)}` : "", extra };
  }
  return {
    summary: {
      platform: typeof value.platform === "string" ? value.platform : "unknown",
      ...(typeof value.computerName === "string" ? { computerName: value.computerName } : {}),
      ok: value.ok === true && Object.values(fixups).every((f) => f.status !== "failed"),
      fixups,
    },
  };
}
