/**
 * The pipeline files in .github/workflows: each is valid YAML, GitHub's own workflow parser
 * (@actions/workflow-parser) accepts it, and together they do what the project intends: pinned
 * actions, OIDC instead of static keys, the three triggers, one deploy lock shared by deploy and
 * failover, one sticky plan comment, and plan exit code 2 treated as success. The shell steps
 * that carry that intent are run under bash with stubbed `npm`/`npx`, as the runner would.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync, chmodSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDocument } from "yaml";

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
// GitHub's workflow parser. @actions/workflow-parser is ESM-only ("exports" has only an "import"
// condition) and its dist imports its JSON schema without an import attribute, so neither Jest's
// CommonJS runtime nor plain `node` can load it; tsx's loader (already the app's runner) can. It
// runs in one child process for all files.

interface ParserDocument {
  readonly name: string;
  readonly content: string;
}

const PARSER_SCRIPT = `
import { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } from "@actions/workflow-parser";
const documents = JSON.parse(await new Promise((resolve) => {
  let input = "";
  process.stdin.on("data", (chunk) => (input += chunk));
  process.stdin.on("end", () => resolve(input));
}));
const results = {};
for (const document of documents) {
  const parsed = parseWorkflow(document, new NoOperationTraceWriter());
  const messages = parsed.context.errors.getErrors().map((e) => e.message);
  if (parsed.value === undefined) {
    messages.push("the parser produced no workflow");
  } else {
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    messages.push(...(template.errors ?? []).map((e) => e.Message));
    if (!template.errors?.length && !template.jobs?.length) messages.push("the converted workflow has no jobs");
  }
  results[document.name] = [...new Set(messages)];
}
process.stdout.write(JSON.stringify(results));
`;

function parseWithGitHubParser(documents: readonly ParserDocument[]): Record<string, string[]> {
  const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", PARSER_SCRIPT], {
    cwd: ROOT,
    input: JSON.stringify(documents),
    encoding: "utf8",
    timeout: 30_000,
  });
  if (result.status !== 0) {
    throw new Error(`@actions/workflow-parser did not run (exit ${result.status}): ${result.error?.message ?? ""}\n${result.stderr}`);
  }
  return JSON.parse(result.stdout) as Record<string, string[]>;
}

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
function runStep(script: string, options: { env?: NodeJS.ProcessEnv; stubs?: Record<string, string>; files?: Record<string, string> } = {}): ScriptRun {
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
    // One known-bad document proves the parser really runs and reports: a checker that returned
    // nothing would otherwise pass every file.
    const BROKEN = {
      name: "broken.yml",
      content: "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    concurrency:\n      group: x\n      cancel-in-progres: false\n    steps:\n      - run: echo ${{ github.sha }\n",
    };
    let results: Record<string, string[]>;
    beforeAll(() => {
      results = parseWithGitHubParser([...workflows.map((w) => ({ name: w.file, content: w.text })), BROKEN]);
    }, 30_000);

    test("GIVEN a workflow with a misspelt key and an unclosed expression THEN the parser reports both", () => {
      expect(results[BROKEN.name]).toEqual(
        expect.arrayContaining([expect.stringMatching(/Unexpected value 'cancel-in-progres'/), expect.stringMatching(/expression is not closed/)]),
      );
    });

    test.each(workflows.map((w) => [w.file] as const))("GIVEN %s THEN @actions/workflow-parser reports no errors", (file) => {
      expect(results[file]).toEqual([]);
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

  test("GIVEN the workflows THEN they use actions", () => {
    expect(uses.length).toBeGreaterThan(0);
  });

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

describe("triggers", () => {
  const byTrigger = (name: string) => workflows.filter((w) => name in triggers(w.workflow));

  test("GIVEN a pull request THEN one workflow installs, tests, plans, comments and uploads the plans", () => {
    const [pr] = byTrigger("pull_request");
    expect(pr).toBeDefined();
    const jobs = allJobs([pr]);
    const runs = jobs.flatMap(({ job }) => (job.steps ?? []).map((s) => s.run ?? ""));
    expect(runs).toEqual(expect.arrayContaining([expect.stringMatching(/^npm ci$/m), expect.stringMatching(/^npm test$/m), expect.stringMatching(/npm run plan -- --out-dir/)]));
    const actions = jobs.flatMap(({ job }) => (job.steps ?? []).map((s) => (s.uses ?? "").split("@")[0]));
    expect(actions).toEqual(expect.arrayContaining(["actions/github-script", "actions/upload-artifact", "hashicorp/setup-terraform", "actions/setup-python"]));
  });

  test("GIVEN the test job THEN it installs the emulator and terraform and checks them before running every suite", () => {
    const [test] = jobsRunning(workflows, /^npm test$/m);
    const runs = (test.job.steps ?? []).map((s) => s.run ?? "");
    expect(runs.join("\n")).toMatch(/pip install 'moto\[server\]==5\.2\.1'/);
    expect(runs.join("\n")).toMatch(/TF_PLUGIN_CACHE_DIR=.*terraform .*init/);
    const doctor = runs.findIndex((r) => /regionpair\.js doctor/.test(r));
    const npmTest = runs.findIndex((r) => /^npm test$/m.test(r));
    expect(doctor).toBeGreaterThanOrEqual(0);
    expect(doctor).toBeLessThan(npmTest);
    expect(stepUsing(test.job, "hashicorp/setup-terraform").with?.terraform_wrapper).toBe(false);
  });

  test("GIVEN a push to main THEN one workflow deploys every stack with --auto-approve, the active region's routing first", () => {
    const [push] = byTrigger("push");
    expect((triggers(push.workflow).push as { branches?: string[] }).branches).toEqual(["main"]);
    const [deploy] = jobsRunning([push], /cdktf deploy/);
    const run = stepRunning(deploy.job, /cdktf deploy/).run!;
    expect(run).toMatch(/npx cdktf deploy network-primary network-secondary peering "routing-\$\{ACTIVE_ROLE\}" --auto-approve/);
    expect(run).toMatch(/npx cdktf deploy "routing-\$\{OTHER_ROLE\}" --auto-approve --ignore-missing-stack-dependencies/);
  });

  test("GIVEN a manual dispatch THEN one workflow takes a region and fails over with --record, then opens a pull request", () => {
    const [dispatch] = byTrigger("workflow_dispatch");
    const inputs = (triggers(dispatch.workflow).workflow_dispatch as { inputs: Record<string, { required?: boolean; type?: string }> }).inputs;
    expect(inputs.region).toMatchObject({ required: true });
    const [failover] = jobsRunning([dispatch], /npm run .*failover/);
    expect(stepRunning(failover.job, /npm run .*failover/).run).toMatch(/--record/);
    expect(stepRunning(failover.job, /gh pr create/).run).toMatch(/topology\.json/);
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

  test("GIVEN a failed plan THEN the comment and artifact steps still run, reading the plans folder", () => {
    const comment = stepUsing(plan.job, "actions/github-script");
    const upload = stepUsing(plan.job, "actions/upload-artifact");
    for (const s of [comment, upload]) expect(String(s.if)).toMatch(/!cancelled\(\)|always\(\)/);
    expect(upload.with?.path).toMatch(/PLAN_DIR|plans/);
    expect(plan.job.env?.PLAN_DIR).toBe("plans");
    expect(String(comment.env?.PLAN_EXIT_CODE)).toContain(`steps.${step.id}.outputs.exit-code`);
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

  test("GIVEN pull requests from forks THEN the plan job does not run (they get no OIDC token)", () => {
    expect(String(plan.job.if)).toMatch(/github\.event\.pull_request\.head\.repo\.full_name == github\.repository/);
  });
});

describe("the deploy step", () => {
  const [deploy] = jobsRunning(workflows, /cdktf deploy/);
  const step = stepRunning(deploy.job, /cdktf deploy/);
  const npxStub = 'if [ -n "$TF_CLI_CONFIG_FILE" ]; then cp "$TF_CLI_CONFIG_FILE" "$STUB_CALLS.tfrc"; fi';
  const activeSecondary = { ACTIVE_REGION: "eu-central-1", ACTIVE_ROLE: "secondary", OTHER_ROLE: "primary" };

  test("GIVEN topology.json naming the secondary active THEN the topology step says so, and the other routing stack is the primary's", () => {
    const read = stepRunning(deploy.job, /GITHUB_OUTPUT/);
    const topology = JSON.parse(readFileSync(path.join(ROOT, "topology.json"), "utf8"));
    const s3 = { ...topology, state: { backend: "s3" }, activeRegion: topology.secondary.region };
    const run = runStep(read.run!, { files: { "topology.json": JSON.stringify(s3) } });
    expect(run.code).toBe(0);
    expect(run.outputs).toBe(`primary-region=${topology.primary.region}\nactive-region=${topology.secondary.region}\nactive-role=secondary\nother-role=primary\n`);
  });

  test("GIVEN a GitHub-hosted runner THEN it deploys every stack with terraform's own provider installation", () => {
    const run = runStep(step.run!, { env: { ...literalEnv(deploy.workflow.env, deploy.job.env), ...activeSecondary, REGIONPAIR_PROVIDER_MIRROR: "" }, stubs: { npx: npxStub } });
    expect(run.code).toBe(0);
    expect(run.calls.trim().split("\n")).toEqual([
      "npx cdktf deploy network-primary network-secondary peering routing-secondary --auto-approve",
      "npx cdktf deploy routing-primary --auto-approve --ignore-missing-stack-dependencies",
    ]);
    expect(existsSync(path.join(run.dir, "calls.tfrc"))).toBe(false);
  });

  test("GIVEN an air-gapped runner with a provider mirror THEN it installs only from the mirror and skips the provider lock", () => {
    const run = runStep(step.run!, { env: { ...literalEnv(deploy.workflow.env, deploy.job.env), ...activeSecondary, REGIONPAIR_PROVIDER_MIRROR: "/opt/mirror" }, stubs: { npx: npxStub } });
    expect(run.code).toBe(0);
    expect(run.calls.trim().split("\n")).toEqual([
      "npx cdktf deploy network-primary network-secondary peering routing-secondary --auto-approve --skip-provider-lock",
      "npx cdktf deploy routing-primary --auto-approve --ignore-missing-stack-dependencies --skip-provider-lock",
    ]);
    const cliConfig = readFileSync(path.join(run.dir, "calls.tfrc"), "utf8");
    expect(cliConfig).toMatch(/filesystem_mirror \{\s*path\s*= "\/opt\/mirror"\s*include = \["registry\.terraform\.io\/\*\/\*"\]/);
    expect(cliConfig).toMatch(/direct \{\s*exclude = \["registry\.terraform\.io\/\*\/\*"\]/);
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

  test("GIVEN a failover whose other region failed THEN the pull-request step still runs (the target was recorded)", () => {
    const pr = stepRunning(failover.job, /gh pr create/);
    expect(String(pr.if)).toMatch(/!cancelled\(\)/);
    expect(String(pr.if)).toMatch(/!inputs\.dry_run/);
    expect(pr.run).toMatch(/git diff --quiet -- topology\.json/);
    expect(pr.run).toMatch(/regionpair-failover\//);
  });
});
