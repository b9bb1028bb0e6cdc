/**
 * `regionpair status`: where each region's transit gateway routes every workload CIDR right now,
 * read-only, compared with the topology's activeRegion: `ok`, `drift`, `split-brain` or `loop`,
 * plus whether the passive copy is fenced. A region whose API does not answer is reported, not
 * fatal. Exit 1 on split brain or loop (something is wrong now), else 0.
 */
import { loadTopology } from "../config/topology";
import { deploymentTarget } from "../config/target";
import { Command, EXIT, UsageError, parseOptions } from "./lib/cli";
import { pairClients } from "./lib/pair-clients";
import { formatStatus } from "./status/route-status";
import { STATUS_TIMEOUT_MS, readStatus } from "./status/read-status";

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

async function run(argv: readonly string[]): Promise<number> {
  const parsed = parseOptions(argv, { json: { type: "boolean" }, timeout: { type: "string" } });
  if (!parsed) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const timeoutSeconds = Number(parsed.values.timeout ?? STATUS_TIMEOUT_MS / 1000);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError(`--timeout must be a positive number of seconds, not '${parsed.values.timeout}'`);
  const topology = loadTopology();
  const clients = pairClients(topology, deploymentTarget());
  try {
    const status = await readStatus({ topology, clients, timeoutMs: timeoutSeconds * 1000 });
    process.stdout.write(parsed.values.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status));
    return status.verdict === "split-brain" || status.verdict === "loop" ? EXIT.failure : EXIT.ok;
  } finally {
    clients.destroy();
  }
}

export const command: Command = { summary: "where each region routes the workload CIDRs now", help: HELP, run };
