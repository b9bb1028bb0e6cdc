/**
 * `regionpair ena enable`: turn on ENA support for an instance and optionally move it to another
 * (Nitro) instance type. See docs/ena-enable.md.
 */
import { Command, parseOptions, UsageError } from "../lib/cli";
import { parseEndpointUrl, parseRegion } from "../lib/aws";
import { failOnMissingPermissions, runAwsCommand, writeResult } from "../lib/aws-command";
import { formatPermissionChecks } from "../lib/dry-run";
import { parseInstanceId } from "../lib/instance-id";
import { parsePositiveNumber } from "../lib/option-values";
import { dryRunEnaEnable, EnaDryRunResult, EnaEnableOptions, EnaEnableResult, runEnaEnable } from "./enable-ena";
import { describeSnapshot } from "./instance-snapshot";

const DEFAULT_TIMEOUT_MINUTES = 15;

const HELP = `Usage: regionpair ena enable --region <region> --instance-id <id> [--type <instance-type>] [--allow-stop] [options]

Reports the instance's ENA support and type, then turns ENA support on and, with --type, moves
it to another instance type (e.g. m4.xlarge to m5.xlarge). Both changes need a stopped instance:
with --allow-stop a running instance is stopped, changed and started again; without it a running
instance is refused. The result is verified by reading it back, and a restarted instance must
pass both status checks (system and instance). ENA already on and the type already as asked:
nothing is done (exit 0).

The ENA driver (and for Nitro types such as m5 the NVMe driver) must be installed in the
operating system first. Without ENA the instance has no network (unreachable, fails its instance
status check: the command then says how to go back); without NVMe on a Nitro type it does not
boot.

Options:
  --region <region>        the instance's Region
  --instance-id <id>       the instance
  --type <instance-type>   the new instance type (default: keep the current one); it must exist
                           and be offered in the instance's zone
  --allow-stop             stop a running instance for the change and start it again afterwards
  --endpoint-url <url>     EC2 endpoint, e.g. the VPC's EC2 interface endpoint
  --timeout <minutes>      longest wait for the instance to stop, to start, and to pass its status
                           checks (default ${DEFAULT_TIMEOUT_MINUTES})
  --dry-run                check every permission with EC2 DryRun and change nothing
  --json                   print the result as JSON on stdout; progress as JSON lines on stderr
  -h, --help               show this help

Exit codes: 0 done or nothing to do; 1 an AWS error, a failed verification, a failed status check
after the start, or a missing permission in --dry-run (the AWS code and what to check are
printed); 2 a usage error, including a running instance without --allow-stop and an instance type
that does not exist.
`;

const OPTIONS = {
  region: { type: "string" },
  "instance-id": { type: "string" },
  type: { type: "string" },
  "allow-stop": { type: "boolean" },
  "endpoint-url": { type: "string" },
  timeout: { type: "string" },
  "dry-run": { type: "boolean" },
  json: { type: "boolean" },
} as const;

const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;

export interface ParsedEnaEnable {
  readonly options: EnaEnableOptions;
  readonly endpointUrl?: string;
  readonly dryRun: boolean;
  readonly json: boolean;
}

export function parseEnaEnableArguments(argv: readonly string[]): ParsedEnaEnable | undefined {
  const parsed = parseOptions(argv, OPTIONS);
  if (!parsed) return undefined;
  const v = parsed.values;
  const region = parseRegion("region", v.region);
  if (!v["instance-id"]) throw new UsageError("--instance-id is required");
  const instanceId = parseInstanceId(v["instance-id"]);
  if (v.type !== undefined && !INSTANCE_TYPE.test(v.type)) throw new UsageError(`--type '${v.type}' is not an instance type name (for example m5.xlarge)`);
  return {
    options: {
      region,
      instanceId,
      instanceType: v.type,
      allowStop: v["allow-stop"] === true,
      timeoutSeconds: (v.timeout !== undefined ? parsePositiveNumber("timeout", v.timeout, { min: 0.1, max: 240 }) : DEFAULT_TIMEOUT_MINUTES) * 60,
    },
    endpointUrl: parseEndpointUrl("endpoint-url", v["endpoint-url"]),
    dryRun: v["dry-run"] === true,
    json: v.json === true,
  };
}

function summary(result: EnaEnableResult): string {
  if (result.noop) return `${result.instanceId}: nothing to do: ${describeSnapshot(result.before)}\n`;
  const checks = result.statusChecks ? "; status checks ok" : "";
  return `${result.instanceId}: ${describeSnapshot(result.before)} → ${describeSnapshot(result.after)}${checks}\n`;
}

function dryRunSummary(result: EnaDryRunResult): string {
  const lines = [`dry run: ${result.instanceId} in ${result.region} is ${describeSnapshot(result.before)}`];
  if (result.change.noop) lines.push("  nothing to do: no change, no permission to check");
  lines.push(...formatPermissionChecks(result.checks), ...result.change.notes.map((note) => `  note: ${note}`));
  return `${lines.join("\n")}\n`;
}

export const command: Command = {
  summary: "enable ENA on an instance and optionally move it to a Nitro type",
  help: HELP,
  async run(argv) {
    const parsed = parseEnaEnableArguments(argv);
    if (!parsed) {
      process.stdout.write(HELP);
      return 0;
    }
    return runAwsCommand({ regions: [parsed.options.region], endpoints: { [parsed.options.region]: parsed.endpointUrl }, json: parsed.json }, async (context) => {
      if (parsed.dryRun) {
        const result = await dryRunEnaEnable(parsed.options, context);
        writeResult(context, parsed.json, result, dryRunSummary);
        failOnMissingPermissions(result.checks, "npx regionpair iam policy ena-enable");
        return 0;
      }
      writeResult(context, parsed.json, await runEnaEnable(parsed.options, context), summary);
      return 0;
    });
  },
};
