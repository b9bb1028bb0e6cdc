/**
 * `regionpair preflight --role <role> [--to <region>] [--json]`: asks AWS whether the current
 * credentials may make every call of a role, changing nothing: writes with DryRun (DryRunOperation
 * is allowed, UnauthorizedOperation missing), reads by making them. Exit 1 when anything is
 * missing. The pipelines run it for the failover role after every upgrade.
 */
import { EC2Client } from "@aws-sdk/client-ec2";
import { SSMClient } from "@aws-sdk/client-ssm";
import { REGION_ROLES, Topology, loadTopology, otherRole, roleOfRegion } from "../config/topology";
import { deploymentTarget } from "../config/target";
import { Ec2Clients } from "./lib/aws";
import { Command, EXIT, ExternalError, UsageError, parseOptions, requireOption } from "./lib/cli";
import { PreflightCheck, PreflightReport, formatReport, report } from "./preflight/checks";
import { preflightFailover } from "./preflight/failover";
import { preflightAmiCopy, preflightEnaEnable, preflightRestore } from "./preflight/instances";

export const PREFLIGHT_ROLES = ["failover", "ami-copy", "ena-enable", "restore"] as const;
type PreflightRole = (typeof PREFLIGHT_ROLES)[number];

const HELP = `Usage: regionpair preflight --role <role> [--to <region>] [--json]

Asks AWS whether the current credentials may make every call <role> makes, and changes nothing:
each write is sent with DryRun=true on the real resources (DryRunOperation: allowed;
UnauthorizedOperation: missing), each read is made. A call that can be asked neither way (SSM
SendCommand has no DryRun) is reported as not verified, with why.

Roles and what --to means:
  failover    the region to make active (default: the topology's activeRegion); both regions
              are checked, the route calls on their real TGW route tables and attachments
  ami-copy    the DR region the copies go to (default: the secondary); images come from the other
  ena-enable  the region of the instances (default: both)
  restore     the DR region to restore into (default: the secondary)

Instances are those tagged regionpair:topology=<topology name>; images those ami copy tagged.

Options:
  --role <role>     ${PREFLIGHT_ROLES.join(", ")}
  --to <region>     see above; one of the topology's regions
  --json            print the checks as one JSON document
  -h, --help        show this help

Exit status: 0 nothing missing; 1 a permission is missing (each is named with its region and
resource) or AWS could not be asked; 2 bad usage.
`;

export interface PreflightClients {
  readonly ec2: (region: string) => EC2Client;
  readonly ssm: (region: string) => SSMClient;
  destroy(): void;
}

/** One EC2 and SSM client per region: the emulator's when REGIONPAIR_EMULATOR_URL says so, else the SDK's default chain. */
export function preflightClients(topology: Topology, env: NodeJS.ProcessEnv = process.env): PreflightClients {
  const target = deploymentTarget(env);
  const endpoints = Object.fromEntries(REGION_ROLES.map((role) => [topology[role].region, target.emulatorEndpoint(topology[role].region)]));
  const emulator = Object.values(endpoints).some(Boolean);
  // Emulator keys from the same environment (an emulator IAM user's under enforcement).
  const credentials = target.emulatorKeys;
  const ec2 = new Ec2Clients({ endpoints, maxAttempts: 3, timeouts: { connectMs: 3_000, requestMs: 15_000 }, ...(emulator ? { credentials } : {}) });
  const ssm = new Map<string, SSMClient>();
  return {
    ec2: (region) => ec2.forRegion(region),
    ssm: (region) => {
      let client = ssm.get(region);
      if (!client) {
        const endpoint = endpoints[region];
        client = new SSMClient({ region, maxAttempts: 3, ...(endpoint ? { endpoint, credentials } : {}) });
        ssm.set(region, client);
      }
      return client;
    },
    destroy: () => {
      ec2.destroy();
      for (const client of ssm.values()) client.destroy();
    },
  };
}

export async function runPreflight(role: PreflightRole, topology: Topology, toRegion: string | undefined, clients: PreflightClients): Promise<PreflightReport> {
  const regionRole = toRegion ? roleOfRegion(topology, toRegion)! : undefined;
  const dr = regionRole ?? "secondary";
  switch (role) {
    case "failover":
      return preflightFailover({ topology, toRegion, ec2: clients.ec2 });
    case "ami-copy": {
      const target = topology[dr].region;
      const source = topology[otherRole(dr)].region;
      return report(role, [source, target], await preflightAmiCopy(topology, source, target, clients));
    }
    case "ena-enable": {
      const regions = regionRole ? [topology[regionRole].region] : REGION_ROLES.map((r) => topology[r].region);
      const checks: PreflightCheck[] = [];
      for (const region of regions) checks.push(...(await preflightEnaEnable(topology, region, clients)));
      return report(role, regions, checks);
    }
    case "restore":
      return report(role, [topology[dr].region], await preflightRestore(topology, topology[dr].region, clients));
  }
}

async function run(argv: readonly string[]): Promise<number> {
  const parsed = parseOptions(argv, { role: { type: "string" }, to: { type: "string" }, json: { type: "boolean" } });
  if (!parsed) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const role = requireOption(parsed.values, "role", PREFLIGHT_ROLES.join(", "));
  if (!(PREFLIGHT_ROLES as readonly string[]).includes(role)) throw new UsageError(`unknown role '${role}'; roles: ${PREFLIGHT_ROLES.join(", ")}`);
  const topology = loadTopology();
  const toRegion = parsed.values.to;
  if (toRegion !== undefined && !roleOfRegion(topology, toRegion)) {
    throw new UsageError(`--to ${toRegion} is not in this topology; use ${topology.primary.region} or ${topology.secondary.region}`);
  }
  const clients = preflightClients(topology);
  let result: PreflightReport;
  try {
    result = await runPreflight(role as PreflightRole, topology, toRegion, clients);
  } finally {
    clients.destroy();
  }
  process.stdout.write(parsed.values.json ? `${JSON.stringify(result, null, 2)}\n` : formatReport(result));
  if (result.missing.length) {
    if (parsed.values.json) throw new ExternalError(`missing: ${result.missing.join(", ")}`, "UnauthorizedOperation", `grant them: npx regionpair iam policy ${role} prints the role's policy`);
    return EXIT.failure;
  }
  return EXIT.ok;
}

export const command: Command = { summary: "check with DryRun that the current credentials may make every call of a role", help: HELP, run };
