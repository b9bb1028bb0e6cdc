/**
 * `npm run plan`: synthesize and plan every stack (read-only), save each plan and its
 * `terraform show -json`, and write one Markdown summary for a pull-request comment. Exit codes
 * follow `terraform plan -detailed-exitcode`: 0 no changes, 2 changes, 1 error.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { Topology, loadTopology } from "../config/topology";
import { EMULATOR_URL_ENV, deploymentTarget } from "../config/target";
import { synthesize } from "../stacks/app";
import { ALL_STACKS, DEPLOY_STAGES } from "../stacks/stack-names";
import { Command, EXIT, ExternalError, UsageError, parseOptions } from "./lib/cli";
import { TerraformWorkspace } from "./lib/terraform";
import { EmulatorDeployment } from "./lib/emulator-deployment";
import { PlanJson } from "./plan/plan-json";
import { GITHUB_COMMENT_LIMIT, StackPlan, renderSummary } from "./plan/summary";

const HELP = `Usage: npm run plan [-- options]
       npx regionpair plan [options]

Synthesizes the app and runs 'terraform plan' for every stack (read-only), saves each plan and
its 'terraform show -json' under the output folder, and writes summary.md: destructive changes
first, then every transit gateway route whose target changes and the active region after apply,
then per-stack counts and resources. Stacks whose plan fails are listed with their error.

Where it plans:
  REGIONPAIR_EMULATOR_URL set   that emulator
  AWS credentials found         AWS (the usual credential chain: env, profile, SSO, role)
  neither, or --emulator        a throwaway local emulator, like 'npm start': each stage is
                                applied there so the next stage's lookups resolve, and the
                                summary shows what a first deploy would create

Options:
  --stack <name>       plan only this stack (repeatable): ${ALL_STACKS.join(", ")}
  --var <name=value>   set a Terraform variable, e.g. --var active_region=eu-central-1
  --out-dir <dir>      where plans and summary.md go (default: plans)
  --emulator           plan against a throwaway local emulator even with credentials
  --max-length <n>     longest summary in characters (default 65536, GitHub's comment limit;
                       lower it when a pipeline adds text around the summary)
  --full-plans <text>  where reviewers find the full plans, named in the shortening note
                       (default: <out-dir>/<stack>.json)
  -h, --help           show this help

Exit status: 0 no changes, 2 changes (or stacks that can only be planned after others apply),
1 a plan failed (the summary is still written).
`;

async function hasAwsCredentials(): Promise<boolean> {
  try {
    // Short IMDS timeout: on a laptop without credentials this should take a second, not ten.
    await defaultProvider({ timeout: 1_000, maxRetries: 0 })();
    return true;
  } catch {
    return false;
  }
}

function parseVars(values: readonly string[] | undefined): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const value of values ?? []) {
    const index = value.indexOf("=");
    if (index <= 0) throw new UsageError(`--var needs name=value, got '${value}'`);
    vars[value.slice(0, index)] = value.slice(index + 1);
  }
  return vars;
}

export interface PlanRun {
  readonly topology: Topology;
  readonly workspace: TerraformWorkspace;
  readonly stacks: readonly string[];
  readonly vars: Record<string, string>;
  readonly outDir: string;
  readonly log: (line: string) => void;
  /** Apply each planned stage before planning the next (only ever into a throwaway emulator). */
  readonly applyBetweenStages?: (stacks: readonly string[]) => Promise<void>;
}

/** Plans the stacks stage by stage; a stack whose earlier stages have changes is blocked, not failed. */
export async function planStacks(run: PlanRun): Promise<StackPlan[]> {
  const results: StackPlan[] = [];
  const changed: string[] = [];
  for (const stage of DEPLOY_STAGES) {
    const selected = stage.filter((stack) => run.stacks.includes(stack));
    const planned = await Promise.all(
      selected.map(async (stack): Promise<StackPlan> => {
        const planFile = path.join(run.outDir, `${stack}.tfplan`);
        try {
          run.log(`${stack}: planning`);
          await run.workspace.ensureInit(stack);
          const plan = await run.workspace.plan(stack, { out: planFile, vars: run.vars });
          const json = (await run.workspace.showJson(stack, planFile)) as PlanJson;
          writeFileSync(path.join(run.outDir, `${stack}.json`), JSON.stringify(json));
          if (plan.changes) changed.push(stack);
          return { stack, status: "planned", plan: json };
        } catch (error) {
          if (!(error instanceof ExternalError)) throw error;
          const message = error.message.replace(/^terraform \w+ failed in stack \S+ \(exit \d+\):\n/, "");
          // A lookup cannot find what an earlier stage has planned but not yet created.
          const lookupFailed = /no matching|query returned no results|empty result/i.test(message);
          return changed.length && lookupFailed ? { stack, status: "blocked", error: message, waitingFor: [...changed] } : { stack, status: "failed", error: message };
        }
      }),
    );
    results.push(...planned);
    const ok = planned.filter((p) => p.status === "planned").map((p) => p.stack);
    if (run.applyBetweenStages && ok.length) await run.applyBetweenStages(ok);
  }
  return results;
}


async function run(argv: readonly string[]): Promise<number> {
  const parsed = parseOptions(argv, {
    stack: { type: "string", multiple: true },
    var: { type: "string", multiple: true },
    "out-dir": { type: "string" },
    emulator: { type: "boolean" },
    "max-length": { type: "string" },
    "full-plans": { type: "string" },
  });
  if (!parsed) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const unknown = (parsed.values.stack ?? []).filter((stack) => !ALL_STACKS.includes(stack));
  if (unknown.length) throw new UsageError(`unknown stack '${unknown[0]}'; stacks: ${ALL_STACKS.join(", ")}`);
  const stacks = parsed.values.stack?.length ? ALL_STACKS.filter((s) => parsed.values.stack!.includes(s)) : [...ALL_STACKS];
  const vars = parseVars(parsed.values.var);
  const maxLength = Number(parsed.values["max-length"] ?? GITHUB_COMMENT_LIMIT);
  if (!Number.isInteger(maxLength) || maxLength < 1_000) throw new UsageError(`--max-length must be a whole number of at least 1000, not '${parsed.values["max-length"]}'`);
  const outDir = path.resolve(parsed.values["out-dir"] ?? "plans");
  mkdirSync(outDir, { recursive: true });
  const topology = loadTopology();
  const log = (line: string) => process.stderr.write(`  ${line}\n`);

  const useOwnEmulator = !process.env[EMULATOR_URL_ENV] && (parsed.values.emulator || !(await hasAwsCredentials()));
  let deployment: EmulatorDeployment | undefined;
  let targetText: string;
  let workspace: TerraformWorkspace;
  try {
    if (useOwnEmulator) {
      process.stderr.write("regionpair plan: no AWS credentials (or --emulator): planning against a throwaway local emulator\n");
      deployment = await EmulatorDeployment.start({ topology });
      workspace = deployment.workspace;
      targetText = "a throwaway local emulator (no AWS credentials were found): this is what a first deploy would create";
    } else {
      const target = deploymentTarget();
      const outdir = process.env.CDKTF_OUTDIR || "cdktf.out";
      synthesize({ topology, target, outdir });
      workspace = new TerraformWorkspace(outdir);
      const emulator = target.emulatorEndpoint(topology.primary.region);
      targetText = emulator ? `the emulator at ${emulator}` : `AWS (${topology.primary.region} and ${topology.secondary.region})`;
    }
    process.stderr.write(`regionpair plan: planning ${stacks.length} stack(s) into ${outDir}\n`);
    const plans = await planStacks({
      topology,
      workspace,
      stacks,
      vars,
      outDir,
      log,
      applyBetweenStages: deployment ? (ready) => deployment!.apply(ready, { vars }) : undefined,
    });
    const { markdown, exitCode } = renderSummary(plans, {
      target: targetText,
      maxLength,
      fullPlansAt: parsed.values["full-plans"] ?? `${path.relative(process.cwd(), outDir) || "."}/<stack>.json`,
    });
    const summaryFile = path.join(outDir, "summary.md");
    writeFileSync(summaryFile, markdown);
    process.stdout.write(markdown);
    process.stderr.write(`regionpair plan: summary written to ${summaryFile} (exit ${exitCode}: ${["no changes", "a plan failed", "changes"][exitCode]})\n`);
    return exitCode;
  } finally {
    await deployment?.stop();
  }
}

export const command: Command = { summary: "plan and summarize", help: HELP, run };
