/**
 * `regionpair ami copy`: image instances in their Region and copy the images, encrypted, to the
 * DR Region, with an inventory of each instance in the tags. See docs/ami-copy.md.
 */
import { Command, ExternalError, parseOptions, UsageError } from "../lib/cli";
import { parseEndpointUrl, parseRegion } from "../lib/aws";
import { failOnMissingPermissions, runAwsCommand, writeResult } from "../lib/aws-command";
import { formatPermissionChecks } from "../lib/dry-run";
import { parseInstanceId } from "../lib/instance-id";
import { parseInteger, parsePositiveNumber } from "../lib/option-values";
import { copyDryRunSummary, copyResultSummary } from "./copy-report";
import { AMI_COPIES_PER_DESTINATION, AmiCopyOptions, runAmiCopy } from "./copy-images";
import { dryRunAmiCopy } from "./copy-dry-run";
import { defaultCaptureId, parseCaptureId } from "./naming";
import { parseTagSelector } from "./select-instances";

const DEFAULTS = { concurrency: 5, timeoutMinutes: 120, pollIntervalSeconds: 15 } as const;

const HELP = `Usage: regionpair ami copy --region <source> --target-region <dr> (--instance-id <id>... | --tag <key=value>...) [options]

Images each selected instance in --region (CreateImage), waits until the image is available,
copies it encrypted to --target-region (CopyImage) and waits again. Both images carry an
inventory of the instance in regionpair:* tags (id, Name, private IPs, subnet, type, platform,
ENA support, capture time). A rerun of the same capture continues and never duplicates.

Selecting instances (both may be given; an instance must then match both):
  --instance-id <id>          an instance to image; repeatable
  --tag <key=value>           instances with this tag, e.g. dr:protect=true; repeatable (all must match)

Regions and endpoints:
  --region <region>           the instances' Region
  --target-region <region>    the DR Region that receives the encrypted copies
  --endpoint-url <url>        EC2 endpoint for --region, e.g. the VPC's EC2 interface endpoint
  --target-endpoint-url <url> EC2 endpoint for --target-region (default: --endpoint-url)

Images:
  --no-reboot                 do not reboot before imaging (crash-consistent images; not advised)
  --capture-id <id>           names this capture; a rerun with the same id continues it
                              (default: today's UTC date, so one image per instance per day)
  --kms-key <key>             KMS key id, alias or ARN in --target-region for the copies
                              (default: the account's default EBS key in --target-region)
  --keep <n>                  keep the n newest images per instance in each Region; deregister
                              older ones and delete their snapshots (never the newest, never one
                              still in progress)

Running:
  --concurrency <n>           instances worked on at once (default ${DEFAULTS.concurrency}, at most ${AMI_COPIES_PER_DESTINATION})
  --timeout <minutes>         longest wait for one image to become available (default ${DEFAULTS.timeoutMinutes})
  --poll-interval <seconds>   time between DescribeImages rounds (default ${DEFAULTS.pollIntervalSeconds})
  --dry-run                   check every permission with EC2 DryRun and change nothing
  --json                      print the result as JSON on stdout; progress as JSON lines on stderr
  -h, --help                  show this help

Exit codes: 0 every instance copied; 1 an AWS error, a failed image, or a missing permission in
--dry-run (the AWS code and what to check are printed); 2 a usage error.
`;

const OPTIONS = {
  region: { type: "string" },
  "target-region": { type: "string" },
  "instance-id": { type: "string", multiple: true },
  tag: { type: "string", multiple: true },
  "endpoint-url": { type: "string" },
  "target-endpoint-url": { type: "string" },
  "no-reboot": { type: "boolean" },
  "capture-id": { type: "string" },
  "kms-key": { type: "string" },
  keep: { type: "string" },
  concurrency: { type: "string" },
  timeout: { type: "string" },
  "poll-interval": { type: "string" },
  "dry-run": { type: "boolean" },
  json: { type: "boolean" },
} as const;

const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):\d{12}:(key|alias)\/.+$/;
const KMS_KEY_ID = /^(alias\/[A-Za-z0-9/_-]+|mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** A key given as an ARN must be in the target Region: KMS keys are regional. */
export function parseKmsKey(value: string, targetRegion: string): string {
  if (value.startsWith("arn:")) {
    const arn = KMS_KEY_ARN.exec(value);
    if (!arn) throw new UsageError(`--kms-key '${value}' is not a KMS key or alias ARN`);
    if (arn[1] !== targetRegion) {
      throw new UsageError(
        `--kms-key is a key in ${arn[1]} but the copies are made in ${targetRegion}; KMS keys are regional: give a key (or a multi-Region replica) in ${targetRegion}`,
      );
    }
    return value;
  }
  if (!KMS_KEY_ID.test(value)) throw new UsageError(`--kms-key '${value}' must be a key id, key ARN, alias/<name> or alias ARN`);
  return value;
}

export interface ParsedAmiCopy {
  readonly options: AmiCopyOptions;
  readonly endpoints: Record<string, string | undefined>;
  readonly dryRun: boolean;
  readonly json: boolean;
}

/** Validates the command line; undefined when --help was asked for. */
export function parseAmiCopyArguments(argv: readonly string[], now: Date = new Date()): ParsedAmiCopy | undefined {
  const parsed = parseOptions(argv, OPTIONS);
  if (!parsed) return undefined;
  const v = parsed.values;
  const sourceRegion = parseRegion("region", v.region);
  const targetRegion = parseRegion("target-region", v["target-region"]);
  if (sourceRegion === targetRegion) throw new UsageError(`--target-region must differ from --region (both are ${sourceRegion})`);
  const instanceIds = [...new Set((v["instance-id"] ?? []).map(parseInstanceId))];
  const tags = (v.tag ?? []).map(parseTagSelector);
  if (instanceIds.length === 0 && tags.length === 0) throw new UsageError("choose instances with --instance-id or --tag");
  const endpoint = parseEndpointUrl("endpoint-url", v["endpoint-url"]);
  const targetEndpoint = parseEndpointUrl("target-endpoint-url", v["target-endpoint-url"]) ?? endpoint;
  return {
    options: {
      sourceRegion,
      targetRegion,
      selection: { instanceIds, tags },
      reboot: !v["no-reboot"],
      captureId: v["capture-id"] !== undefined ? parseCaptureId(v["capture-id"]) : defaultCaptureId(now),
      kmsKeyId: v["kms-key"] !== undefined ? parseKmsKey(v["kms-key"], targetRegion) : undefined,
      keep: v.keep !== undefined ? parseInteger("keep", v.keep, { min: 1, max: 10_000 }) : undefined,
      concurrency: v.concurrency !== undefined ? parseInteger("concurrency", v.concurrency, { min: 1, max: AMI_COPIES_PER_DESTINATION }) : DEFAULTS.concurrency,
      timeoutMs: (v.timeout !== undefined ? parsePositiveNumber("timeout", v.timeout, { min: 0.01, max: 24 * 60 }) : DEFAULTS.timeoutMinutes) * 60_000,
      pollIntervalMs:
        (v["poll-interval"] !== undefined ? parsePositiveNumber("poll-interval", v["poll-interval"], { min: 0.05, max: 600 }) : DEFAULTS.pollIntervalSeconds) * 1000,
    },
    endpoints: { [sourceRegion]: endpoint, [targetRegion]: targetEndpoint },
    dryRun: v["dry-run"] === true,
    json: v.json === true,
  };
}

export const command: Command = {
  summary: "image instances and copy the images, encrypted, to the DR region",
  help: HELP,
  async run(argv) {
    const parsed = parseAmiCopyArguments(argv);
    if (!parsed) {
      process.stdout.write(HELP);
      return 0;
    }
    return runAwsCommand({ regions: [parsed.options.sourceRegion, parsed.options.targetRegion], endpoints: parsed.endpoints, json: parsed.json }, async (context) => {
      if (parsed.dryRun) {
        const result = await dryRunAmiCopy(parsed.options, context);
        writeResult(context, parsed.json, result, (r) => copyDryRunSummary(r, formatPermissionChecks(r.checks)));
        failOnMissingPermissions(result.checks, "npx regionpair iam policy ami-copy");
        return 0;
      }
      const result = await runAmiCopy(parsed.options, context);
      writeResult(context, parsed.json, result, copyResultSummary);
      const failed = result.instances.filter((i) => i.status === "failed");
      if (failed.length > 0) {
        const first = failed[0].error;
        throw new ExternalError(
          `${failed.length} of ${result.instances.length} instance(s) not copied: ${failed.map((i) => `${i.instanceId} (${i.error?.code ?? "failed"})`).join(", ")}`,
          first?.code,
          first?.hint,
        );
      }
      if (result.retentionErrors.length > 0) {
        const first = result.retentionErrors[0];
        throw new ExternalError(`copies done, but ${result.retentionErrors.length} old image(s) could not be removed: ${first.message}`, first.code, first.hint);
      }
      return 0;
    });
  },
};
