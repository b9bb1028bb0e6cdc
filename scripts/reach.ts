/**
 * `npx regionpair reach`: reads both regions' network back from the EC2 API and traces, hop by
 * hop, whether every client reaches the active copy of every workload and hears back, whether
 * each passive copy is fenced, and whether traffic arriving over the peering stays out of it.
 * Read-only. A region that does not answer is reported, not an error: the other region's
 * read-back still says where its clients go.
 */
import { Ec2Clients } from "./lib/aws";
import { EMULATOR_CREDENTIALS } from "./lib/emulator";
import { Command, EXIT, UsageError, parseOptions } from "./lib/cli";
import { REGION_ROLES, Topology, loadTopology } from "../config/topology";
import { DeploymentTarget, deploymentTarget } from "../config/target";
import { DEFAULT_READ_TIMEOUT_MS, READ_NETWORK_OPERATIONS, RegionRead, readNetwork } from "./reach/read-network";
import { buildReachSpec } from "./reach/reach-spec";
import { reachReport } from "./reach/reach-report";
import { ReachRun, formatReachRun, reachRun, reachRunJson } from "./reach/reach-run";
import { RegionLabels } from "./reach/network-from-ec2";

const HELP = `Usage: npx regionpair reach [options]

Reads both regions' VPCs, route tables, transit gateways, attachments and routes back from the
EC2 API (read-only, both regions at once) and traces packets hop by hop:

  clients → workloads   each client (each region's management VPC, from its first domain
                        controller, and each on-premises connection) reaches the active copy
                        of every workload, and the reply comes back
  passive → clients     every passive copy is fenced: a blackhole stops what it sends
  peering → passive     workload traffic arriving over the peering does not enter the passive copy

A region whose API does not answer within the time limit is reported as unreachable and the
rows that need it as unknown; the other region is still checked.

Exit status: 0 when everything is as expected (also with a region unreachable); 1 when a client
cannot reach the active copy, a passive copy is reachable, a loop exists, or a region answered
with an error (credentials, permissions); 2 on bad usage.

Options:
  --active <region>  the region that should be active (default: inferred from the routes, the
                     region most client requests reach)
  --json             print one JSON document: regions as read, every row with its hops, problems
  -h, --help         show this help

Permissions (read-only): ${READ_NETWORK_OPERATIONS.map((op) => `ec2:${op}`).join(", ")}.
Targets AWS, or the emulator named by REGIONPAIR_EMULATOR_URL (REGIONPAIR_EMULATOR_URL_<REGION>
per region), like the other commands.
`;

/** Clients that give up on a dead region within seconds: two attempts, short time limits. */
export function reachClients(topology: Topology, target: DeploymentTarget): Ec2Clients {
  const endpoints = Object.fromEntries(REGION_ROLES.map((role) => [topology[role].region, target.emulatorEndpoint(topology[role].region)]));
  const emulator = Object.values(endpoints).some(Boolean);
  return new Ec2Clients({
    endpoints,
    maxAttempts: 2,
    timeouts: { connectMs: 3_000, requestMs: 8_000 },
    ...(emulator ? { credentials: EMULATOR_CREDENTIALS } : {}),
  });
}

export interface VerifyReachOptions {
  /** Upper bound for reading each region. @default DEFAULT_READ_TIMEOUT_MS */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * Reads the pair back and checks reach; what `reach` prints, as data. For the failover command
 * after a flip: `verifyReach(topology, target, toRegion)` says whether every client now reaches
 * the new active copy (`run.exitCode === 0`) and which region could not be read.
 *
 * @param activeRegion the region that should be active; @default inferred from the routes
 * @throws UsageError when `activeRegion` is not one of the pair
 */
export async function verifyReach(topology: Topology, target: DeploymentTarget, activeRegion?: string, options: VerifyReachOptions = {}): Promise<ReachRun> {
  const regions = REGION_ROLES.map((role) => topology[role].region);
  if (activeRegion !== undefined && !regions.includes(activeRegion as (typeof regions)[number])) {
    throw new UsageError(`--active ${activeRegion} is not in this topology; use ${regions.join(" or ")}`);
  }
  const clients = reachClients(topology, target);
  try {
    const readBack = await readNetwork({ topology, clients, timeoutMs: options.timeoutMs ?? DEFAULT_READ_TIMEOUT_MS, signal: options.signal });
    const labels = new Map(readBack.regions.flatMap((r: RegionRead) => (r.labels ? [[r.region, r.labels] as [string, RegionLabels]] : [])));
    // Without workloads no request reaches any copy, so nothing to infer from: nothing to check either.
    const expected = activeRegion ?? (topology.workloads.length === 0 ? topology.activeRegion : undefined);
    const report = reachReport(readBack.model, buildReachSpec(topology, labels, expected));
    return reachRun(topology.name, readBack.regions, report);
  } finally {
    clients.destroy();
  }
}

async function run(argv: readonly string[]): Promise<number> {
  const parsed = parseOptions(argv, { active: { type: "string" }, json: { type: "boolean" } });
  if (!parsed) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (parsed.values.active === "") throw new UsageError("--active needs a region, e.g. --active us-west-2");
  const topology = loadTopology();
  // Read-only: Ctrl-C may stop it anywhere, so no handler is needed.
  const result = await verifyReach(topology, deploymentTarget(), parsed.values.active);
  process.stdout.write(parsed.values.json ? `${JSON.stringify(reachRunJson(result), null, 2)}\n` : formatReachRun(result, { color: process.stdout.isTTY === true }));
  return result.exitCode;
}

export const command: Command = { summary: "trace whether every client reaches the active copy and the passive copy is fenced", help: HELP, run };
