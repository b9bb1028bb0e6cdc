/**
 * `regionpair restore`: bring instances back in the DR region from their newest DR copies, with
 * the same IPs in the mirrored subnets, then run the post-restore fix-ups; `--drill` does it in
 * the fenced passive copy, `--drill --cleanup <id>` ends a drill. Only the DR region is needed.
 * See docs/restore.md.
 */
import { Ec2Clients, parseEndpointUrl, parseRegion, resolveEndpoints } from "../lib/aws";
import { failOnMissingPermissions, runAwsCommand, writeResult } from "../lib/aws-command";
import { Command, ExternalError, UsageError, parseOptions } from "../lib/cli";
import { formatPermissionChecks } from "../lib/dry-run";
import { EMULATOR_CREDENTIALS } from "../lib/emulator";
import { loadTopology } from "../../config/topology";
import type { Topology } from "../../config/topology-model";
import { parseTagSelector } from "../ami/select-instances";
import { parseInstanceId } from "../lib/instance-id";
import { readNetwork } from "../reach/read-network";
import { runDrillCleanup } from "./cleanup";
import { dryRunCleanup, dryRunRestore } from "./dry-run";
import { newDrillId, parseDrillId } from "./naming";
import { RestoreSelection, formatRefusal, regionRoles } from "./plan";
import { cleanupDryRunSummary, cleanupSummary, restoreDryRunSummary, restoreSummary } from "./report";
import { DEFAULT_TIMEOUTS, InstanceReport, RestoreOptions, RestoreRefusedError, RestoreResult, runRestore } from "./run-restore";

const DEFAULTS = { concurrency: 10, pollMinMs: 2_000, pollMaxMs: 15_000 } as const;

const HELP = `Usage: regionpair restore --region <dr-region> (--instance-id <source-id>... | --tag <key=value>... | --all) [options]
       regionpair restore --region <dr-region> --drill (--instance-id ... | --tag ... | --all) [options]
       regionpair restore --region <dr-region> --drill --cleanup <drill-id> [--dry-run] [--json]

Launches each selected instance in --region, the DR region, from its newest available DR copy
(made by 'regionpair ami copy'): into the workload subnet that mirrors its source subnet (same
CIDR, same zone position), with the same primary and secondary private IPs, its recorded type
(or --type), its security groups mapped by name, its instance profile and its tags. A client
token derived from the source instance and the copy means a rerun never launches twice. Then it
waits until the instances are running, pass their status checks and are online in Systems
Manager, and runs the post-restore document (Windows: EC2Launch v1 routes, activation, time,
DHCP, routes and hosts entries into the other region; Linux: DHCP, routes, hosts entries).

Only the DR region's APIs are used; the source region is asked one thing, only when the DR copy
is the routed one: whether it still routes its own copy (both would be live with the same IPs).
If it cannot be asked, the restore says so and goes on.

Refused before anything is launched, each naming the instance and the fix: an IP already in use
in the DR subnet, a missing mirrored subnet or security group, a type that cannot boot the copy
(an ENA-only type from an image without ENA), both copies live (unless --force), and for a
drill, a DR region that is not passive and fenced.

Selecting instances (by the inventory recorded on the DR copies; one of):
  --instance-id <id>      a source instance id; repeatable
  --tag <key=value>       instances whose recorded tags match; repeatable (all must match; the
                          same key twice matches either value)
  --all                   every instance with a copy in --region

Options:
  --region <region>       the DR region to restore into (one of the topology's pair)
  --type <instance-type>  launch as this type instead of the recorded one
  --force                 restore into the routed copy even while the source region still routes
                          its own (only when the source's instances are really gone)
  --drill                 a drill: launch into the fenced passive copy, tagged regionpair:drill-id,
                          run the fix-ups, report health and trace the fence
  --cleanup <drill-id>    with --drill: terminate exactly what that drill launched
  --endpoint-url <url>    EC2 endpoint for --region, e.g. the VPC's EC2 interface endpoint
  --dry-run               check every EC2 write call with DryRun and print what would be launched
  --json                  print the result as JSON on stdout; progress as JSON lines on stderr
  -h, --help              show this help

Exit codes: 0 every instance is back, running, its checks passed and its fix-ups ran (or there
was nothing to do); 1 a refusal (nothing launched), an AWS error, an instance that did not come
back healthy, or a missing permission in --dry-run; 2 a usage error.
`;

const OPTIONS = {
  region: { type: "string" },
  "instance-id": { type: "string", multiple: true },
  tag: { type: "string", multiple: true },
  all: { type: "boolean" },
  type: { type: "string" },
  force: { type: "boolean" },
  drill: { type: "boolean" },
  cleanup: { type: "string" },
  "endpoint-url": { type: "string" },
  "dry-run": { type: "boolean" },
  json: { type: "boolean" },
} as const;

const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;

export type ParsedRestore =
  | { readonly mode: "restore"; readonly region: string; readonly selection: RestoreSelection; readonly instanceType?: string; readonly force: boolean; readonly drill: boolean; readonly endpointUrl?: string; readonly dryRun: boolean; readonly json: boolean }
  | { readonly mode: "cleanup"; readonly region: string; readonly drillId: string; readonly endpointUrl?: string; readonly dryRun: boolean; readonly json: boolean };

/** Validates the command line; undefined when --help was asked for. */
export function parseRestoreArguments(argv: readonly string[]): ParsedRestore | undefined {
  const parsed = parseOptions(argv, OPTIONS);
  if (!parsed) return undefined;
  const v = parsed.values;
  const region = parseRegion("region", v.region);
  const endpointUrl = parseEndpointUrl("endpoint-url", v["endpoint-url"]);
  const ids = [...new Set((v["instance-id"] ?? []).map(parseInstanceId))];
  const tags = (v.tag ?? []).map(parseTagSelector);
  const chosen = [ids.length > 0 && "--instance-id", tags.length > 0 && "--tag", v.all && "--all"].filter(Boolean);
  const common = { region, endpointUrl, dryRun: v["dry-run"] === true, json: v.json === true };
  if (v.cleanup !== undefined) {
    if (!v.drill) throw new UsageError("--cleanup ends a drill: use it with --drill (regionpair restore --region <dr-region> --drill --cleanup <drill-id>)");
    if (chosen.length > 0 || v.type !== undefined || v.force) throw new UsageError("--cleanup takes only the drill id: it terminates what that drill launched, nothing else");
    return { mode: "cleanup", drillId: parseDrillId(v.cleanup), ...common };
  }
  if (chosen.length === 0) throw new UsageError("choose instances with --instance-id, --tag or --all");
  if (chosen.length > 1) throw new UsageError(`choose instances one way: ${chosen.join(" and ")} were both given`);
  if (v.type !== undefined && !INSTANCE_TYPE.test(v.type)) throw new UsageError(`--type '${v.type}' is not an instance type name (for example m5.xlarge)`);
  if (v.drill && v.force) throw new UsageError("--force does not apply to a drill: a drill only ever launches into the fenced passive copy");
  const selection: RestoreSelection = ids.length > 0 ? { kind: "instance-ids", instanceIds: ids } : tags.length > 0 ? { kind: "tags", tags } : { kind: "all" };
  return { mode: "restore", selection, instanceType: v.type, force: v.force === true, drill: v.drill === true, ...common };
}

/**
 * Clients for reading both regions (the source's routing, the drill's network) that give up within
 * seconds: the source may be the region that is down. --endpoint-url still applies to the DR region.
 */
function pairClients(topology: Topology, drRegion: string, endpointUrl: string | undefined): Ec2Clients {
  const { endpoints, emulator } = resolveEndpoints([topology.primary.region, topology.secondary.region], { [drRegion]: endpointUrl });
  return new Ec2Clients({ endpoints, maxAttempts: 2, timeouts: { connectMs: 3_000, requestMs: 8_000 }, ...(emulator ? { credentials: EMULATOR_CREDENTIALS } : {}) });
}

/** Why each instance did not come back healthy; empty when all did. */
export function unhealthy(result: RestoreResult): string[] {
  const problems: string[] = [];
  const name = (r: InstanceReport) => r.sourceInstanceId;
  for (const r of result.instances) {
    if (r.launch === "failed") problems.push(`${name(r)}: launch failed (${r.error?.code ?? "error"})`);
    else if (r.state !== "running") problems.push(`${name(r)}: ${r.instanceId} is ${r.state ?? "unknown"}`);
    else if (!r.statusChecks || r.statusChecks.instance !== "ok" || r.statusChecks.system !== "ok") problems.push(`${name(r)}: status checks ${r.statusChecks ? `${r.statusChecks.instance}/${r.statusChecks.system}` : "not reported"}`);
    else if (r.ssm === "not-online") problems.push(`${name(r)}: not online in Systems Manager`);
    else if (r.fixups && !r.fixups.summary?.ok) problems.push(`${name(r)}: fix-ups ${r.fixups.summary ? "failed" : r.fixups.status}`);
    if (r.fence && !r.fence.fenced) problems.push(`${name(r)}: NOT fenced`);
  }
  return problems;
}

function restoreOptions(parsed: Extract<ParsedRestore, { mode: "restore" }>, topology: Topology): RestoreOptions {
  return {
    topology,
    drRegion: parsed.region,
    selection: parsed.selection,
    instanceType: parsed.instanceType,
    force: parsed.force,
    drillId: parsed.drill ? newDrillId(new Date()) : undefined,
    timeouts: DEFAULT_TIMEOUTS,
    concurrency: DEFAULTS.concurrency,
    pollIntervalMs: { min: DEFAULTS.pollMinMs, max: DEFAULTS.pollMaxMs },
  };
}

export const command: Command = {
  summary: "restore instances in the DR region from their copies, same IPs; drills in the fenced copy",
  help: HELP,
  async run(argv) {
    const parsed = parseRestoreArguments(argv);
    if (!parsed) {
      process.stdout.write(HELP);
      return 0;
    }
    const topology = loadTopology();
    const roles = regionRoles(topology, parsed.region);
    return runAwsCommand({ regions: [parsed.region], endpoints: { [parsed.region]: parsed.endpointUrl }, json: parsed.json }, async (context) => {
      const ec2 = context.clients.forRegion(parsed.region);
      if (parsed.mode === "cleanup") {
        if (parsed.dryRun) {
          const result = await dryRunCleanup(ec2, { topology, drRegion: parsed.region, drillId: parsed.drillId });
          writeResult(context, parsed.json, result, (r) => cleanupDryRunSummary(r, formatPermissionChecks(r.checks)));
          failOnMissingPermissions(result.checks, "npx regionpair iam policy restore");
          return 0;
        }
        const result = await runDrillCleanup(ec2, { topology, drRegion: parsed.region, drillId: parsed.drillId, timeoutMs: DEFAULT_TIMEOUTS.runningMs, pollIntervalMs: { min: DEFAULTS.pollMinMs, max: DEFAULTS.pollMaxMs } }, context);
        writeResult(context, parsed.json, result, cleanupSummary);
        if (result.remaining.length > 0) throw new ExternalError(`drill ${parsed.drillId}: still left: ${result.remaining.join(", ")}`, "CleanupIncomplete", "run the same cleanup again; an instance that does not terminate needs a look in the EC2 console");
        return 0;
      }

      const options = restoreOptions(parsed, topology);
      const pair = pairClients(topology, parsed.region, parsed.endpointUrl);
      const deps = {
        ...context,
        sourceEc2: () => pair.forRegion(topology[roles.source].region),
        readNetwork: async () => (await readNetwork({ topology, clients: pair, signal: context.signal })).model,
      };
      try {
        if (parsed.dryRun) {
          const result = await dryRunRestore(options, deps);
          writeResult(context, parsed.json, result, (r) => restoreDryRunSummary(r, formatPermissionChecks(r.checks)));
          if (result.plan.refusals.length > 0) {
            throw new ExternalError(`dry run: ${result.plan.refusals.length} refusal(s): ${result.plan.refusals.map(formatRefusal).join(" | ")}`, "RestoreRefused", "each refusal names the instance and the fix");
          }
          failOnMissingPermissions(result.checks, "npx regionpair iam policy restore");
          return 0;
        }
        let result: RestoreResult;
        try {
          result = await runRestore(options, deps);
        } catch (error) {
          if (error instanceof RestoreRefusedError) writeResult(context, parsed.json, error.result, restoreSummary);
          throw error;
        }
        writeResult(context, parsed.json, result, restoreSummary);
        const problems = unhealthy(result);
        if (problems.length > 0) {
          throw new ExternalError(`${problems.length} instance(s) not back healthy: ${problems.join("; ")}`, "RestoreIncomplete", "the table above says where each one stopped; a rerun launches nothing twice and continues with the fix-ups");
        }
        return 0;
      } finally {
        pair.destroy();
      }
    });
  },
};
