/** `regionpair reach` as a user runs it, without an emulator: usage errors, and both regions' APIs refusing. */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { regionEndpointEnv } from "../../../config/target";
import { closedPort, runCli } from "../../support/cli";
import { validTopologyInput } from "../../support/topologies";
import { tempDirs } from "../../support/tmp";

jest.setTimeout(60_000);

const input = validTopologyInput();
let env: NodeJS.ProcessEnv;
const tempDir = tempDirs("reach");

beforeAll(() => {
  const topologyFile = path.join(tempDir(), "topology.json");
  writeFileSync(topologyFile, JSON.stringify(input));
  env = { REGIONPAIR_TOPOLOGY: topologyFile };
});

describe("reach: usage", () => {
  test("GIVEN --help WHEN run THEN it explains the checks and exit codes and exits 0", async () => {
    const run = await runCli(["reach", "--help"], { env });

    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: "" });
    expect(run.stdout).toMatch(/^Usage: npx regionpair reach/);
    expect(run.stdout).toContain("--active <region>");
  });

  test.each([
    [["--active", "mars-east-1"], /--active mars-east-1 is not in this topology; use eu-west-1 or eu-central-1/],
    [["--frobnicate"], /Unknown option '--frobnicate'/],
  ])("GIVEN %j WHEN run THEN it exits 2 with one line", async (args, message) => {
    const run = await runCli(["reach", ...args], { env });

    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });
});

describe("reach: both regions down", () => {
  test("GIVEN both regions' APIs refuse connections WHEN run with --json THEN both are unreachable with the refusal, nothing could be checked, exit 1, within seconds", async () => {
    const [primaryPort, secondaryPort] = [await closedPort(), await closedPort()];
    const run = await runCli(["reach", "--json"], {
      env: {
        ...env,
        REGIONPAIR_EMULATOR_URL: "http://127.0.0.1:1",
        [regionEndpointEnv(input.primary.region)]: `http://127.0.0.1:${primaryPort}`,
        [regionEndpointEnv(input.secondary.region)]: `http://127.0.0.1:${secondaryPort}`,
      },
    });

    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 1, stderr: "" });
    const report = JSON.parse(run.stdout);
    expect(report.regions.map((r: any) => [r.region, r.outcome])).toEqual([
      [input.primary.region, "unreachable"],
      [input.secondary.region, "unreachable"],
    ]);
    expect(report.regions.every((r: any) => / ECONNREFUSED: /.test(r.reason))).toBe(true);
    expect(report.rows.every((row: any) => row.verdict === "unknown")).toBe(true);
    expect(report.problems.map((p: any) => p.message)).toContain("nothing could be checked: every row needs a region that was not read");
    expect(run.seconds).toBeLessThan(30);
  });
});
