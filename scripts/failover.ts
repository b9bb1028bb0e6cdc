/**
 * `npm run failover -- --to <region>`: make a region the active one. Applies the target region's
 * routing stack first, then tries the other region's; each region is reported as converged,
 * unreachable or failed. Succeeds when the target converged, even if the other region is down:
 * that is the case a failover exists for.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { DescribeAvailabilityZonesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { Ec2Clients } from "./lib/aws";
import { isUnreachableError } from "./lib/aws-errors";
import { REGION_ROLES, RegionRole, Topology, loadTopology, otherRole, topologyPath } from "../config/topology";
import { DeploymentTarget, deploymentTarget } from "../config/target";
import { synthesize } from "../stacks/app";
import { STACK_NAMES } from "../stacks/stack-names";
import { ACTIVE_REGION_VARIABLE } from "../stacks/active-region";
import { Command, EXIT, ExternalError, UsageError, parseOptions, requireOption } from "./lib/cli";
import { TerraformTimeoutError, TerraformWorkspace } from "./lib/terraform";
import { expectedWorkloadKind, findTransitGatewayRouteTableId, readRouteTargets } from "./lib/route-inspection";
import { EMULATOR_CREDENTIALS } from "./lib/emulator";

const HELP = `Usage: npm run failover -- --to <region> [options]
       npx regionpair failover --to <region> [options]

Makes <region> the active region of the pair: its copy of every workload CIDR is routed, the
other region sends those CIDRs over the peering. Synthesizes the app, then for the target
region first and the other region second: checks that the region's EC2 API answers, applies its
routing stack with ${ACTIVE_REGION_VARIABLE}=<region>, and reads the transit gateway routes back.

Each region ends as:
  converged    routes applied and verified
  unreachable  the region's API did not answer (nothing was changed there)
  failed       the API answered but terraform or the verification failed

Exit status: 0 when the target region converged (even if the other region is unreachable);
1 when the target did not converge, or the other region answered but failed; 2 on bad usage.

Options:
  --to <region>      the region to make active (required; one of the topology's two regions)
  --dry-run          plan only: show the route changes each region would get, change nothing
  --timeout <s>      upper bound for each region's terraform run (default 300)
  --record           also write "activeRegion": "<region>" into the topology file, so the next
                     full deploy keeps this region active (commit that change)
  --json             print the per-region results as JSON
  -h, --help         show this help

The app is synthesized into $CDKTF_OUTDIR (default cdktf.out), against the same target as
'cdktf synth' (REGIONPAIR_EMULATOR_URL for an emulator; real AWS otherwise).
`;

export type RegionOutcome = "converged" | "unreachable" | "failed" | "planned";

export interface RegionResult {
  readonly role: RegionRole;
  readonly region: string;
  readonly outcome: RegionOutcome;
  readonly detail: string;
  readonly seconds: number;
  /** Routes the plan would replace (dry-run) or that apply replaced. */
  readonly routeChanges?: number;
}

export interface FailoverOptions {
  readonly topology: Topology;
  readonly target: DeploymentTarget;
  readonly toRegion: string;
  readonly outdir: string;
  readonly dryRun: boolean;
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
}

/** Clients that give up on a dead region within seconds: two attempts, short time limits. */
function regionClients(topology: Topology, target: DeploymentTarget): Ec2Clients {
  const endpoints = Object.fromEntries(REGION_ROLES.map((role) => [topology[role].region, target.emulatorEndpoint(topology[role].region)]));
  const emulator = Object.values(endpoints).some(Boolean);
  return new Ec2Clients({
    endpoints,
    maxAttempts: 2,
    timeouts: { connectMs: 3_000, requestMs: 8_000 },
    ...(emulator ? { credentials: EMULATOR_CREDENTIALS } : {}),
  });
}

async function probe(ec2: EC2Client): Promise<void> {
  await ec2.send(new DescribeAvailabilityZonesCommand({}), { abortSignal: AbortSignal.timeout(15_000) });
}

/** Counts `Plan: X to add, Y to change, Z to destroy.`; a replaced route is one add and one destroy. */
export function routeChangesFromPlan(stdout: string): number {
  const match = /Plan: (\d+) to add, (\d+) to change, (\d+) to destroy/.exec(stdout);
  return match ? Math.max(Number(match[1]), Number(match[3])) + Number(match[2]) : 0;
}

async function failoverRegion(role: RegionRole, options: FailoverOptions, workspace: TerraformWorkspace, clients: Ec2Clients): Promise<RegionResult> {
  const { topology } = options;
  const region = topology[role].region;
  const stack = STACK_NAMES.routing(role);
  const started = Date.now();
  const result = (outcome: RegionOutcome, detail: string, routeChanges?: number): RegionResult => ({
    role,
    region,
    outcome,
    detail,
    routeChanges,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  });
  const ec2 = clients.forRegion(region);
  const vars = { [ACTIVE_REGION_VARIABLE]: options.toRegion };
  const run = { timeoutMs: options.timeoutMs };
  try {
    options.log(`${region}: checking that the EC2 API answers`);
    try {
      await probe(ec2);
    } catch (error) {
      if (isUnreachableError(error)) return result("unreachable", `EC2 API did not answer (${(error as Error).name}: ${(error as Error).message})`);
      throw error;
    }
    options.log(`${region}: ${options.dryRun ? "planning" : "applying"} ${stack} with ${ACTIVE_REGION_VARIABLE}=${options.toRegion}`);
    await workspace.ensureInit(stack, run);
    if (options.dryRun) {
      const plan = await workspace.plan(stack, { ...run, vars });
      const changes = routeChangesFromPlan(plan.stdout);
      return result(plan.changes ? "planned" : "converged", plan.changes ? `${changes} route(s) would be replaced` : "already routed this way", changes);
    }
    const applied = await workspace.apply(stack, { ...run, vars });
    const changes = /Apply complete! Resources: (\d+) added, (\d+) changed, (\d+) destroyed/.exec(applied.stdout);
    const replaced = changes ? Math.max(Number(changes[1]), Number(changes[3])) + Number(changes[2]) : 0;

    options.log(`${region}: verifying the transit gateway routes`);
    const routeTableId = await findTransitGatewayRouteTableId(ec2, topology, role);
    if (!routeTableId) return result("failed", "applied, but the transit gateway route table was not found to verify");
    const expected = expectedWorkloadKind(region, options.toRegion);
    const targets = await readRouteTargets(ec2, routeTableId, topology.workloads.map((w) => w.cidr));
    const wrong = targets.filter((t) => t.kind !== expected);
    if (wrong.length) {
      return result("failed", `applied, but ${wrong.map((t) => `${t.cidr} → ${t.kind}`).join(", ")} (expected ${expected})`, replaced);
    }
    return result("converged", `${targets.length} workload route(s) → ${expected === "vpc" ? "local VPC" : "peering"}; ${replaced} replaced`, replaced);
  } catch (error) {
    if (error instanceof TerraformTimeoutError || error instanceof ExternalError) {
      // A region that went away mid-run is unreachable; one that still answers has failed.
      const stillUp = await probe(ec2).then(
        () => true,
        () => false,
      );
      return result(stillUp ? "failed" : "unreachable", error.message.split("\n").slice(0, 12).join("\n"));
    }
    if (isUnreachableError(error)) return result("unreachable", (error as Error).message);
    throw error;
  }
}

/** The role of the region to fail over to; a usage error when it is not one of the pair. */
export function targetRoleOf(topology: Topology, region: string): RegionRole {
  const role = REGION_ROLES.find((r) => topology[r].region === region);
  if (!role) throw new UsageError(`--to ${region} is not in this topology; use ${topology.primary.region} or ${topology.secondary.region}`);
  return role;
}

export async function failover(options: FailoverOptions): Promise<RegionResult[]> {
  const { topology } = options;
  const targetRole = targetRoleOf(topology, options.toRegion);
  options.log(`synthesizing ${topology.name} into ${options.outdir}`);
  synthesize({ topology, target: options.target, outdir: options.outdir });
  const workspace = new TerraformWorkspace(options.outdir);
  const clients = regionClients(topology, options.target);
  const results: RegionResult[] = [];
  try {
    // Target first: traffic must move even if the other region never answers.
    for (const role of [targetRole, otherRole(targetRole)]) {
      results.push(await failoverRegion(role, options, workspace, clients));
    }
  } finally {
    clients.destroy();
  }
  return results;
}

/** What the operator still has to do, given the results. */
export function followUp(results: readonly RegionResult[], toRegion: string, recorded: boolean): string[] {
  const lines: string[] = [];
  const other = results[1];
  if (other.outcome === "unreachable") {
    lines.push(
      `${other.region} was unreachable and still routes as before. When its API answers again, run`,
      `  npm run failover -- --to ${toRegion}`,
      `to converge it (${results[0].region} is already done and will show no changes).`,
    );
  } else if (other.outcome === "failed") {
    lines.push(`${other.region} answered but did not converge: fix the error above and rerun  npm run failover -- --to ${toRegion}`);
  }
  if (!recorded && results[0].outcome === "converged") {
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

  const topology = loadTopology();
  targetRoleOf(topology, toRegion);
  const started = Date.now();
  const log = (line: string) => process.stderr.write(`  ${line}\n`);
  process.stderr.write(`regionpair failover: making ${toRegion} active${parsed.values["dry-run"] ? " (dry run: plan only)" : ""}\n`);
  const results = await failover({
    topology,
    target: deploymentTarget(),
    toRegion,
    outdir: process.env.CDKTF_OUTDIR || "cdktf.out",
    dryRun: parsed.values["dry-run"] ?? false,
    timeoutMs: timeoutSeconds * 1000,
    log,
  });

  const targetOk = results[0].outcome === "converged" || (parsed.values["dry-run"] && results[0].outcome === "planned");
  const otherOk = results[1].outcome !== "failed";
  let recorded = false;
  if (parsed.values.record && targetOk) {
    recorded = true;
    if (!recordActiveRegion(topologyPath(), toRegion)) process.stderr.write(`  ${topologyPath()} already names ${toRegion} as active; left unchanged\n`);
  }

  if (parsed.values.json) {
    process.stdout.write(`${JSON.stringify({ toRegion, seconds: (Date.now() - started) / 1000, recorded, regions: results }, null, 2)}\n`);
  } else {
    process.stdout.write("\n");
    for (const r of results) {
      process.stdout.write(`${r.region.padEnd(16)} ${r.outcome.padEnd(12)} ${r.detail.split("\n")[0]} (${r.seconds} s)\n`);
      for (const line of r.detail.split("\n").slice(1)) process.stdout.write(`    ${line}\n`);
    }
    const followUps = parsed.values["dry-run"] ? [] : followUp(results, toRegion, recorded);
    if (recorded) process.stdout.write(`\nRecorded "activeRegion": "${toRegion}" in ${topologyPath()}; commit it.\n`);
    if (followUps.length) process.stdout.write(`\n${followUps.join("\n")}\n`);
    process.stdout.write(`\nTotal ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
  }
  return targetOk && otherOk ? EXIT.ok : EXIT.failure;
}

export const command: Command = { summary: "fail over to a region", help: HELP, run };
