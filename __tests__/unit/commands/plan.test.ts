/**
 * The plan command around terraform: where it plans (AWS unless an emulator is asked for; no
 * credentials is an error that lists what was tried), that an invalid topology leaves nothing
 * behind, and the progress it shows per stack and terraform phase.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { topologyWith, validTopologyInput } from "../../support/topologies";
import { runBin } from "../../support/bin";
import { PlanWorkspace, planStacks } from "../../../scripts/plan";
import { choosePlanTarget, credentialSourcesTried } from "../../../scripts/plan/plan-target";
import { ExternalError } from "../../../scripts/lib/cli";
import { ItemPhase, Progress, createProgress } from "../../../scripts/lib/progress";
import { TerraformResult } from "../../../scripts/lib/terraform";
import { PROJECT_ROOT } from "../../../config/topology";

const dir = mkdtempSync(path.join(os.tmpdir(), "regionpair-plan-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An environment in which the AWS SDK's default chain finds nothing, quickly. */
const NO_CREDENTIALS: NodeJS.ProcessEnv = {
  AWS_ACCESS_KEY_ID: "",
  AWS_SECRET_ACCESS_KEY: "",
  AWS_SESSION_TOKEN: "",
  AWS_PROFILE: "",
  AWS_SHARED_CREDENTIALS_FILE: path.join(dir, "no-credentials"),
  AWS_CONFIG_FILE: path.join(dir, "no-config"),
  AWS_WEB_IDENTITY_TOKEN_FILE: "",
  AWS_ROLE_ARN: "",
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "",
  AWS_CONTAINER_CREDENTIALS_FULL_URI: "",
  AWS_EC2_METADATA_DISABLED: "true",
  REGIONPAIR_EMULATOR_URL: "",
  // Should a regression try to start an emulator anyway, it cannot.
  REGIONPAIR_PYTHON: path.join(dir, "no-python"),
};

describe("where plan plans", () => {
  test.each([
    [false, {}, { kind: "aws" }],
    [true, {}, { kind: "own-emulator" }],
    [false, { REGIONPAIR_EMULATOR_URL: "http://127.0.0.1:5000" }, { kind: "emulator", url: "http://127.0.0.1:5000" }],
    [true, { REGIONPAIR_EMULATOR_URL: "http://127.0.0.1:5000" }, { kind: "emulator", url: "http://127.0.0.1:5000" }],
  ])("GIVEN --emulator %s and %j WHEN choosing THEN it plans into %j", (flag, env, target) => {
    expect(choosePlanTarget(flag, env)).toEqual(target);
  });

  test("GIVEN no credential source set WHEN listing what was tried THEN every source of the SDK's chain is named, in order, with what is missing", () => {
    const lines = credentialSourcesTried({ AWS_EC2_METADATA_DISABLED: "true" }, "/home/ci");
    expect(lines).toEqual([
      "environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (AWS_ACCESS_KEY_ID is not set, AWS_SECRET_ACCESS_KEY is not set)",
      "profile 'default' in /home/ci/.aws/credentials and /home/ci/.aws/config: keys, SSO, credential_process or a role to assume (AWS_PROFILE is not set)",
      "web identity: AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN, as OIDC in a pipeline sets them (AWS_WEB_IDENTITY_TOKEN_FILE is not set, AWS_ROLE_ARN is not set)",
      "container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or AWS_CONTAINER_CREDENTIALS_FULL_URI (neither is set)",
      "the EC2 instance metadata service (turned off by AWS_EC2_METADATA_DISABLED)",
    ]);
  });
});

describe("the plan command", () => {
  const topologyFile = path.join(dir, "topology.json");
  writeFileSync(topologyFile, JSON.stringify(validTopologyInput()));
  const badFile = path.join(dir, "bad.json");
  const bad = validTopologyInput();
  bad.secondary.managementCidr = "10.30.0.0/17";
  writeFileSync(badFile, JSON.stringify(bad));

  test("GIVEN no AWS credentials and no emulator asked for WHEN planning THEN it fails (exit 1) listing what it tried, plans nothing and makes no output folder", async () => {
    const outDir = path.join(dir, "plans-no-credentials");

    const run = await runBin(["plan", "--out-dir", outDir], { env: { ...NO_CREDENTIALS, REGIONPAIR_TOPOLOGY: topologyFile, CDKTF_OUTDIR: path.join(dir, "out-1") } });

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^regionpair: error: NoCredentials: no AWS credentials found, so there is nothing to plan against/);
    for (const source of ["environment variables AWS_ACCESS_KEY_ID", "profile 'default' in", "web identity", "container credentials", "EC2 instance metadata"]) {
      expect(run.stderr).toContain(source);
    }
    expect(run.stderr).toMatch(/check: in a pipeline, that the credentials step \(aws-actions\/configure-aws-credentials\) ran before the plan and succeeded/);
    expect(run.stderr).toContain("pass --emulator");
    expect(run.stderr).not.toMatch(/throwaway local emulator\)?:|planning \d+ stack/);
    expect(run.stdout).toBe("");
    expect(existsSync(outDir)).toBe(false);
  }, 30_000);

  test("GIVEN an invalid topology WHEN planning THEN it exits 1 with the problem before anything else, and makes no output folder", async () => {
    const outDir = path.join(dir, "plans-bad-topology");

    const run = await runBin(["plan", "--emulator", "--out-dir", outDir], { env: { ...NO_CREDENTIALS, REGIONPAIR_TOPOLOGY: badFile, CDKTF_OUTDIR: path.join(dir, "out-2") } });

    expect(run.status).toBe(1);
    expect(run.stderr).toContain('secondary.managementCidr = "10.30.0.0/17": overlaps primary.managementCidr');
    expect(run.stderr).not.toContain("emulator");
    expect(existsSync(outDir)).toBe(false);
  }, 30_000);

  test("GIVEN a plan's output folder WHEN git looks at it THEN it is ignored (plan files hold state values)", () => {
    const files = ["plans/network-primary.tfplan", "plans/network-primary.json", "plans/summary.md"];
    const ignored = spawnSync("git", ["check-ignore", "--no-index", ...files], { cwd: PROJECT_ROOT, encoding: "utf8" });
    expect(ignored.stdout.trim().split("\n")).toEqual(files);
    // The recorded test fixtures are plans too, and must stay committed.
    expect(spawnSync("git", ["check-ignore", "--no-index", "__tests__/fixtures/plans/flip/peering.json"], { cwd: PROJECT_ROOT }).status).toBe(1);
  });
});

describe("progress while planning", () => {
  const FIXTURES = path.join(__dirname, "..", "..", "fixtures", "plans", "flip");
  const ok = (exitCode = 0): TerraformResult => ({ exitCode, stdout: "", stderr: "", durationMs: 1 });

  /** terraform stand-in: network-primary is not initialized yet; routing-secondary fails to plan. */
  function fakeWorkspace(): PlanWorkspace {
    return {
      isInitialized: (stack) => stack !== "network-primary",
      init: async () => ok(),
      plan: async (stack, options) => {
        if (stack === "routing-secondary") {
          throw new ExternalError("terraform plan failed in stack routing-secondary (exit 1):\n\nError: reading EC2 Transit Gateway: UnauthorizedOperation", "TerraformFailed");
        }
        writeFileSync(options!.out!, "");
        return { ...ok(2), changes: stack.startsWith("routing") };
      },
      showJson: async (stack) => JSON.parse(readFileSync(path.join(FIXTURES, `${stack}.json`), "utf8")),
    };
  }

  function recording(): { progress: Progress; events: Array<[string, ItemPhase, string]> } {
    const events: Array<[string, ItemPhase, string]> = [];
    return { events, progress: { item: (id, phase, detail) => events.push([id, phase, detail]), note() {}, warn() {}, close() {} } };
  }

  const run = (progress: Progress) =>
    planStacks({
      topology: topologyWith(),
      workspace: fakeWorkspace(),
      stacks: ["network-primary", "network-secondary", "routing-primary", "routing-secondary"],
      vars: {},
      outDir: dir,
      progress,
    });

  test("GIVEN four stacks WHEN planning THEN each goes queued, (init when needed), plan, show, then its result", async () => {
    const { progress, events } = recording();

    await run(progress);

    const of = (stack: string) => events.filter(([id]) => id === stack).map(([, phase, detail]) => `${phase}: ${detail}`);
    expect(of("network-primary")).toEqual(["queued: queued", "initializing: terraform init", "planning: terraform plan", "showing: terraform show -json", "done: no changes"]);
    expect(of("network-secondary")).toEqual(["queued: queued", "planning: terraform plan", "showing: terraform show -json", "done: no changes"]);
    expect(of("routing-primary")).toEqual(["queued: queued", "planning: terraform plan", "showing: terraform show -json", "done: 0 to add, 0 to change, 2 to replace, 0 to destroy"]);
    expect(of("routing-secondary")).toEqual(["queued: queued", "planning: terraform plan", "failed: failed: Error: reading EC2 Transit Gateway: UnauthorizedOperation"]);
  });

  test("GIVEN a pipe (plain mode) WHEN planning THEN progress is one line per step, nothing redrawn", async () => {
    const stream = new PassThrough();
    let text = "";
    stream.on("data", (chunk) => (text += chunk));

    await run(createProgress("plain", stream));

    expect(text.split("\n").filter((line) => line.startsWith("network-primary: "))).toEqual([
      "network-primary: queued",
      "network-primary: terraform init",
      "network-primary: terraform plan",
      "network-primary: terraform show -json",
      "network-primary: no changes",
    ]);
    expect(text).not.toContain("\x1b[");
  });
});
