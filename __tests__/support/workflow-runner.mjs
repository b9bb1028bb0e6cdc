/**
 * GitHub's own workflow parser and expression evaluator, for the workflow tests. Reads
 * `{ documents, scenarios }` as JSON on stdin and writes `{ errors, workflows, runs }`:
 *
 * - errors: per document, what @actions/workflow-parser reports (parse and conversion);
 * - workflows: per document, the converted template reduced to what the tests read: each job's
 *   steps in order with their id, name, `uses`, `run` (literal text, or the expression it is),
 *   `if` expression and env;
 * - runs: per scenario, whether the job runs (its `if`) and which of its steps would, deciding
 *   each step's `if` the way the runner does: status functions (success(), failure(),
 *   cancelled(), always()) from the outcome of the steps before, `success() && (...)` when the
 *   condition names none, the `steps` context (outcome of each step with an id) and the contexts
 *   the scenario gives (vars, inputs, github, env).
 *
 * Run as `node --import tsx workflow-runner.mjs`: the parser is ESM-only and imports its JSON
 * schema without an import attribute, which plain node refuses.
 */
import { Evaluator, Lexer, Parser, data } from "@actions/expressions";
import { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } from "@actions/workflow-parser";

const input = JSON.parse(
  await new Promise((resolve) => {
    let text = "";
    process.stdin.on("data", (chunk) => (text += chunk));
    process.stdin.on("end", () => resolve(text));
  }),
);

const tokenText = (token) => (token === undefined ? undefined : token.isExpression ? `\${{ ${token.expression} }}` : String(token.value ?? token));

function mapping(token) {
  if (!token) return {};
  const out = {};
  for (let i = 0; i < token.count; i++) {
    const pair = token.get(i);
    out[tokenText(pair.key)] = tokenText(pair.value);
  }
  return out;
}

/** How tests name a step: its id, else its name, else the action it uses, else its first line. */
function labelOf(step) {
  if (step.id && !step.id.startsWith("__")) return step.id;
  if (step.name) return tokenText(step.name);
  if (step.uses) return step.uses.value.split("@")[0];
  return String(step.run?.value ?? "").split("\n")[0];
}

function reduceJob(job) {
  return {
    id: job.id.value,
    if: job.if?.expression,
    env: mapping(job.env),
    steps: (job.steps ?? []).map((step) => ({
      label: labelOf(step),
      id: step.id,
      name: step.name ? tokenText(step.name) : undefined,
      if: step.if?.expression,
      uses: step.uses?.value,
      run: step.run === undefined ? undefined : step.run.isExpression ? { expression: step.run.expression } : step.run.value,
      env: mapping(step.env),
    })),
  };
}

const errors = {};
const workflows = {};
for (const document of input.documents) {
  const parsed = parseWorkflow(document, new NoOperationTraceWriter());
  const messages = parsed.context.errors.getErrors().map((e) => e.message);
  if (parsed.value === undefined) {
    messages.push("the parser produced no workflow");
  } else {
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    messages.push(...(template.errors ?? []).map((e) => e.Message));
    if (!template.errors?.length && !template.jobs?.length) messages.push("the converted workflow has no jobs");
    workflows[document.name] = { env: mapping(template.env), jobs: Object.fromEntries((template.jobs ?? []).map((job) => [job.id.value, reduceJob(job)])) };
  }
  errors[document.name] = [...new Set(messages)];
}

const STATUS_FUNCTIONS = ["success", "failure", "cancelled", "always"];

function evaluate(expression, contexts, status) {
  const mentionsStatus = STATUS_FUNCTIONS.some((name) => new RegExp(`\\b${name}\\s*\\(`).test(expression));
  const full = mentionsStatus ? expression : `success() && (${expression})`;
  const functions = new Map(
    [
      ["success", () => !status.failed && !status.cancelled],
      ["failure", () => status.failed && !status.cancelled],
      ["cancelled", () => status.cancelled],
      ["always", () => true],
    ].map(([name, test]) => [name, { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(test()) }]),
  );
  const lexed = new Lexer(full).lex();
  const tree = new Parser(lexed.tokens, Object.keys(contexts), [...functions.values()]).parse();
  const context = JSON.parse(JSON.stringify(contexts), data.reviver);
  return truthy(new Evaluator(tree, context, functions).evaluate());
}

/** The expression language's truthiness: false, 0, -0, "", null and NaN are false. */
function truthy(value) {
  if (value.kind === data.Kind.Boolean) return value.value;
  if (value.kind === data.Kind.Null) return false;
  if (value.kind === data.Kind.Number) return value.value !== 0 && !Number.isNaN(value.value);
  if (value.kind === data.Kind.String) return value.value !== "";
  return true;
}

const runs = {};
for (const scenario of input.scenarios ?? []) {
  const job = workflows[scenario.file]?.jobs[scenario.job];
  if (!job) {
    runs[scenario.name] = { error: `no job ${scenario.job} in ${scenario.file}` };
    continue;
  }
  const contexts = { github: {}, vars: {}, inputs: {}, env: {}, steps: {}, job: {}, runner: {}, secrets: {}, ...scenario.contexts };
  const status = { failed: false, cancelled: scenario.cancelled === true };
  if (job.if && !evaluate(job.if, contexts, { failed: false, cancelled: false })) {
    runs[scenario.name] = { jobRuns: false, ran: [] };
    continue;
  }
  const ran = [];
  for (const step of job.steps) {
    const runs = evaluate(step.if ?? "success()", contexts, status);
    const failed = runs && (scenario.failing ?? []).includes(step.label);
    if (runs) ran.push(step.label);
    if (failed) status.failed = true;
    // The `steps` context, for the steps that have an id.
    if (step.id && !step.id.startsWith("__")) {
      const outcome = !runs ? "skipped" : failed ? "failure" : "success";
      contexts.steps[step.id] = { outcome, conclusion: outcome, outputs: {} };
    }
  }
  runs[scenario.name] = { jobRuns: true, ran };
}

process.stdout.write(JSON.stringify({ errors, workflows, runs }));
