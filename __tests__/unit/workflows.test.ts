/**
 * The pipeline files in .github/workflows: each is valid YAML, GitHub's own workflow parser
 * (@actions/workflow-parser) accepts it, and together they do what the project intends. What a
 * job does is checked by running it on paper with GitHub's parser and expression evaluator
 * (__tests__/support/workflow-runner.mjs): which steps run, in which order, when an earlier step
 * fails, on a GitHub-hosted or an air-gapped runner, for a fork's pull request, a dry run or a
 * cancelled run. Inputs and event data reach shell scripts only through quoted environment
 * variables. The shell steps that carry the intent are run under bash with stubbed commands, as
 * the runner would; pinned actions, OIDC instead of static keys, one deploy lock and the token's
 * permissions are read from the files.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync, chmodSync, symlinkSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { awsProviderVersion, offlineCliConfig } from "../../scripts/lib/terraform";

const ROOT = path.resolve(__dirname, "..", "..");
const WORKFLOW_DIR = path.join(ROOT, ".github", "workflows");

// ---------------------------------------------------------------------------------------------
// The workflow model: only the fields these tests read.

type Scalar = string | number | boolean;

interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: Scalar;
  readonly with?: Readonly<Record<string, Scalar>>;
  readonly env?: Readonly<Record<string, Scalar>>;
}

interface Concurrency {
  readonly group?: string;
  readonly "cancel-in-progress"?: Scalar;
}

type Permissions = string | Readonly<Record<string, string>>;

interface Job {
  readonly name?: string;
  readonly if?: Scalar;
  readonly environment?: string | { readonly name: string };
  readonly concurrency?: string | Concurrency;
  readonly permissions?: Permissions;
  readonly env?: Readonly<Record<string, Scalar>>;
  readonly steps?: readonly Step[];
  readonly uses?: string;
}

interface Workflow {
  readonly name?: string;
  readonly on: Readonly<Record<string, unknown>>;
  readonly permissions?: Permissions;
  readonly concurrency?: string | Concurrency;
  readonly env?: Readonly<Record<string, Scalar>>;
  readonly jobs: Readonly<Record<string, Job>>;
}

interface WorkflowFile {
  readonly file: string;
  readonly text: string;
  readonly workflow: Workflow;
  readonly yamlProblems: readonly string[];
}

function loadWorkflows(): WorkflowFile[] {
  const files = readdirSync(WORKFLOW_DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
  return files.map((file) => {
    const text = readFileSync(path.join(WORKFLOW_DIR, file), "utf8");
    const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
    return {
      file,
      text,
      workflow: document.toJS() as Workflow,
      yamlProblems: [...document.errors, ...document.warnings].map((e) => e.message),
    };
  });
}

interface JobRef {
  readonly file: string;
  readonly id: string;
  readonly job: Job;
  readonly workflow: Workflow;
}

function allJobs(workflows: readonly WorkflowFile[]): JobRef[] {
  return workflows.flatMap(({ file, workflow }) => Object.entries(workflow.jobs ?? {}).map(([id, job]) => ({ file, id, job, workflow })));
}

function jobsRunning(workflows: readonly WorkflowFile[], pattern: RegExp): JobRef[] {
  return allJobs(workflows).filter(({ job }) => (job.steps ?? []).some((s) => pattern.test(s.run ?? "")));
}

function stepRunning(job: Job, pattern: RegExp): Step {
  const step = (job.steps ?? []).find((s) => pattern.test(s.run ?? ""));
  if (!step) throw new Error(`no step runs ${pattern}`);
  return step;
}

function stepUsing(job: Job, action: string): Step {
  const step = (job.steps ?? []).find((s) => (s.uses ?? "").split("@")[0] === action);
  if (!step) throw new Error(`no step uses ${action}`);
  return step;
}

function environmentName(job: Job): string | undefined {
  return typeof job.environment === "string" ? job.environment : job.environment?.name;
}

/** Job-level concurrency wins over the workflow's. */
function concurrencyOf(ref: JobRef): Concurrency | undefined {
  const setting = ref.job.concurrency ?? ref.workflow.concurrency;
  return typeof setting === "string" ? { group: setting } : setting;
}

function permissionsOf(ref: JobRef): Permissions | undefined {
  return ref.job.permissions ?? ref.workflow.permissions;
}

function grants(permissions: Permissions | undefined, scope: string): string | undefined {
  if (permissions === undefined) return undefined;
  if (typeof permissions === "string") return permissions === "write-all" ? "write" : permissions === "read-all" ? "read" : undefined;
  return permissions[scope];
}

function triggers(workflow: Workflow): Readonly<Record<string, unknown>> {
  return workflow.on ?? {};
}

// ---------------------------------------------------------------------------------------------
// GitHub's workflow parser and expression evaluator, in one child process for every file and
// scenario (see __tests__/support/workflow-runner.mjs for why a child process).

interface ParserDocument {
  readonly name: string;
  readonly content: string;
}

interface ModelStep {
  /** The step's id, else its name, else the action it uses (no @sha), else its first line. */
  readonly label: string;
  readonly if?: string;
  readonly uses?: string;
  /** Literal script text, or the expression the script is (which must never happen). */
  readonly run?: string | { readonly expression: string };
  readonly env: Readonly<Record<string, string>>;
}

interface ModelJob {
  readonly id: string;
  readonly if?: string;
  readonly env: Readonly<Record<string, string>>;
  readonly steps: readonly ModelStep[];
}

interface Scenario {
  readonly name: string;
  readonly file: string;
  readonly job: string;
  readonly contexts?: Readonly<Record<string, unknown>>;
  /** Labels of steps that fail when they run. */
  readonly failing?: readonly string[];
  readonly cancelled?: boolean;
}

interface GitHubTooling {
  readonly errors: Record<string, string[]>;
  readonly workflows: Record<string, { readonly env: Readonly<Record<string, string>>; readonly jobs: Record<string, ModelJob> }>;
  readonly runs: Record<string, { readonly jobRuns: boolean; readonly ran: readonly string[] } | { readonly error: string }>;
}

function runGitHubTooling(documents: readonly ParserDocument[], scenarios: readonly Scenario[]): GitHubTooling {
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "__tests__", "support", "workflow-runner.mjs")], {
    cwd: ROOT,
    input: JSON.stringify({ documents, scenarios }),
    encoding: "utf8",
    timeout: 30_000,
  });
  if (result.status !== 0) {
    throw new Error(`@actions/workflow-parser did not run (exit ${result.status}): ${result.error?.message ?? ""}\n${result.stderr}`);
  }
  return JSON.parse(result.stdout) as GitHubTooling;
}

/**
 * `$NAME` / `${NAME}` uses of `names` in a bash script that are not inside double quotes, where
 * the shell would split and glob the value. Single-quoted text is not expanded; a `$( ... )`
 * inside double quotes starts its own quoting.
 */
function unquotedExpansions(script: string, names: ReadonlySet<string>): string[] {
  const found: string[] = [];
  const contexts: Array<"plain" | "double" | "substitution"> = ["plain"];
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    const context = contexts[contexts.length - 1];
    if (c === "\\") {
      i += 1;
      continue;
    }
    if (context !== "double" && c === "'") {
      const close = script.indexOf("'", i + 1);
      i = close === -1 ? script.length : close;
      continue;
    }
    if (context !== "double" && c === "#" && (i === 0 || /\s/.test(script[i - 1]))) {
      const newline = script.indexOf("\n", i);
      i = newline === -1 ? script.length : newline;
      continue;
    }
    if (c === '"') {
      if (context === "double") contexts.pop();
      else contexts.push("double");
      continue;
    }
    if (c === "$" && script[i + 1] === "(") {
      contexts.push("substitution");
      i += 1;
      continue;
    }
    if (c === ")" && context === "substitution") {
      contexts.pop();
      continue;
    }
    if (c === "$") {
      const match = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))/.exec(script.slice(i));
      const name = match?.[1] ?? match?.[2];
      if (name && names.has(name) && context !== "double") found.push(name);
    }
  }
  return found;
}

/** Expressions whose values come from whoever triggers the run: inputs, event data, step outputs derived from them. */
const UNTRUSTED = /\b(inputs\.|github\.event\.|github\.head_ref\b|steps\.[\w-]+\.outputs\.)/;

// ---------------------------------------------------------------------------------------------
// Running a step's `run:` script the way a GitHub runner does, with stubbed commands.

interface ScriptRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Lines the script wrote to $GITHUB_OUTPUT. */
  readonly outputs: string;
  /** Arguments each stubbed command was called with, one line per call. */
  readonly calls: string;
  readonly dir: string;
}

const scratchDirs: string[] = [];
afterAll(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs `script` with GitHub's default shell (`bash --noprofile --norc -eo pipefail`) in a scratch
 * folder. Each stub is a shell body for a command of that name put first on PATH; stubs append
 * their arguments to $STUB_CALLS.
 */
function runStep(
  script: string,
  options: { env?: NodeJS.ProcessEnv; stubs?: Record<string, string>; files?: Record<string, string>; checkout?: readonly string[] } = {},
): ScriptRun {
  const dir = mkdtempSync(path.join(os.tmpdir(), "regionpair-workflow-"));
  scratchDirs.push(dir);
  const bin = path.join(dir, "bin");
  const work = path.join(dir, "work");
  const temp = path.join(dir, "runner-temp");
  for (const folder of [bin, work, temp]) mkdirSync(folder);
  for (const [name, body] of Object.entries(options.stubs ?? {})) {
    const file = path.join(bin, name);
    writeFileSync(file, `#!/usr/bin/env bash\necho "${name} $*" >> "$STUB_CALLS"\n${body}\n`);
    chmodSync(file, 0o755);
  }
  for (const [name, content] of Object.entries(options.files ?? {})) writeFileSync(path.join(work, name), content);
  // Folders of the repository the step runs from the checkout (e.g. bin/ for `node bin/regionpair.js`).
  for (const folder of options.checkout ?? []) symlinkSync(path.join(ROOT, folder), path.join(work, folder));
  const scriptFile = path.join(dir, "step.sh");
  writeFileSync(scriptFile, script);
  const env: NodeJS.ProcessEnv = {
    PATH: `${bin}:${process.env.PATH}`,
    HOME: dir,
    GITHUB_OUTPUT: path.join(dir, "github-output"),
    GITHUB_STEP_SUMMARY: path.join(dir, "step-summary"),
    GITHUB_ENV: path.join(dir, "github-env"),
    RUNNER_TEMP: temp,
    STUB_CALLS: path.join(dir, "calls"),
    ...options.env,
  };
  const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", scriptFile], { cwd: work, env, encoding: "utf8", timeout: 20_000 });
  const read = (file: string) => (existsSync(file) ? readFileSync(file, "utf8") : "");
  return {
    code: result.status ?? -1,
    stdout: result.stdout,
    stderr: result.stderr,
    outputs: read(env.GITHUB_OUTPUT!),
    calls: read(env.STUB_CALLS!),
    dir,
  };
}

/** Runs an actions/github-script body as the action does, with a recording stand-in client. */
async function runCommentScript(
  script: string,
  options: { summary?: string; exitCode: string; comments: ReadonlyArray<{ id: number; user: { type: string; login: string }; body: string }> },
): Promise<{ calls: Array<{ method: string; args: Record<string, unknown> }> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "regionpair-comment-"));
  scratchDirs.push(dir);
  if (options.summary !== undefined) writeFileSync(path.join(dir, "summary.md"), options.summary);
  const calls: Array<{ method: string; args: Record<string, unknown> }> = [];
  const record = (method: string) => async (args: Record<string, unknown>) => {
    calls.push({ method, args });
    return { data: { html_url: `https://github.example/comment/${calls.length}` } };
  };
  const listComments = record("listComments");
  const github = {
    rest: { issues: { listComments, createComment: record("createComment"), updateComment: record("updateComment") } },
    paginate: async (method: unknown, args: Record<string, unknown>) => {
      if (method !== listComments) throw new Error("paginate called with another method");
      calls.push({ method: "listComments", args });
      return options.comments;
    },
  };
  const context = {
    repo: { owner: "owner", repo: "repo" },
    runId: 42,
    serverUrl: "https://github.example",
    payload: { pull_request: { number: 7, head: { sha: "0123456789abcdef0123456789abcdef01234567" } } },
  };
  const core = { info: () => undefined };
  const saved = { PLAN_DIR: process.env.PLAN_DIR, PLAN_EXIT_CODE: process.env.PLAN_EXIT_CODE };
  process.env.PLAN_DIR = dir;
  process.env.PLAN_EXIT_CODE = options.exitCode;
  try {
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...names: string[]) => (...values: unknown[]) => Promise<unknown>;
    await new AsyncFunction("require", "github", "context", "core", script)(require, github, context, core);
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  return { calls };
}

/** Literal env values of a job and step; expressions (`${{ }}`) are left to the test to supply. */
function literalEnv(...maps: Array<Readonly<Record<string, Scalar>> | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const map of maps) {
    for (const [key, value] of Object.entries(map ?? {})) if (!String(value).includes("${{")) env[key] = String(value);
  }
  return env;
}

// ---------------------------------------------------------------------------------------------

const workflows = loadWorkflows();

// One known-bad document proves the parser really runs and reports: a checker that returned
// nothing would otherwise pass every file.
const BROKEN = {
  name: "broken.yml",
  content: "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    concurrency:\n      group: x\n      cancel-in-progres: false\n    steps:\n      - run: echo ${{ github.sha }\n",
};

const HOSTED = { vars: { REGIONPAIR_PROVIDER_MIRROR: "" } };
const AIR_GAPPED = { vars: { REGIONPAIR_PROVIDER_MIRROR: "/opt/terraform-mirror" } };
const SAME_REPO_PR = {
  ...HOSTED,
  github: { repository: "owner/repo", event: { pull_request: { number: 7, head: { repo: { full_name: "owner/repo" } } } } },
};
const FORK_PR = { ...HOSTED, github: { repository: "owner/repo", event: { pull_request: { number: 7, head: { repo: { full_name: "someone/repo" } } } } } };
const DISPATCH = (dryRun: boolean) => ({ ...HOSTED, inputs: { region: "us-west-2", dry_run: dryRun } });

const SCENARIOS: readonly Scenario[] = [
  { name: "test/hosted", file: "pull-request.yml", job: "test", contexts: SAME_REPO_PR },
  { name: "test/air-gapped", file: "pull-request.yml", job: "test", contexts: { ...SAME_REPO_PR, ...AIR_GAPPED } },
  { name: "test/doctor-fails", file: "pull-request.yml", job: "test", contexts: SAME_REPO_PR, failing: ["Check terraform, the provider mirror and the emulator"] },
  { name: "plan/same-repo", file: "pull-request.yml", job: "plan", contexts: SAME_REPO_PR },
  { name: "plan/fork", file: "pull-request.yml", job: "plan", contexts: FORK_PR },
  { name: "plan/credentials-fail", file: "pull-request.yml", job: "plan", contexts: SAME_REPO_PR, failing: ["aws-actions/configure-aws-credentials"] },
  { name: "plan/plan-fails", file: "pull-request.yml", job: "plan", contexts: SAME_REPO_PR, failing: ["plan"] },
  { name: "plan/cancelled", file: "pull-request.yml", job: "plan", contexts: SAME_REPO_PR, cancelled: true },
  { name: "deploy/hosted", file: "deploy.yml", job: "deploy", contexts: HOSTED },
  { name: "deploy/air-gapped", file: "deploy.yml", job: "deploy", contexts: AIR_GAPPED },
  { name: "deploy/credentials-fail", file: "deploy.yml", job: "deploy", contexts: HOSTED, failing: ["aws-actions/configure-aws-credentials"] },
  { name: "deploy/failover-pending", file: "deploy.yml", job: "deploy", contexts: HOSTED, failing: ["Refuse while a failover is not yet recorded on main"] },
  { name: "failover/record", file: "failover.yml", job: "failover", contexts: DISPATCH(false) },
  { name: "failover/dry-run", file: "failover.yml", job: "failover", contexts: DISPATCH(true) },
  { name: "failover/fails", file: "failover.yml", job: "failover", contexts: DISPATCH(false), failing: ["Fail over"] },
  { name: "failover/bad-region", file: "failover.yml", job: "failover", contexts: DISPATCH(false), failing: ["target"] },
  { name: "failover/cancelled", file: "failover.yml", job: "failover", contexts: DISPATCH(false), cancelled: true },
];

const github = runGitHubTooling([...workflows.map((w) => ({ name: w.file, content: w.text })), BROKEN], SCENARIOS);

/** The steps a scenario runs, by label. */
function ran(scenario: string): readonly string[] {
  const run = github.runs[scenario];
  if (!run || "error" in run) throw new Error(`scenario ${scenario}: ${run ? run.error : "not run"}`);
  return run.ran;
}

function jobRuns(scenario: string): boolean {
  const run = github.runs[scenario];
  if (!run || "error" in run) throw new Error(`scenario ${scenario}: ${run ? run.error : "not run"}`);
  return run.jobRuns;
}

const PINNED_USES = /^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(?:\/[^@\s]+)?)@([0-9a-f]{40})$/;
const VERSION_COMMENT = /^\s*-?\s*uses:\s*["']?([^\s"'#]+)["']?\s+#\s*(v\d+\.\d+\.\d+)\s*$/;

describe("workflow files", () => {
  test("GIVEN .github/workflows THEN it holds the pull-request, deploy and failover workflows", () => {
    expect(workflows.map((w) => w.file)).toEqual(expect.arrayContaining(["pull-request.yml", "deploy.yml", "failover.yml"]));
  });

  test.each(workflows.map((w) => [w.file, w] as const))("GIVEN %s WHEN read as YAML THEN it parses without errors or warnings", (_file, w) => {
    expect(w.yamlProblems).toEqual([]);
    expect(typeof w.workflow.jobs).toBe("object");
  });

  describe("GitHub's workflow parser", () => {
    test("GIVEN a workflow with a misspelt key and an unclosed expression THEN the parser reports both", () => {
      expect(github.errors[BROKEN.name]).toEqual(
        expect.arrayContaining([expect.stringMatching(/Unexpected value 'cancel-in-progres'/), expect.stringMatching(/expression is not closed/)]),
      );
    });

    test.each(workflows.map((w) => [w.file] as const))("GIVEN %s THEN @actions/workflow-parser reports no errors", (file) => {
      expect(github.errors[file]).toEqual([]);
    });
  });
});

describe("pinned actions", () => {
  const uses = workflows.flatMap(({ file, text }) =>
    text
      .split("\n")
      .map((line, index) => ({ file, line: index + 1, text: line }))
      .filter((l) => /^\s*-?\s*uses:/.test(l.text)),
  );

  test("GIVEN every `uses:` THEN it is pinned to a full 40-character commit SHA with its exact version in a comment", () => {
    const bad = uses.filter((u) => {
      const match = VERSION_COMMENT.exec(u.text);
      return !match || !PINNED_USES.test(match[1]);
    });
    expect(bad.map((u) => `${u.file}:${u.line}: ${u.text.trim()}`)).toEqual([]);
  });

  test("GIVEN an action used in several places THEN it is pinned to the same commit and version everywhere", () => {
    const pins = new Map<string, Set<string>>();
    for (const u of uses) {
      const match = VERSION_COMMENT.exec(u.text);
      if (!match) continue;
      const [action, sha] = match[1].split("@");
      pins.set(action, (pins.get(action) ?? new Set()).add(`${sha} ${match[2]}`));
    }
    const inconsistent = [...pins].filter(([, versions]) => versions.size > 1).map(([action, versions]) => `${action}: ${[...versions].join(", ")}`);
    expect(inconsistent).toEqual([]);
  });

  test("GIVEN every checkout THEN it does not leave the token in the git config", () => {
    const checkouts = allJobs(workflows).flatMap(({ file, id, job }) =>
      (job.steps ?? []).filter((s) => s.uses?.startsWith("actions/checkout@")).map((s) => ({ where: `${file}#${id}`, persist: s.with?.["persist-credentials"] })),
    );
    expect(checkouts.length).toBeGreaterThan(0);
    expect(checkouts.filter((c) => c.persist !== false)).toEqual([]);
  });
});

describe("AWS credentials and permissions", () => {
  const awsJobs = allJobs(workflows).filter(({ job }) => (job.steps ?? []).some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@")));

  test("GIVEN the plan, deploy and failover jobs THEN each assumes a role by OIDC", () => {
    expect(awsJobs.map((j) => j.file).sort()).toEqual(["deploy.yml", "failover.yml", "pull-request.yml"]);
    for (const ref of awsJobs) {
      expect({ job: `${ref.file}#${ref.id}`, idToken: grants(permissionsOf(ref), "id-token") }).toEqual({ job: `${ref.file}#${ref.id}`, idToken: "write" });
      const step = stepUsing(ref.job, "aws-actions/configure-aws-credentials");
      expect(String(step.with?.["role-to-assume"])).toMatch(/^\$\{\{\s*vars\.AWS_ROLE_ARN\s*\}\}$/);
      expect(environmentName(ref.job)).toBeDefined();
    }
  });

  test("GIVEN every workflow THEN no static AWS keys appear, as action inputs, env or secrets", () => {
    for (const { file, text } of workflows) {
      expect({ file, staticKeys: text.match(/aws-access-key-id|aws-secret-access-key|aws-session-token|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|secrets\.AWS_/g) }).toEqual({
        file,
        staticKeys: null,
      });
    }
  });

  test("GIVEN every workflow THEN the default token has no permissions unless a job asks, and jobs ask only for what they need", () => {
    for (const { file, workflow } of workflows) {
      const top = workflow.permissions;
      expect({ file, ok: (typeof top === "object" && Object.keys(top).length === 0) || (typeof top === "object" && Object.keys(top).join() === "contents" && top.contents === "read") }).toEqual({ file, ok: true });
    }
    const writers = allJobs(workflows).flatMap((ref) => {
      const permissions = permissionsOf(ref);
      expect(permissions).not.toBe("write-all");
      return typeof permissions === "object" ? Object.entries(permissions).filter(([, level]) => level === "write").map(([scope]) => `${ref.file}#${ref.id}:${scope}`) : [];
    });
    expect(writers.sort()).toEqual([
      "deploy.yml#deploy:id-token",
      "failover.yml#failover:contents",
      "failover.yml#failover:id-token",
      "failover.yml#failover:pull-requests",
      "pull-request.yml#plan:id-token",
      "pull-request.yml#plan:pull-requests",
    ]);
  });

  test("GIVEN the pull-request workflow THEN it never runs pull-request code with base-repository secrets (no pull_request_target)", () => {
    for (const { workflow } of workflows) expect(Object.keys(triggers(workflow))).not.toContain("pull_request_target");
  });
});

describe("what each job runs, in order", () => {
  const CHECKOUT = "actions/checkout";
  const NODE = "actions/setup-node";
  const NPM_CI = "Install dependencies";
  const TERRAFORM = "hashicorp/setup-terraform";
  const CREDENTIALS = "aws-actions/configure-aws-credentials";

  test("GIVEN a pull request on a GitHub-hosted runner WHEN the test job runs THEN it installs terraform, Python, moto and the mirror, checks them, then runs every suite", () => {
    expect(ran("test/hosted")).toEqual([
      CHECKOUT,
      NODE,
      NPM_CI,
      TERRAFORM,
      "actions/setup-python",
      "Install the AWS emulator (moto_server)",
      "mirror",
      "Check terraform, the provider mirror and the emulator",
      "Test",
    ]);
  });

  test("GIVEN an air-gapped runner (REGIONPAIR_PROVIDER_MIRROR set) WHEN the test job runs THEN nothing is downloaded, and the tools are still checked before the suites", () => {
    expect(ran("test/air-gapped")).toEqual([CHECKOUT, NODE, NPM_CI, "Check terraform, the provider mirror and the emulator", "Test"]);
  });

  test("GIVEN a missing tool (the check fails) WHEN the test job runs THEN no suite starts", () => {
    expect(ran("test/doctor-fails")).not.toContain("Test");
  });

  test("GIVEN a pull request from the same repository WHEN the plan job runs THEN it assumes the role before planning, then comments and uploads", () => {
    expect(ran("plan/same-repo")).toEqual([CHECKOUT, NODE, NPM_CI, TERRAFORM, "topology", CREDENTIALS, "plan", "Create or update the plan comment", "Upload the plans"]);
  });

  test("GIVEN a pull request from a fork WHEN the plan job would run THEN it does not (forks get no OIDC token)", () => {
    expect(jobRuns("plan/fork")).toBe(false);
    expect(jobRuns("plan/same-repo")).toBe(true);
  });

  test("GIVEN the credentials step fails WHEN the plan job runs THEN nothing is planned, and the comment still says so", () => {
    const steps = ran("plan/credentials-fail");
    expect(steps).not.toContain("plan");
    expect(steps).toContain("Create or update the plan comment");
  });

  test("GIVEN a failed plan WHEN the plan job goes on THEN the comment and the artifact are still posted", () => {
    expect(ran("plan/plan-fails").slice(-3)).toEqual(["plan", "Create or update the plan comment", "Upload the plans"]);
  });

  test("GIVEN a cancelled run WHEN the plan job goes on THEN it neither comments nor uploads", () => {
    const steps = ran("plan/cancelled");
    expect(steps).not.toContain("Create or update the plan comment");
    expect(steps).not.toContain("Upload the plans");
  });

  test("GIVEN a push to main WHEN the deploy job runs THEN it deploys only after the failover check and the credentials step", () => {
    const steps = ran("deploy/hosted");
    expect(steps).toEqual([CHECKOUT, "Refuse while a failover is not yet recorded on main", NODE, "topology", NPM_CI, TERRAFORM, CREDENTIALS, "Deploy every stack"]);
    expect(steps.indexOf("Deploy every stack")).toBeGreaterThan(steps.indexOf(CREDENTIALS));
  });

  test("GIVEN an air-gapped runner WHEN the deploy job runs THEN terraform is not downloaded", () => {
    expect(ran("deploy/air-gapped")).toEqual([CHECKOUT, "Refuse while a failover is not yet recorded on main", NODE, "topology", NPM_CI, CREDENTIALS, "Deploy every stack"]);
  });

  test.each([["deploy/credentials-fail"], ["deploy/failover-pending"]])("GIVEN %s WHEN the deploy job runs THEN nothing is deployed", (scenario) => {
    expect(ran(scenario)).not.toContain("Deploy every stack");
  });

  test("GIVEN a manual failover WHEN it runs THEN the region is checked before anything else, and it records the region in a pull request", () => {
    expect(ran("failover/record")).toEqual([CHECKOUT, NODE, "target", NPM_CI, TERRAFORM, CREDENTIALS, "Fail over", "Open a pull request recording the active region"]);
  });

  test("GIVEN a failover whose other region failed WHEN the job goes on THEN the pull-request step still runs (the target was recorded)", () => {
    expect(ran("failover/fails").slice(-2)).toEqual(["Fail over", "Open a pull request recording the active region"]);
  });

  test.each([["failover/dry-run"], ["failover/cancelled"]])("GIVEN %s WHEN the failover job runs THEN no pull request is opened", (scenario) => {
    expect(ran(scenario)).not.toContain("Open a pull request recording the active region");
  });

  test("GIVEN a region outside the topology WHEN the failover job runs THEN nothing after the check runs", () => {
    expect(ran("failover/bad-region")).toEqual([CHECKOUT, NODE, "target"]);
  });
});

describe("the test job's setup steps", () => {
  const [testJob] = jobsRunning(workflows, /^npm test$/m);
  const named = (name: string) => {
    const step = (testJob.job.steps ?? []).find((s) => s.name === name);
    if (!step?.run) throw new Error(`no run step named ${name}`);
    return step;
  };

  test("GIVEN the emulator install step WHEN run THEN pip installs the moto version the emulator fixes are written for", () => {
    const run = runStep(named("Install the AWS emulator (moto_server)").run!, { stubs: { python: "exit 0" } });
    expect(run.code).toBe(0);
    expect(run.calls.trim()).toBe("python -m pip install moto[server]==5.2.1");
  });

  test("GIVEN the mirror step WHEN run THEN one terraform init fills a plugin cache with the provider version @cdktf/provider-aws needs, and its root is the step's output", () => {
    const terraformStub = 'echo "TF_PLUGIN_CACHE_DIR=$TF_PLUGIN_CACHE_DIR" >> "$STUB_CALLS"';
    const run = runStep(named("Build the provider mirror").run!, { stubs: { terraform: terraformStub }, checkout: ["node_modules"] });
    expect(run.code).toBe(0);
    const temp = path.join(run.dir, "runner-temp");
    expect(run.calls.trim().split("\n")).toEqual([
      `terraform -chdir=${temp}/provider-mirror-init init -backend=false -input=false -no-color`,
      `TF_PLUGIN_CACHE_DIR=${temp}/provider-mirror`,
    ]);
    expect(readFileSync(path.join(temp, "provider-mirror-init", "versions.tf"), "utf8")).toContain(`aws = { source = "hashicorp/aws", version = "${awsProviderVersion()}" }`);
    expect(run.outputs).toBe(`root=${temp}/provider-mirror\n`);
  });

  test("GIVEN the checks and the suites WHEN they run THEN both use the mirror variable, else the mirror the job built", () => {
    for (const name of ["Check terraform, the provider mirror and the emulator", "Test"]) {
      expect({ name, mirror: named(name).env?.REGIONPAIR_PROVIDER_MIRROR }).toEqual({ name, mirror: "${{ vars.REGIONPAIR_PROVIDER_MIRROR || steps.mirror.outputs.root }}" });
    }
  });
});

describe("the manual failover's input", () => {
  test("GIVEN the failover workflow THEN the region is a required input and dry_run a boolean defaulting to false", () => {
    const [dispatch] = workflows.filter((w) => "workflow_dispatch" in triggers(w.workflow));
    const inputs = (triggers(dispatch.workflow).workflow_dispatch as { inputs: Record<string, { required?: boolean; type?: string; default?: unknown }> }).inputs;
    expect(inputs.region).toMatchObject({ required: true, type: "string" });
    expect(inputs.dry_run).toMatchObject({ type: "boolean", default: false });
  });
});

describe("inputs and event data never reach a shell unquoted", () => {
  const runSteps = Object.entries(github.workflows).flatMap(([file, workflow]) =>
    Object.values(workflow.jobs).flatMap((job) => job.steps.filter((step) => step.run !== undefined).map((step) => ({ file, job, step, workflowEnv: workflow.env }))),
  );

  test("GIVEN every run step WHEN GitHub's parser reads it THEN its script is literal text: no ${{ }} is pasted into a shell", () => {
    expect(runSteps.length).toBeGreaterThan(0);
    expect(runSteps.filter(({ step }) => typeof step.run !== "string").map(({ file, step }) => `${file}: ${step.label}`)).toEqual([]);
  });

  test("GIVEN every github-script step THEN its script has no ${{ }} either (it would be pasted into JavaScript)", () => {
    const scripts = allJobs(workflows).flatMap(({ file, job }) => (job.steps ?? []).filter((step) => step.uses?.startsWith("actions/github-script@")).map((step) => ({ file, script: String(step.with?.script) })));
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter(({ script }) => script.includes("${{")).map(({ file }) => file)).toEqual([]);
  });

  test("GIVEN environment variables that carry inputs, event data or step outputs WHEN a script uses them THEN always inside double quotes", () => {
    const unquoted = runSteps.flatMap(({ file, job, step, workflowEnv }) => {
      const env = { ...workflowEnv, ...job.env, ...step.env };
      const untrusted = new Set(Object.entries(env).filter(([, value]) => value.includes("${{") && UNTRUSTED.test(value)).map(([name]) => name));
      return unquotedExpansions(step.run as string, untrusted).map((name) => `${file}: ${step.label}: $${name}`);
    });
    expect(unquoted).toEqual([]);
  });

  test.each([
    ['echo "$REGION"', []],
    ["echo '$REGION'", []],
    ['branch="x/${REGION}-1"', []],
    ['open="$(gh pr list --repo "$REGION")"', []],
    ["echo $REGION", ["REGION"]],
    ['npm run failover -- --to ${REGION} "$mode"', ["REGION"]],
    ['x="$(echo $REGION)"', ["REGION"]],
  ] as const)("GIVEN the script %j WHEN scanned THEN the unquoted uses are %j", (script, expected) => {
    expect(unquotedExpansions(script, new Set(["REGION"]))).toEqual(expected);
  });
});

describe("one deploy at a time", () => {
  const appliers = [...jobsRunning(workflows, /cdktf deploy/), ...jobsRunning(workflows, /npm run .*failover/)];

  test("GIVEN deploy and failover THEN both jobs share one concurrency group for their environment and never cancel a run in progress", () => {
    expect(appliers).toHaveLength(2);
    const settings = appliers.map((ref) => ({ environment: environmentName(ref.job), ...concurrencyOf(ref) }));
    expect(settings[0].group).toBeDefined();
    // Per-run values in the group would give every run its own lock.
    expect(settings[0].group).not.toMatch(/run_id|run_number|github\.sha|github\.ref/);
    expect(settings[0].group).toContain(settings[0].environment);
    expect(settings[1]).toEqual(settings[0]);
    expect(settings[0]["cancel-in-progress"]).toBe(false);
  });

  test("GIVEN the plan job THEN it is in a separate group, so a plan never waits for or blocks a deploy", () => {
    const [plan] = jobsRunning(workflows, /npm run plan/);
    expect(concurrencyOf(plan)?.group).not.toEqual(concurrencyOf(appliers[0])?.group);
  });
});

describe("the plan step", () => {
  const [plan] = jobsRunning(workflows, /npm run plan/);
  const step = stepRunning(plan.job, /npm run plan/);
  const npmStub = 'if [ "$1 $2" = "run plan" ]; then mkdir -p "$PLAN_DIR"; echo "# Plan summary" > "$PLAN_DIR/summary.md"; exit "$STUB_EXIT"; fi; exit 99';

  test.each([
    [0, 0, "no changes"],
    [2, 0, "changes are a success"],
    [1, 1, "an error fails the job"],
    [3, 1, "an unknown code fails the job"],
  ])("GIVEN npm run plan exits %i THEN the step exits %i (%s) and records the exit code", (planExit, stepExit) => {
    const run = runStep(step.run!, { env: { ...literalEnv(plan.workflow.env, plan.job.env, step.env), STUB_EXIT: String(planExit) }, stubs: { npm: npmStub } });
    // The summary leaves room for the comment's footer and names the uploaded artifact.
    expect(run.calls).toMatch(/^npm run plan -- --out-dir plans --max-length 64000 --full-plans the \S* ?artifact of this run$/m);
    expect({ code: run.code, outputs: run.outputs }).toEqual({ code: stepExit, outputs: `exit-code=${planExit}\n` });
    expect(existsSync(path.join(run.dir, "work", "plans", "summary.md"))).toBe(true);
  });

  test("GIVEN the plan step THEN the comment and artifact steps read the folder it writes and the exit code it records", () => {
    const comment = stepUsing(plan.job, "actions/github-script");
    const upload = stepUsing(plan.job, "actions/upload-artifact");
    expect(plan.job.env?.PLAN_DIR).toBe("plans");
    expect(upload.with?.path).toBe("${{ env.PLAN_DIR }}/");
    expect(String(comment.env?.PLAN_EXIT_CODE)).toBe(`\${{ steps.${step.id}.outputs.exit-code }}`);
  });

  describe("the comment script, run with a stand-in GitHub client", () => {
    const script = String(stepUsing(plan.job, "actions/github-script").with?.script);
    const marker = /const marker = "(<!--[^"]+-->)"/.exec(script)?.[1] ?? "(no marker)";
    const bot = { type: "Bot", login: "github-actions[bot]" };

    test("GIVEN the script THEN its marker is a hidden HTML comment", () => {
      expect(marker).toMatch(/^<!-- \S.* -->$/);
    });

    test("GIVEN no plan comment yet THEN it creates one: marker, summary, outcome", async () => {
      const { calls } = await runCommentScript(script, { summary: "# Plan summary\n", exitCode: "2", comments: [] });
      expect(calls.map((c) => c.method)).toEqual(["listComments", "createComment"]);
      const body = String(calls[1].args.body);
      expect(body.startsWith(`${marker}\n# Plan summary`)).toBe(true);
      expect(body).toMatch(/changes \(exit 2\)/);
      expect(calls[1].args.issue_number).toBe(7);
    });

    test("GIVEN its comment from an earlier push THEN it updates that comment in place and creates none", async () => {
      const comments = [
        { id: 11, user: { type: "User", login: "reviewer" }, body: "looks good" },
        { id: 12, user: bot, body: `${marker}\nold summary` },
      ];
      const { calls } = await runCommentScript(script, { summary: "new summary", exitCode: "0", comments });
      expect(calls.map((c) => c.method)).toEqual(["listComments", "updateComment"]);
      expect(calls[1].args.comment_id).toBe(12);
      expect(String(calls[1].args.body)).toContain("new summary");
    });

    test("GIVEN a person's comment quoting the marker THEN it leaves that comment alone and creates its own", async () => {
      const comments = [{ id: 13, user: { type: "User", login: "reviewer" }, body: `> ${marker}` }];
      const { calls } = await runCommentScript(script, { summary: "s", exitCode: "0", comments });
      expect(calls.map((c) => c.method)).toEqual(["listComments", "createComment"]);
    });

    test("GIVEN a summary longer than a GitHub comment allows THEN the body is cut to fit, with a note", async () => {
      const { calls } = await runCommentScript(script, { summary: "x".repeat(70_000), exitCode: "2", comments: [] });
      const body = String(calls[1].args.body);
      expect(body.length).toBeLessThanOrEqual(65_536);
      expect(body).toMatch(/Cut to fit a GitHub comment/);
    });

    test("GIVEN a plan that wrote no summary THEN the comment says so and the run failed", async () => {
      const { calls } = await runCommentScript(script, { exitCode: "1", comments: [] });
      expect(String(calls[1].args.body)).toMatch(/No plan summary was written.*exit 1/);
    });
  });
});

describe("the deploy step", () => {
  const [deploy] = jobsRunning(workflows, /cdktf deploy/);
  const step = stepRunning(deploy.job, /cdktf deploy/);
  const npxStub = 'if [ -n "$TF_CLI_CONFIG_FILE" ]; then cp "$TF_CLI_CONFIG_FILE" "$STUB_CALLS.tfrc"; fi';

  test("GIVEN a GitHub-hosted runner THEN it deploys every stack with terraform's own provider installation", () => {
    const run = runStep(step.run!, { env: { ...literalEnv(deploy.workflow.env, deploy.job.env), REGIONPAIR_PROVIDER_MIRROR: "" }, stubs: { npx: npxStub } });
    expect(run.code).toBe(0);
    expect(run.calls.trim()).toBe("npx cdktf deploy * --auto-approve");
    expect(existsSync(path.join(run.dir, "calls.tfrc"))).toBe(false);
  });

  test("GIVEN an air-gapped runner with a provider mirror THEN terraform gets the project's offline CLI configuration and the provider lock is skipped", () => {
    const mirror = mkdtempSync(path.join(os.tmpdir(), "regionpair-mirror-"));
    scratchDirs.push(mirror);
    mkdirSync(path.join(mirror, "registry.terraform.io", "hashicorp", "aws", awsProviderVersion(), `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`), { recursive: true });
    const run = runStep(step.run!, {
      env: { ...literalEnv(deploy.workflow.env, deploy.job.env), REGIONPAIR_PROVIDER_MIRROR: mirror },
      stubs: { npx: npxStub },
      checkout: ["bin"],
    });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: "" });
    expect(run.calls.trim()).toBe("npx cdktf deploy * --auto-approve --skip-provider-lock");
    expect(readFileSync(path.join(run.dir, "calls.tfrc"), "utf8")).toBe(offlineCliConfig(mirror));
  });

  test("GIVEN a mirror variable naming a folder without the provider THEN the deploy step fails before cdktf runs", () => {
    const run = runStep(step.run!, {
      env: { ...literalEnv(deploy.workflow.env, deploy.job.env), REGIONPAIR_PROVIDER_MIRROR: "/nonexistent/mirror" },
      stubs: { npx: npxStub },
      checkout: ["bin"],
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/ProviderMirrorMissing: --mirror \/nonexistent\/mirror has no registry\.terraform\.io\/hashicorp\/aws/);
    expect(run.calls).toBe("");
  });

  test("GIVEN an open failover pull request THEN deploy refuses to run before it is merged", () => {
    const guard = stepRunning(deploy.job, /gh pr list/);
    const ghStub = (urls: string) => `echo "${urls}"`;
    expect(runStep(guard.run!, { stubs: { gh: ghStub("") } }).code).toBe(0);
    const blocked = runStep(guard.run!, { stubs: { gh: ghStub("https://github.example/pr/7") } });
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toMatch(/::error .*https:\/\/github\.example\/pr\/7/);
    expect(blocked.calls).toMatch(/regionpair-failover\//);
  });
});

describe("the failover steps", () => {
  const [failover] = jobsRunning(workflows, /npm run .*failover/);
  const check = stepRunning(failover.job, /regions\.includes/);
  const step = stepRunning(failover.job, /npm run .*failover/);
  const topology = readFileSync(path.join(ROOT, "topology.json"), "utf8");
  const { primary, secondary } = JSON.parse(topology) as { primary: { region: string }; secondary: { region: string } };
  const s3Topology = JSON.stringify({ ...JSON.parse(topology), state: { backend: "s3", primary: { bucket: "a-state" }, secondary: { bucket: "b-state" } } });
  const onMain = { GITHUB_REF: "refs/heads/main", DEFAULT_BRANCH: "main" };

  test.each([
    [secondary.region, "refs/heads/main", 0],
    [primary.region, "refs/heads/main", 0],
    ["eu-west-9", "refs/heads/main", 1],
    ['us-east-1"; touch injected; echo "', "refs/heads/main", 1],
    [secondary.region, "refs/heads/feature", 1],
  ])("GIVEN region input %j on %s THEN the check exits %i", (region, ref, code) => {
    const run = runStep(check.run!, { env: { ...onMain, GITHUB_REF: ref, REGION: region }, files: { "topology.json": s3Topology } });
    expect(run.code).toBe(code);
    expect(run.outputs).toBe(code === 0 ? `region=${region}\n` : "");
    expect(existsSync(path.join(run.dir, "work", "injected"))).toBe(false);
  });

  test("GIVEN local state in topology.json THEN the failover refuses to run", () => {
    const run = runStep(check.run!, { env: { ...onMain, REGION: secondary.region }, files: { "topology.json": JSON.stringify({ ...JSON.parse(topology), state: { backend: "local" } }) } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error title=Local state::/);
  });

  test.each([
    ["false", 0, "--record"],
    ["false", 1, "--record"],
    ["true", 0, "--dry-run"],
  ])("GIVEN dry_run=%s and failover exit %i THEN it runs the failover with %s and passes the exit code on", (dryRun, exit, mode) => {
    const npmStub = `echo '{"toRegion": "x"}'; exit ${exit}`;
    const run = runStep(step.run!, { env: { REGION: secondary.region, DRY_RUN: dryRun }, stubs: { npm: npmStub } });
    expect(run.calls.trim()).toBe(`npm run --silent failover -- --to ${secondary.region} ${mode} --json`);
    expect(run.code).toBe(exit);
    expect(readFileSync(path.join(run.dir, "step-summary"), "utf8")).toContain('{"toRegion": "x"}');
  });

  describe("the pull-request step", () => {
    const pr = stepRunning(failover.job, /gh pr create/);
    // git stand-in: `git diff --quiet` answers as $TOPOLOGY_CHANGED says; everything else succeeds.
    const gitStub = 'if [ "$1" = diff ]; then [ "$TOPOLOGY_CHANGED" = yes ] && exit 1; exit 0; fi; exit 0';
    const env = { REGION: secondary.region, BASE: "main", GITHUB_RUN_ID: "42", GITHUB_REPOSITORY: "owner/repo", GITHUB_SERVER_URL: "https://github.example" };

    test("GIVEN topology.json unchanged (not recorded, or the region was active already) WHEN the step runs THEN no branch and no pull request", () => {
      const run = runStep(pr.run!, { env: { ...env, TOPOLOGY_CHANGED: "no" }, stubs: { git: gitStub, gh: "exit 0" } });
      expect(run.code).toBe(0);
      expect(run.calls.trim().split("\n")).toEqual(["git diff --quiet -- topology.json"]);
    });

    test("GIVEN the recorded region WHEN the step runs THEN it commits topology.json alone to regionpair-failover/<region>-<run> and opens a pull request to the default branch", () => {
      const run = runStep(pr.run!, { env: { ...env, TOPOLOGY_CHANGED: "yes" }, stubs: { git: gitStub, gh: "exit 0" } });
      expect(run.code).toBe(0);
      const calls = run.calls.trim().split("\n");
      const branch = `regionpair-failover/${secondary.region}-42`;
      expect(calls).toEqual(
        expect.arrayContaining([`git switch --create ${branch}`, "git add topology.json", `git push origin ${branch}`]),
      );
      expect(calls.find((c) => c.startsWith("gh pr create"))).toMatch(new RegExp(`^gh pr create --base main --head ${branch.replace(/\//g, "\\/")} `));
      expect(readFileSync(path.join(run.dir, "runner-temp", "pr-body.md"), "utf8")).toContain(`made **${secondary.region}** the active region`);
    });
  });
});
