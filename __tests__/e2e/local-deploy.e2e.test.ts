/**
 * `npm start` (local-deploy) as a user runs it: one stack into its own emulator and nothing left
 * running; then the whole demonstration kept running with --keep, used through its env file,
 * refused a second time, and stopped.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runCli } from "../support/cli";
import { topologyWith, validTopologyInput } from "../support/topologies";

jest.setTimeout(900_000);

const topology = topologyWith();
const [primary, secondary] = [topology.primary.region, topology.secondary.region];
let topologyFile: string;

beforeAll(() => {
  topologyFile = path.join(mkdtempSync(path.join(os.tmpdir(), "regionpair-start-")), "topology.json");
  writeFileSync(topologyFile, JSON.stringify(validTopologyInput()));
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The variables `source <file>` sets, as a user's shell gets them (over an empty environment, minus what sh sets itself). */
function sourced(file: string): NodeJS.ProcessEnv {
  const variablesAfter = (script: string) => {
    const shell = spawnSync("sh", ["-c", `${script}env -0`], { encoding: "utf8", env: {} });
    expect(shell.status).toBe(0);
    return new Map(shell.stdout.split("\0").filter(Boolean).map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)] as const));
  };
  const own = variablesAfter("");
  return Object.fromEntries([...variablesAfter(`. "${file}" && `)].filter(([name]) => !own.has(name)));
}

test("GIVEN a topology WHEN local-deploy runs one stack THEN it prints that stack's outputs in the JSON document, skips reach, exits 0 and stops its emulator", async () => {
  const run = await runCli(["local-deploy", "--stack", "network-primary", "--json"], { env: { REGIONPAIR_TOPOLOGY: topologyFile }, timeoutMs: 280_000 });

  expect({ code: run.code, stderr: run.code === 0 ? "" : run.stderr }).toEqual({ code: 0, stderr: "" });
  const document = JSON.parse(run.stdout);
  expect(Object.keys(document.outputs)).toEqual(["network-primary"]);
  expect(document.outputs["network-primary"].vpc_id).toMatch(/^vpc-/);
  expect(document.outputs["network-primary"].region).toBe(primary);
  expect([document.reach, document.failover, document.exitCode]).toEqual([null, null, 0]);
  const pid = Number(/\(pid (\d+)\)/.exec(run.stderr)?.[1]);
  expect(pid).toBeGreaterThan(0);
  expect(isRunning(pid)).toBe(false);
});

describe("local-deploy --keep: the whole demonstration, left running", () => {
  const localDir = path.join(mkdtempSync(path.join(os.tmpdir(), "regionpair-keep-")), ".regionpair", "local");
  const env = () => ({ REGIONPAIR_TOPOLOGY: topologyFile, REGIONPAIR_LOCAL_DIR: localDir });
  let document: any;
  let pid: number;
  let seconds: number;

  beforeAll(async () => {
    const run = await runCli(["local-deploy", "--keep", "--json"], { env: env(), timeoutMs: 850_000 });
    seconds = run.seconds;
    if (run.code !== 0) throw new Error(`local-deploy --keep exited ${run.code}:\n${run.stderr}`);
    document = JSON.parse(run.stdout);
    pid = JSON.parse(readFileSync(path.join(localDir, "emulator.json"), "utf8")).pid;
    process.stdout.write(`local-deploy --keep --json took ${seconds} s\n`);
  });

  afterAll(async () => {
    // Whatever a failed test left behind.
    if (existsSync(localDir)) await runCli(["local-deploy", "--stop"], { env: env() });
  });

  test("GIVEN the demonstration WHEN its JSON is read THEN every client reached the primary copy before the failover and the secondary copy after", () => {
    const clients = [primary, secondary].flatMap((region) => [`management@${region}`, `office@${region}`]);
    const expected = (region: string) => topology.workloads.flatMap((w) => clients.map((client) => ({ client, destination: w.name, verdict: "delivered", region })));
    expect(document.reach).toEqual({ before: expected(primary), after: expected(secondary) });
    expect(document.activeRegion).toEqual({ before: primary, after: secondary });
    expect(document.failover.map((r: any) => [r.region, r.outcome])).toEqual([
      [secondary, "converged"],
      [primary, "converged"],
    ]);
    expect(document.fence.after.every((row: any) => row.copy === primary && row.verdict === "fenced")).toBe(true);
    expect(document.exitCode).toBe(0);
    expect(Object.keys(document.outputs).sort()).toEqual(["network-primary", "network-secondary", "peering", "routing-primary", "routing-secondary"]);
  });

  test("GIVEN the kept emulator WHEN its env file is sourced THEN reach, run with only those variables, reads both regions and finds the secondary active", async () => {
    expect(isRunning(pid)).toBe(true);
    const variables = sourced(path.join(localDir, "env"));
    expect(Object.keys(variables).sort()).toEqual(
      [
        "AWS_ACCESS_KEY_ID",
        "AWS_EC2_METADATA_DISABLED",
        "AWS_SECRET_ACCESS_KEY",
        "CDKTF_DISABLE_PLUGIN_CACHE_ENV",
        "CDKTF_OUTDIR",
        "CHECKPOINT_DISABLE",
        "REGIONPAIR_EMULATOR_URL",
        "REGIONPAIR_LOCAL_DIR",
        "REGIONPAIR_STATE_DIR",
        "REGIONPAIR_TOPOLOGY",
        "TF_CLI_CONFIG_FILE",
      ],
    );
    expect(readFileSync(variables.TF_CLI_CONFIG_FILE!, "utf8")).toMatch(/filesystem_mirror/);

    const run = await runCli(["reach", "--json"], { env: { ...variables, PATH: process.env.PATH } });

    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: "" });
    const report = JSON.parse(run.stdout);
    expect([report.regions.map((r: any) => r.outcome), report.activeRegion]).toEqual([["read", "read"], secondary]);
  });

  test("GIVEN an emulator kept running WHEN --keep runs again THEN it says so, exits 1 and changes nothing", async () => {
    const envFile = path.join(localDir, "env");
    const before = { text: readFileSync(envFile, "utf8"), modified: statSync(envFile).mtimeMs };

    const run = await runCli(["local-deploy", "--keep"], { env: env() });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`LocalEmulatorRunning: an emulator kept by 'local-deploy --keep' is already running (pid ${pid}`);
    expect({ text: readFileSync(envFile, "utf8"), modified: statSync(envFile).mtimeMs }).toEqual(before);
    expect(isRunning(pid)).toBe(true);
  });

  test("GIVEN the kept emulator WHEN --stop runs THEN the emulator is gone and so is everything --keep wrote", async () => {
    const run = await runCli(["local-deploy", "--stop"], { env: env() });

    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`stopped the kept emulator (pid ${pid}`);
    expect(isRunning(pid)).toBe(false);
    expect([existsSync(localDir), existsSync(path.dirname(localDir))]).toEqual([false, false]);
  });
});
