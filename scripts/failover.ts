/**
 * `npm run failover -- --to <region>`: make a region the active one, target region first. In
 * each region the routes that move are moved in place (ReplaceTransitGatewayRoute: no moment
 * without a route), then terraform applies the routing stack, whose plan then holds no change to
 * those routes, then every route is read back. The other region is touched only once the target
 * has converged. Each region is reported as converged, unreachable, failed or skipped; the run
 * ends with the pair's `status`. Succeeds when the target converged, even if the other region is
 * down: that is the case a failover exists for.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { Ec2Clients } from "./lib/aws";
import { REGION_ROLES, RegionRole, Topology, loadTopology, otherRole, topologyPath } from "../config/topology";
import { DeploymentTarget, deploymentTarget } from "../config/target";
import { synthesize } from "../stacks/app";
import { STACK_NAMES } from "../stacks/stack-names";
import { ACTIVE_REGION_VARIABLE } from "../stacks/active-region";
import { Command, EXIT, ExternalError, UsageError, parseOptions, requireOption } from "./lib/cli";
import { TerraformWorkspace, checkTerraform } from "./lib/terraform";
import { Progress, SILENT_PROGRESS, chooseOutputMode, createProgress } from "./lib/progress";
import { pairClients } from "./lib/pair-clients";
import { PROBE_TIMEOUT_MS, RegionOutcome, RegionResult, RoutingTerraform, failoverRegion } from "./failover/region-failover";
import { StatusDocument, formatStatus } from "./status/route-status";
import { readStatus } from "./status/read-status";
import { preflightFailover } from "./preflight/failover";
import { PreflightReport, formatReport } from "./preflight/checks";

export type { RegionOutcome, RegionResult } from "./failover/region-failover";

const HELP = `Usage: npm run failover -- --to <region> [options]
       npx regionpair failover --to <region> [options]

Makes <region> the active region of the pair: its copy of every workload CIDR is routed, the
other region sends those CIDRs over the peering and fences its own copy. Synthesizes the app,
then for the target region first:

  probe           check that the region's EC2 API answers (giving up within ${PROBE_TIMEOUT_MS / 1000} s)
  replace routes  move every route that changes on failover in place (ReplaceTransitGatewayRoute:
                  never a moment without a route), all at once
  init, plan      plan the routing stack with ${ACTIVE_REGION_VARIABLE}=<region>: it must hold no change
                  to the moved routes
  apply           apply that saved plan, so terraform's state matches
  verify          read every route back and compare it with the design

Only when the target converged does it do the same in the other region; if the target did not
converge, the other region is left untouched (it keeps serving the workloads). It ends by
printing the pair's status (see 'regionpair status').

Each region ends as:
  converged    routes moved, applied and verified
  unreachable  the region's API did not answer (nothing more was changed there)
  failed       the API answered but a call, terraform or the verification failed
  skipped      not touched, because the target region did not converge
  planned      --dry-run: changes that would be made

Exit status: 0 when the target region converged (even if the other region is unreachable);
1 when the target did not converge, or the other region answered but failed; 2 on bad usage.

Options:
  --to <region>      the region to make active (required; one of the topology's two regions)
  --dry-run          change nothing: show the routes each region would move, plan, and run the
                     failover role's preflight (every write a failover makes, asked with EC2
                     DryRun on the real resources; exit 1 when one is not allowed)
  --timeout <s>      upper bound for each terraform run, and for each region's API calls
                     (throttling is retried until then); a terraform run past it is interrupted
                     (it writes its state and releases its lock), and killed only after a
                     grace period (default 300)
  --record           also write "activeRegion": "<region>" into the topology file, so the next
                     full deploy keeps this region active (commit that change)
  --json             print the per-region results and the status as one JSON document
  -h, --help         show this help

The app is synthesized into $CDKTF_OUTDIR (default cdktf.out), against the same target as
'cdktf synth' (REGIONPAIR_EMULATOR_URL for an emulator; real AWS otherwise). The manual flip
with cdktf or terraform is in docs/failover.md.
`;

export interface FailoverOptions {
  readonly topology: Topology;
  readonly target: DeploymentTarget;
  readonly toRegion: string;
  readonly outdir: string;
  readonly dryRun: boolean;
  readonly timeoutMs: number;
  /** After a terraform time-out, how long it may take to stop cleanly. @default 30 s */
  readonly gracePeriodMs?: number;
  /** @default PROBE_TIMEOUT_MS */
  readonly probeTimeoutMs?: number;
  readonly progress?: Progress;
  /** Progress as plain lines, for callers without a Progress (ignored when `progress` is given). */
  readonly log?: (line: string) => void;
  /** Ctrl-C: regions stop, terraform is interrupted (state written, lock released). */
  readonly signal?: AbortSignal;
  /** For tests: the clients and terraform to use instead of the real ones. */
  readonly clients?: Ec2Clients;
  readonly terraform?: RoutingTerraform;
}

export interface FailoverReport {
  readonly results: readonly RegionResult[];
  readonly status: StatusDocument;
  /**
   * --dry-run: the failover role's preflight in the regions that answered (every write a
   * failover makes, asked with DryRun on the real resources; see 'regionpair preflight').
   */
  readonly preflight?: PreflightReport;
  /** --dry-run: why the preflight could not finish (the AWS error), when it could not. */
  readonly preflightError?: { readonly code: string; readonly message: string };
}

/** The probe of a region the target's trace found not answering a moment ago. */
const RECHECK_PROBE_MS = 3_000;

/** The role of the region to fail over to; a usage error when it is not one of the pair. */
export function targetRoleOf(topology: Topology, region: string): RegionRole {
  const role = REGION_ROLES.find((r) => topology[r].region === region);
  if (!role) throw new UsageError(`--to ${region} is not in this topology; use ${topology.primary.region} or ${topology.secondary.region}`);
  return role;
}

/** Whether the target region ended where the other region may be touched. */
export function targetAllowsOther(target: RegionResult, dryRun: boolean): boolean {
  return target.outcome === "converged" || (dryRun && target.outcome === "planned");
}

/** The other region's result when the target did not converge: it is left as it is. */
export function skippedResult(role: RegionRole, topology: Topology, target: RegionResult): RegionResult {
  return {
    role,
    region: topology[role].region,
    outcome: "skipped",
    detail: `not touched: ${target.region} is ${target.outcome}, so ${topology[role].region} keeps routing as before`,
    seconds: 0,
    routeChanges: 0,
  };
}

/** Each region's result, target first (what `failoverWithStatus` reports without the status). */
export async function failover(options: FailoverOptions): Promise<RegionResult[]> {
  return [...(await failoverWithStatus(options)).results];
}

function progressOf(options: FailoverOptions): Progress {
  if (options.progress) return options.progress;
  const log = options.log;
  if (!log) return SILENT_PROGRESS;
  return { item: (id, _phase, detail) => log(`${id}: ${detail}`), note: log, warn: (message) => log(`warning: ${message}`), close() {} };
}

/** The failover, target first, then the pair's status. */
export async function failoverWithStatus(options: FailoverOptions): Promise<FailoverReport> {
  const { topology } = options;
  const progress = progressOf(options);
  const targetRole = targetRoleOf(topology, options.toRegion);
  progress.note(`synthesizing ${topology.name} into ${options.outdir}`);
  const { stacks } = synthesize({ topology, target: options.target, outdir: options.outdir });
  const terraform = options.terraform ?? new TerraformWorkspace(options.outdir);
  const clients = options.clients ?? pairClients(topology, options.target);
  const results: RegionResult[] = [];
  try {
    for (const role of [targetRole, otherRole(targetRole)]) {
      // Target first, and the other only once the target converged: a failed target must not
      // leave the pair with no region serving the workloads.
      if (results.length && !targetAllowsOther(results[0], options.dryRun)) {
        results.push(skippedResult(role, topology, results[0]));
        progress.item(`${topology[role].region} ${STACK_NAMES.routing(role)}`, "skipped", `skipped: ${topology[targetRole].region} did not converge`);
        continue;
      }
      // The target's trace has just waited for this region: if it did not answer then, its probe
      // gets a few seconds only (still a real call, so the result carries the SDK's error code).
      const unanswered = results[0]?.verification?.regions.some((r) => r.region === topology[role].region && r.outcome === "unreachable");
      const probeTimeoutMs = unanswered ? Math.min(RECHECK_PROBE_MS, options.probeTimeoutMs ?? PROBE_TIMEOUT_MS) : options.probeTimeoutMs;
      const routes = stacks.routing[role].routes.routes;
      results.push(
        await failoverRegion({
          topology,
          role,
          toRegion: options.toRegion,
          dryRun: options.dryRun,
          clients,
          terraform,
          progress,
          routeAddresses: Object.fromEntries(Object.entries(routes).map(([id, route]) => [id, `${route.terraformResourceType}.${route.friendlyUniqueId}`])),
          timeoutMs: options.timeoutMs,
          gracePeriodMs: options.gracePeriodMs,
          probeTimeoutMs,
          signal: options.signal,
        }),
      );
    }
    const knownUnreachable = Object.fromEntries(
      results.filter((r) => r.outcome === "unreachable").map((r) => [r.region, { code: r.error?.code ?? "Unreachable", message: r.error?.message ?? r.detail.split("\n")[0] }]),
    );
    const preflight = options.dryRun ? await dryRunPreflight(topology, options.toRegion, results, clients, progress) : {};
    const status = await readStatus({ topology, clients, expectedActiveRegion: options.dryRun ? topology.activeRegion : options.toRegion, timeoutMs: options.probeTimeoutMs, knownUnreachable });
    return { results, status, ...preflight };
  } finally {
    if (!options.clients) clients.destroy();
  }
}

/**
 * A dry run's proof that the real failover may make its calls: the plan needs reads only, so
 * without this a role lacking a write passes the dry run and fails in the failover.
 */
async function dryRunPreflight(
  topology: Topology,
  toRegion: string,
  results: readonly RegionResult[],
  clients: Ec2Clients,
  progress: Progress,
): Promise<Pick<FailoverReport, "preflight" | "preflightError">> {
  const regions = results.filter((r) => r.outcome !== "unreachable").map((r) => r.region);
  if (regions.length === 0) return {};
  progress.note(`preflight: asking with DryRun whether these credentials may make every failover call in ${regions.join(", ")}`);
  try {
    return { preflight: await preflightFailover({ topology, toRegion, regions, ec2: (region) => clients.forRegion(region) }) };
  } catch (error) {
    if (!(error instanceof ExternalError)) throw error;
    return { preflightError: { code: error.code ?? "Error", message: error.message } };
  }
}

/** What the operator still has to do, given the results. */
export function followUp(results: readonly RegionResult[], toRegion: string, recorded: boolean): string[] {
  const lines: string[] = [];
  const [target, other] = results;
  if (target.outcome === "unreachable" || target.outcome === "failed") {
    lines.push(
      `${target.region} did not converge (${target.outcome}${target.error ? `: ${target.error.code}` : ""}), so ${other.region} was not touched and still serves the workloads.`,
      ...(target.error ? [`Check: ${target.error.check}`] : []),
      `Then run again:  npm run failover -- --to ${toRegion}`,
    );
    if (target.error?.lock) lines.push(`A state lock was left held; once no terraform run is working on it: ${target.error.lock.release}`);
    return lines;
  }
  if (other.outcome === "unreachable") {
    lines.push(
      `${other.region} was unreachable and still routes as before. When its API answers again, run`,
      `  npm run failover -- --to ${toRegion}`,
      `to converge it (${target.region} is already done and will show no changes).`,
    );
  } else if (other.outcome === "failed") {
    lines.push(`${other.region} answered but did not converge: fix the error above${other.error ? ` (check: ${other.error.check})` : ""} and rerun  npm run failover -- --to ${toRegion}`);
    if (other.error?.lock) lines.push(`A state lock was left held; once no terraform run is working on it: ${other.error.lock.release}`);
  }
  if (!recorded && target.outcome === "converged") {
    lines.push(
      `Record the new active region so the next full deploy keeps it: set "activeRegion": "${toRegion}" in the topology file`,
      `(or rerun with --record) and commit it; pipelines may instead set TF_VAR_${ACTIVE_REGION_VARIABLE}=${toRegion}.`,
    );
  }
  return lines;
}

/**
 * Writes `activeRegion` into the topology file, touching only that value so the diff a reviewer
 * sees is one line. Returns false when the file already names the region (nothing written).
 */
export function recordActiveRegion(file: string, region: string): boolean {
  const text = readFileSync(file, "utf8");
  const document = JSON.parse(text) as Record<string, unknown>;
  if (document.activeRegion === region) return false;
  const value = JSON.stringify(region);
  const existing = /("activeRegion"\s*:\s*)"[^"]*"/;
  const indent = /\n([ \t]+)"/.exec(text)?.[1] ?? "  ";
  const edited = existing.test(text) ? text.replace(existing, `$1${value}`) : text.replace(/\{/, `{\n${indent}"activeRegion": ${value},`);
  // Keep the one-line edit only if it means exactly the intended document; else rewrite the file.
  const expected = { ...document, activeRegion: region };
  writeFileSync(file, sameDocument(edited, expected) ? edited : `${JSON.stringify(expected, null, 2)}\n`);
  return true;
}

/** Whether JSON text parses to `expected`, ignoring key order. */
function sameDocument(text: string, expected: unknown): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value !== null && typeof value === "object"
        ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]))
        : value;
  try {
    return JSON.stringify(canonical(JSON.parse(text))) === JSON.stringify(canonical(expected));
  } catch {
    return false;
  }
}

/** The exit code: the target converged (or planned) and the other region did not fail. */
export function exitCodeOf(results: readonly RegionResult[], dryRun: boolean): number {
  const [target, other] = results;
  return targetAllowsOther(target, dryRun) && other.outcome !== "failed" ? EXIT.ok : EXIT.failure;
}

function table(results: readonly RegionResult[]): string {
  return results
    .map((r) => {
      const [first, ...rest] = r.detail.split("\n");
      return [`${r.region.padEnd(16)} ${r.outcome.padEnd(12)} ${first} (${r.seconds} s)`, ...rest.map((line) => `    ${line}`)].join("\n");
    })
    .join("\n");
}

/** Both regions as failed when the run could not start (synth, terraform missing): the document is still printed. */
function notStarted(topology: Topology, toRegion: string, error: ExternalError): RegionResult[] {
  const targetRole = targetRoleOf(topology, toRegion);
  const problem = { outcome: "failed" as const, code: error.code ?? "Error", message: error.message, check: error.hint ?? "the error above" };
  return [targetRole, otherRole(targetRole)].map((role, i) => ({
    role,
    region: topology[role].region,
    outcome: i === 0 ? ("failed" as RegionOutcome) : ("skipped" as RegionOutcome),
    detail: i === 0 ? `${problem.code}: ${problem.message}\ncheck: ${problem.check}` : "not touched: the failover could not start",
    seconds: 0,
    routeChanges: 0,
    ...(i === 0 ? { error: problem } : {}),
  }));
}

async function run(argv: readonly string[]): Promise<number> {
  const parsed = parseOptions(argv, {
    to: { type: "string" },
    "dry-run": { type: "boolean" },
    timeout: { type: "string" },
    record: { type: "boolean" },
    json: { type: "boolean" },
  });
  if (!parsed) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const toRegion = requireOption(parsed.values, "to", "the region to make active");
  const timeoutSeconds = Number(parsed.values.timeout ?? 300);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError(`--timeout must be a positive number of seconds, not '${parsed.values.timeout}'`);
  if (parsed.values.record && parsed.values["dry-run"]) throw new UsageError("--record and --dry-run cannot be combined");
  const dryRun = parsed.values["dry-run"] ?? false;
  const json = parsed.values.json ?? false;

  const topology = loadTopology();
  targetRoleOf(topology, toRegion);
  const started = Date.now();
  const progress = createProgress(chooseOutputMode({ json }));
  progress.note(`regionpair failover: making ${toRegion} active${dryRun ? " (dry run: nothing is changed)" : ""}`);
  const interrupt = new AbortController();
  const outdir = process.env.CDKTF_OUTDIR || "cdktf.out";
  let workspace: TerraformWorkspace | undefined;
  const onSignal = () => {
    progress.warn("interrupted: stopping terraform cleanly (state written, lock released) and the AWS calls");
    workspace?.interrupt();
    interrupt.abort();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  let results: readonly RegionResult[];
  let status: StatusDocument | undefined;
  let preflight: Pick<FailoverReport, "preflight" | "preflightError"> = {};
  try {
    checkTerraform();
    workspace = new TerraformWorkspace(outdir);
    const report = await failoverWithStatus({ topology, target: deploymentTarget(), toRegion, outdir, dryRun, timeoutMs: timeoutSeconds * 1000, progress, signal: interrupt.signal, terraform: workspace });
    results = report.results;
    status = report.status;
    preflight = { preflight: report.preflight, preflightError: report.preflightError };
  } catch (error) {
    if (!(error instanceof ExternalError)) throw error;
    results = notStarted(topology, toRegion, error);
  } finally {
    progress.close();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }

  const preflightFailed = (preflight.preflight?.missing.length ?? 0) > 0 || preflight.preflightError !== undefined;
  const code = preflightFailed ? EXIT.failure : exitCodeOf(results, dryRun);
  let recorded = false;
  if (parsed.values.record && targetAllowsOther(results[0], dryRun)) {
    recorded = true;
    if (!recordActiveRegion(topologyPath(), toRegion)) process.stderr.write(`  ${topologyPath()} already names ${toRegion} as active; left unchanged\n`);
  }

  const seconds = (Date.now() - started) / 1000;
  if (json) {
    process.stdout.write(`${JSON.stringify({ toRegion, dryRun, seconds, recorded, exitCode: code, regions: results, status, ...preflight }, null, 2)}\n`);
  } else {
    process.stdout.write(`\n${table(results)}\n`);
    if (status) process.stdout.write(`\nStatus after the failover:\n${formatStatus(status)}`);
    if (preflight.preflight) process.stdout.write(`\n${formatReport(preflight.preflight)}`);
    if (preflight.preflightError) process.stdout.write(`\npreflight could not finish: ${preflight.preflightError.code}: ${preflight.preflightError.message}\n`);
    const followUps = dryRun ? [] : followUp(results, toRegion, recorded);
    if (recorded) process.stdout.write(`\nRecorded "activeRegion": "${toRegion}" in ${topologyPath()}; commit it.\n`);
    if (followUps.length) process.stdout.write(`\n${followUps.join("\n")}\n`);
    process.stdout.write(`\nTotal ${seconds.toFixed(1)} s.\n`);
  }
  return code;
}

export const command: Command = { summary: "fail over to a region", help: HELP, run };
