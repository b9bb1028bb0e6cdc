/**
 * The deploy workflow checks the failover role after every upgrade: when a push changes
 * package-lock.json or package.json (the project's version), it runs
 * `preflight --role failover --to <region>` for each region of topology.json, with the failover
 * role's credentials, and fails when any region reports a missing permission.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";

const ROOT = path.resolve(__dirname, "..", "..");

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly if?: string;
  readonly run?: string;
  readonly with?: Record<string, string>;
}

const deploy = parse(readFileSync(path.join(ROOT, ".github", "workflows", "deploy.yml"), "utf8")) as { jobs: Record<string, { steps: Step[] }> };
const steps = Object.values(deploy.jobs).flatMap((job) => job.steps);
const preflight = steps.find((s) => /preflight --role failover/.test(s.run ?? ""));
const credentials = steps.filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@")).at(-1);

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function runStep(script: string, npxExit: (region: string) => number) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "regionpair-preflight-step-"));
  dirs.push(dir);
  mkdirSync(path.join(dir, "bin"));
  const npx = path.join(dir, "bin", "npx");
  writeFileSync(npx, `#!/usr/bin/env bash\necho "npx $*" >> "${dir}/calls"\ncase "$*" in ${["us-east-1", "us-west-2"].map((r) => `*"--to ${r}"*) exit ${npxExit(r)};;`).join(" ")} esac\n`);
  chmodSync(npx, 0o755);
  writeFileSync(path.join(dir, "topology.json"), readFileSync(path.join(ROOT, "topology.json")));
  writeFileSync(path.join(dir, "step.sh"), script);
  const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", path.join(dir, "step.sh")], {
    cwd: dir,
    env: { PATH: `${path.join(dir, "bin")}:${process.env.PATH}` },
    encoding: "utf8",
  });
  const calls = spawnSync("cat", [path.join(dir, "calls")], { encoding: "utf8" }).stdout.trim().split("\n");
  return { code: result.status, calls };
}

describe("the failover preflight after an upgrade", () => {
  test("GIVEN deploy.yml THEN a step runs the failover preflight, only when package-lock.json or package.json changed", () => {
    expect(preflight).toBeDefined();
    for (const file of ["package-lock.json", "package.json"]) expect(preflight!.if).toContain(`'${file}'`);
    expect(preflight!.if).toMatch(/github\.event\.commits\.\*\.modified/);
  });

  test("GIVEN the step THEN it assumes the failover role by OIDC first, under the same condition", () => {
    expect(steps.indexOf(credentials!)).toBeLessThan(steps.indexOf(preflight!));
    expect(credentials!.if).toBe(preflight!.if);
    expect(credentials!.with?.["role-to-assume"]).toMatch(/vars\.AWS_FAILOVER_ROLE_ARN/);
  });

  test.each([
    [0, 0, 0],
    [1, 0, 1],
    [0, 1, 1],
  ])("GIVEN the primary's preflight exits %i and the secondary's %i THEN the step checks both regions and exits %i", (primary, secondary, expected) => {
    const run = runStep(preflight!.run!, (region) => (region === "us-east-1" ? primary : secondary));
    expect(run.calls).toEqual(["npx regionpair preflight --role failover --to us-east-1", "npx regionpair preflight --role failover --to us-west-2"]);
    expect(run.code).toBe(expected);
  });
});
