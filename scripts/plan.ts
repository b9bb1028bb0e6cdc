/**
 * `npm run plan`: synthesize and plan every stack (read-only), save each plan and its
 * `terraform show -json`, and write one Markdown summary for a pull-request comment. Exit codes
 * follow `terraform plan -detailed-exitcode`: 0 no changes, 2 changes, 1 error. Progress per
 * stack and terraform phase goes to stderr; stdout carries only the summary.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { Topology, loadTopology } from "../config/topology";
import { deploymentTarget } from "../config/target";
import { synthesize } from "../stacks/app";
import { ALL_STACKS, DEPLOY_STAGES } from "../stacks/stack-names";
import { Command, EXIT, ExternalError, UsageError, parseOptions } from "./lib/cli";
import { Progress, chooseOutputMode, createProgress } from "./lib/progress";
import { TerraformWorkspace } from "./lib/terraform";
import { EmulatorDeployment } from "./lib/emulator-deployment";
import { PlanJson, resourceChanges } from "./plan/plan-json";
import { choosePlanTarget, noCredentialsError } from "./plan/plan-target";
import { GITHUB_COMMENT_LIMIT, StackPlan, countChanges, renderSummary } from "./plan/summary";

const HELP = `Usage: npm run plan [-- options]
       npx regionpair plan [options]

Synthesizes the app and runs 'terraform plan' for every stack (read-only), saves each plan and
its 'terraform show -json' under the output folder, and writes summary.md: destructive changes
first, then every transit gateway route created, deleted or moved (region, table, CIDR: from →
to; a fence reads "blackhole (fenced)") and the active region after apply, then per-stack
counts and resources. Stacks whose plan fails are listed with their error.

Where it plans:
  AWS (the default)             with the AWS SDK's credentials: environment, profile, SSO, web
                                identity (OIDC), container or instance role. Without any it
                                fails (exit 1) and lists what it tried; it never falls back to
                                an emulator
  REGIONPAIR_EMULATOR_URL set   that emulator
  --emulator                    a throwaway local emulator, like 'npm start': each stage is
                                applied there so the next stage's lookups resolve, and the
                                summary shows what a first deploy would create

Progress (each stack's terraform init, plan and show, with the time spent) goes to stderr,
redrawn on a terminal and one line per step in CI logs and pipes; stdout is the summary.

Options:
  --stack <name>       plan only this stack (repeatable): ${ALL_STACKS.join(", ")}
  --var <name=value>   set a Terraform variable, e.g. --var active_region=eu-central-1
  --out-dir <dir>      where plans and summary.md go (default: plans)
  --emulator           plan against a throwaway local emulator instead of AWS
  --max-length <n>     longest summary in characters (default 65536, GitHub's comment limit;
                       lower it when a pipeline adds text around the summary)
  --full-plans <text>  where reviewers find the full plans, named in the shortening note
                       (default: <out-dir>/<stack>.json)
  -h, --help           show this help

Exit status: 0 no changes, 2 changes (or stacks that can only be planned after others apply),
1 a plan failed (the summary is still written), no AWS credentials, or an invalid topology
(then nothing is planned and no output folder is made).
`;

/** Throws NoCredentials (exit 1, the sources tried) when the SDK's default chain finds none. */
async function requireAwsCredentials(env: NodeJS.ProcessEnv): Promise<void> {
  try {
    // Short IMDS timeout: on a laptop without credentials this should take a second, not ten.
    await defaultProvider({ timeout: 1_000, maxRetries: 0 })();
  } catch (error) {
    throw noCredentialsError(env, (error as Error).message || String(error));
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

/** What planStacks needs of terraform. */
export type PlanWorkspace = Pick<TerraformWorkspace, "isInitialized" | "init" | "plan" | "showJson">;

export interface PlanRun {
  readonly topology: Topology;
  readonly workspace: PlanWorkspace;
  readonly stacks: readonly string[];
  readonly vars: Record<string, string>;
  readonly outDir: string;
  /** One item per stack: queued, initializing, planning, showing, then done, failed or skipped. */
  readonly progress: Progress;
  /** Apply each planned stage before planning the next (only ever into a throwaway emulator). */
  readonly applyBetweenStages?: (stacks: readonly string[]) => Promise<void>;
}

function describeChanges(plan: PlanJson): string {
  const counts = countChanges(resourceChanges(plan));
  const total = counts.add + counts.change + counts.replace + counts.destroy;
  return total === 0 ? "no changes" : `${counts.add} to add, ${counts.change} to change, ${counts.replace} to replace, ${counts.destroy} to destroy`;
}

/** Plans the stacks stage by stage; a stack whose earlier stages have changes is blocked, not failed. */
export async function planStacks(run: PlanRun): Promise<StackPlan[]> {
  const { progress } = run;
  const results: StackPlan[] = [];
  const changed: string[] = [];
  for (const stack of run.stacks) progress.item(stack, "queued", "queued");
  for (const stage of DEPLOY_STAGES) {
    const selected = stage.filter((stack) => run.stacks.includes(stack));
    const planned = await Promise.all(
      selected.map(async (stack): Promise<StackPlan> => {
        const planFile = path.join(run.outDir, `${stack}.tfplan`);
        try {
          if (!run.workspace.isInitialized(stack)) {
            progress.item(stack, "init", "terraform init");
            await run.workspace.init(stack);
          }
          progress.item(stack, "plan", "terraform plan");
          const plan = await run.workspace.plan(stack, { out: planFile, vars: run.vars });
          progress.item(stack, "show", "terraform show -json");
          const json = (await run.workspace.showJson(stack, planFile)) as PlanJson;
          writeFileSync(path.join(run.outDir, `${stack}.json`), JSON.stringify(json));
          if (plan.changes) changed.push(stack);
          progress.item(stack, "done", describeChanges(json));
          return { stack, status: "planned", plan: json };
        } catch (error) {
          if (!(error instanceof ExternalError)) throw error;
          const message = error.message.replace(/^terraform \w+ failed in stack \S+ \(exit \d+\):\n/, "");
          // A lookup cannot find what an earlier stage has planned but not yet created.
          const lookupFailed = /no matching|query returned no results|empty result/i.test(message);
          if (changed.length && lookupFailed) {
            progress.item(stack, "skipped", `blocked: can be planned once ${changed.join(", ")} are applied`);
            return { stack, status: "blocked", error: message, waitingFor: [...changed] };
          }
          progress.item(stack, "failed", `failed: ${message.split("\n").find((line) => line.trim()) ?? error.code}`);
          return { stack, status: "failed", error: message };
        }
      }),
    );
    results.push(...planned);
    const ok = planned.filter((p): p is Extract<StackPlan, { status: "planned" }> => p.status === "planned");
    if (run.applyBetweenStages && ok.length) {
      for (const p of ok) progress.item(p.stack, "apply", "terraform apply (to the throwaway emulator, for the next stage's lookups)");
      await run.applyBetweenStages(ok.map((p) => p.stack));
      for (const p of ok) progress.item(p.stack, "done", `${describeChanges(p.plan)} (applied to the throwaway emulator)`);
    }
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
  // Validated before anything else: an invalid topology plans nothing and leaves nothing behind.
  const topology = loadTopology();
  const target = choosePlanTarget(parsed.values.emulator === true, process.env);
  if (target.kind === "aws") await requireAwsCredentials(process.env);

  const progress = createProgress(chooseOutputMode({ json: false }));
  let deployment: EmulatorDeployment | undefined;
  try {
    let workspace: TerraformWorkspace;
    let targetText: string;
    if (target.kind === "own-emulator") {
      progress.note("regionpair plan: starting a throwaway local emulator (--emulator)");
      deployment = await EmulatorDeployment.start({ topology });
      workspace = deployment.workspace;
      targetText = "a throwaway local emulator (--emulator): this is what a first deploy would create";
    } else {
      const outdir = process.env.CDKTF_OUTDIR || "cdktf.out";
      synthesize({ topology, target: deploymentTarget(), outdir });
      workspace = new TerraformWorkspace(outdir);
      targetText = target.kind === "emulator" ? `the emulator at ${target.url}` : `AWS (${topology.primary.region} and ${topology.secondary.region})`;
    }
    mkdirSync(outDir, { recursive: true });
    progress.note(`regionpair plan: planning ${stacks.length} stack(s) into ${outDir}`);
    const plans = await planStacks({
      topology,
      workspace,
      stacks,
      vars,
      outDir,
      progress,
      applyBetweenStages: deployment ? (ready) => deployment!.apply(ready, { vars }) : undefined,
    });
    const { markdown, exitCode } = renderSummary(plans, {
      target: targetText,
      maxLength,
      fullPlansAt: parsed.values["full-plans"] ?? `${path.relative(process.cwd(), outDir) || "."}/<stack>.json`,
    });
    const summaryFile = path.join(outDir, "summary.md");
    writeFileSync(summaryFile, markdown);
    progress.close();
    process.stdout.write(markdown);
    process.stderr.write(`regionpair plan: summary written to ${summaryFile} (exit ${exitCode}: ${["no changes", "a plan failed", "changes"][exitCode]})\n`);
    return exitCode;
  } finally {
    progress.close();
    await deployment?.stop();
  }
}

export const command: Command = { summary: "plan and summarize", help: HELP, run };
