import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { RegionResult, followUp, recordActiveRegion, routeChangesFromPlan } from "../../../scripts/failover";
import { isUnreachableError } from "../../../scripts/lib/aws-errors";
import { runCli } from "../../support/cli";
import { validTopologyInput } from "../../support/topologies";
import { tempDirs } from "../../support/tmp";

const tempDir = tempDirs("failover");

const result = (region: string, outcome: RegionResult["outcome"]): RegionResult => ({ role: "primary", region, outcome, detail: "", seconds: 1 });

describe("failover: telling an unreachable region from a failed one", () => {
  test.each([
    ["connection refused", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }), true],
    ["DNS failure", Object.assign(new Error("getaddrinfo ENOTFOUND ec2.x.amazonaws.com"), { code: "ENOTFOUND" }), true],
    ["SDK time-out", Object.assign(new Error("timed out"), { name: "TimeoutError" }), true],
    ["AWS 503", Object.assign(new Error("Service Unavailable"), { name: "Unavailable", $metadata: { httpStatusCode: 503 } }), true],
    ["AWS 500", Object.assign(new Error("We encountered an internal error"), { name: "InternalError", $metadata: { httpStatusCode: 500 } }), true],
    ["throttling", Object.assign(new Error("Request limit exceeded"), { name: "RequestLimitExceeded", $metadata: { httpStatusCode: 503 } }), false],
    ["access denied", Object.assign(new Error("You are not authorized"), { name: "UnauthorizedOperation", $metadata: { httpStatusCode: 403 } }), false],
    ["expired credentials", Object.assign(new Error("expired"), { name: "RequestExpired", $metadata: { httpStatusCode: 400 } }), false],
  ])("GIVEN %s WHEN classified THEN unreachable is %s", (_label, error, expected) => {
    expect(isUnreachableError(error)).toBe(expected);
  });
});

describe("failover: plan counts and follow-up", () => {
  test("GIVEN terraform's plan line WHEN counting route changes THEN a replaced route counts once", () => {
    expect(routeChangesFromPlan("Plan: 2 to add, 0 to change, 2 to destroy.")).toBe(2);
    expect(routeChangesFromPlan("No changes. Your infrastructure matches the configuration.")).toBe(0);
  });

  test("GIVEN the other region unreachable WHEN the target converged THEN the follow-up says to rerun the same failover once it is back", () => {
    const lines = followUp([result("eu-central-1", "converged"), result("eu-west-1", "unreachable")], "eu-central-1", true).join("\n");
    expect(lines).toContain("eu-west-1 was unreachable and still routes as before");
    expect(lines).toContain("npm run failover -- --to eu-central-1");
    expect(lines).not.toContain("activeRegion");
  });

  test("GIVEN both converged and nothing recorded WHEN following up THEN it says to record the active region", () => {
    const lines = followUp([result("eu-central-1", "converged"), result("eu-west-1", "converged")], "eu-central-1", false).join("\n");
    expect(lines).toContain('"activeRegion": "eu-central-1"');
    expect(lines).toContain("TF_VAR_active_region=eu-central-1");
  });

  test.each([
    ["names another region", '{\n  "name": "x",\n  "activeRegion": "eu-west-1",\n  "primary": { "region": "eu-west-1" }\n}\n', '{\n  "name": "x",\n  "activeRegion": "eu-central-1",\n  "primary": { "region": "eu-west-1" }\n}\n'],
    ["has no activeRegion", '{\n    "name": "x",\n    "zones": ["a", "b"]\n}\n', '{\n    "activeRegion": "eu-central-1",\n    "name": "x",\n    "zones": ["a", "b"]\n}\n'],
  ])("GIVEN a topology file that %s WHEN recording the active region THEN only that line changes, formatting kept", (_label, before, after) => {
    const file = path.join(tempDir(), "topology.json");
    writeFileSync(file, before);
    expect(recordActiveRegion(file, "eu-central-1")).toBe(true);
    expect(readFileSync(file, "utf8")).toBe(after);
  });

  test("GIVEN a topology file already naming the region WHEN recording THEN nothing is written", () => {
    const file = path.join(tempDir(), "topology.json");
    const text = '{ "name": "x", "activeRegion": "eu-central-1" }';
    writeFileSync(file, text);
    expect(recordActiveRegion(file, "eu-central-1")).toBe(false);
    expect(readFileSync(file, "utf8")).toBe(text);
  });
});

describe("command-line errors", () => {
  const dir = tempDir();
  const topologyFile = path.join(dir, "topology.json");
  writeFileSync(topologyFile, JSON.stringify(validTopologyInput()));
  const badFile = path.join(dir, "bad.json");
  const bad = validTopologyInput();
  bad.secondary.managementCidr = "10.30.0.0/17";
  writeFileSync(badFile, JSON.stringify(bad));
  const env = { REGIONPAIR_TOPOLOGY: topologyFile, CDKTF_OUTDIR: path.join(dir, "out") };

  test.each([
    ["failover without --to", ["failover"], /--to is required/],
    ["failover to a region outside the pair", ["failover", "--to", "us-east-1"], /--to us-east-1 is not in this topology; use eu-west-1 or eu-central-1/],
    ["failover with a bad timeout", ["failover", "--to", "eu-west-1", "--timeout", "soon"], /--timeout must be a positive number/],
    ["an unknown option", ["failover", "--too", "eu-west-1"], /Unknown option '--too'/],
    ["plan with an unknown stack", ["plan", "--stack", "network-tertiary"], /unknown stack 'network-tertiary'/],
    ["plan with a malformed --var", ["plan", "--var", "active_region"], /--var needs name=value/],
    ["plan with a tiny --max-length", ["plan", "--max-length", "10"], /--max-length must be a whole number of at least 1000/],
    ["an unknown command", ["deploy"], /unknown command 'deploy'/],
  ])("GIVEN %s WHEN run THEN it exits 2 with one line naming the problem", async (_label, args, message) => {
    const run = await runCli(args, { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });

  test("GIVEN an invalid topology WHEN starting a local deploy THEN it exits 1 listing the problem, before any emulator starts", async () => {
    const run = await runCli(["local-deploy"], { env: { ...env, REGIONPAIR_TOPOLOGY: badFile } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("secondary.managementCidr = \"10.30.0.0/17\": overlaps primary.managementCidr");
    expect(run.stderr).not.toContain("emulator on");
  });

  test("GIVEN --help WHEN run THEN each command explains itself and exits 0", async () => {
    for (const command of ["failover", "plan", "local-deploy", "doctor"]) {
      const run = await runCli([command, "--help"], { env });
      expect({ command, code: run.code }).toEqual({ command, code: 0 });
      expect(run.stdout).toMatch(/^Usage: /);
    }
    // Four CLI starts in a row take longer than jest's default 5 s on a busy machine.
  }, 30_000);
});
