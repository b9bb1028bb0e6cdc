/**
 * `regionpair status`: where each region's transit gateway routes every workload CIDR right now,
 * read-only, compared with the topology's activeRegion: `ok`, `drift`, `split-brain` or `loop`,
 * plus whether the passive copy is fenced. A region whose API does not answer is reported, not
 * fatal. Exit 1 on split brain or loop (something is wrong now), else 0.
 */
import { REGION_ROLES, Topology, loadTopology } from "../config/topology";
import { deploymentTarget } from "../config/target";
import { Command, EXIT, UsageError, parseOptions } from "./lib/cli";
import { Ec2Clients } from "./lib/aws";
import { EMULATOR_CREDENTIALS } from "./lib/emulator";
import { DeploymentTarget } from "../config/target";
import { RegionStatus, StatusDocument, formatStatus, pairStatus } from "./status/route-status";
import { STATUS_TIMEOUT_MS, readRegionStatus } from "./status/read-status";

const HELP = `Usage: npx regionpair status [options]

Reads each region's transit gateway route tables (read-only) and says, per region and workload
CIDR, which region's copy it is routed to, compared with the topology's activeRegion:

  ok           every workload CIDR goes to the active region
  drift        the pair routes elsewhere than activeRegion says, or a route is missing
  split-brain  both regions route a workload CIDR to their own copy
  loop         both regions send a workload CIDR over the peering: no copy is reached

It also says whether the passive copy is fenced (its workload table is all blackholes). A region
that does not answer is reported as unreachable; the verdict then covers the other region.

Exit status: 1 on split-brain or loop, 0 otherwise (also for drift), 2 on bad usage.

Options:
  --json           print { "regions": [ { "region", "reachable", "routes": [ { "cidr", "routesTo" } ] } ], "verdict", ... }
  --timeout <s>    how long to wait for each region's API (default ${STATUS_TIMEOUT_MS / 1000})
  -h, --help       show this help
`;

/** Clients that give up on a dead region within seconds. */
export function statusClients(topology: Topology, target: DeploymentTarget): Ec2Clients {
  const endpoints = Object.fromEntries(REGION_ROLES.map((role) => [topology[role].region, target.emulatorEndpoint(topology[role].region)]));
  const emulator = Object.values(endpoints).some(Boolean);
  return new Ec2Clients({ endpoints, maxAttempts: 2, timeouts: { connectMs: 3_000, requestMs: 8_000 }, ...(emulator ? { credentials: EMULATOR_CREDENTIALS } : {}) });
}

export interface ReadStatusOptions {
  readonly topology: Topology;
  readonly clients: Ec2Clients;
  /** The region the workloads should go to. @default the topology's activeRegion */
  readonly expectedActiveRegion?: string;
  readonly timeoutMs?: number;
  /** Regions already known not to answer (a failover that just found them so): not asked again. */
  readonly knownUnreachable?: Readonly<Record<string, { readonly code: string; readonly message: string }>>;
}

/** Both regions read at once; the document `status --json` prints. */
export async function readStatus(options: ReadStatusOptions): Promise<StatusDocument> {
  const { topology } = options;
  const read = (role: (typeof REGION_ROLES)[number]): Promise<RegionStatus> => {
    const region = topology[role].region;
    const known = options.knownUnreachable?.[region];
    if (known) return Promise.resolve({ region, role, reachable: false, routes: topology.workloads.map((w) => ({ cidr: w.cidr, routesTo: "unknown" })), error: known });
    return readRegionStatus(options.clients.forRegion(region), topology, role, options.timeoutMs);
  };
  const [primary, secondary] = await Promise.all([read("primary"), read("secondary")]);
  return pairStatus([primary, secondary], options.expectedActiveRegion ?? topology.activeRegion);
}

async function run(argv: readonly string[]): Promise<number> {
  const parsed = parseOptions(argv, { json: { type: "boolean" }, timeout: { type: "string" } });
  if (!parsed) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const timeoutSeconds = Number(parsed.values.timeout ?? STATUS_TIMEOUT_MS / 1000);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError(`--timeout must be a positive number of seconds, not '${parsed.values.timeout}'`);
  const topology = loadTopology();
  const clients = statusClients(topology, deploymentTarget());
  try {
    const status = await readStatus({ topology, clients, timeoutMs: timeoutSeconds * 1000 });
    process.stdout.write(parsed.values.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status));
    return status.verdict === "split-brain" || status.verdict === "loop" ? EXIT.failure : EXIT.ok;
  } finally {
    clients.destroy();
  }
}

export const command: Command = { summary: "where each region routes the workload CIDRs now", help: HELP, run };
