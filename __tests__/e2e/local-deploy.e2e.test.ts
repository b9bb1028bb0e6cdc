/** `npm start` (local-deploy) as a user runs it: deploys into its own emulator, prints outputs, leaves nothing running. */
import { mkdtempSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runCli } from "../support/cli";
import { validTopologyInput } from "../support/topologies";

jest.setTimeout(300_000);

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test("GIVEN a topology WHEN local-deploy runs one stack THEN it prints that stack's outputs as JSON, exits 0 and stops its emulator", async () => {
  const topologyFile = path.join(mkdtempSync(path.join(os.tmpdir(), "regionpair-start-")), "topology.json");
  writeFileSync(topologyFile, JSON.stringify(validTopologyInput()));

  const run = await runCli(["local-deploy", "--stack", "network-primary", "--json"], { env: { REGIONPAIR_TOPOLOGY: topologyFile }, timeoutMs: 280_000 });

  expect({ code: run.code, stderr: run.code === 0 ? "" : run.stderr }).toEqual({ code: 0, stderr: "" });
  const outputs = JSON.parse(run.stdout);
  expect(Object.keys(outputs)).toEqual(["network-primary"]);
  expect(outputs["network-primary"].vpc_id).toMatch(/^vpc-/);
  expect(outputs["network-primary"].region).toBe("eu-west-1");
  const pid = Number(/\(pid (\d+)\)/.exec(run.stderr)?.[1]);
  expect(pid).toBeGreaterThan(0);
  expect(isRunning(pid)).toBe(false);
});
