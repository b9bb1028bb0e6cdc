/**
 * Synthesizing offline and failing cleanly: every terraform and cdktf child the project starts
 * has HashiCorp's checkpoint calls turned off (CHECKPOINT_DISABLE=1; offline they print
 * `getaddrinfo ENOTFOUND checkpoint-api.hashicorp.com`), and an invalid topology is reported once,
 * with a non-zero exit, whether through the app or `npm run synth`.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../../config/topology";
import { TerraformWorkspace, checkTerraform } from "../../../scripts/lib/terraform";
import { validTopologyInput } from "../../support/topologies";

const dir = mkdtempSync(path.join(os.tmpdir(), "regionpair-synth-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const badTopology = path.join(dir, "bad.json");
const bad = validTopologyInput();
bad.secondary.managementCidr = "10.30.0.0/17";
writeFileSync(badTopology, JSON.stringify(bad));
const PROBLEM = 'secondary.managementCidr = "10.30.0.0/17": overlaps primary.managementCidr';

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe("an invalid topology", () => {
  test("GIVEN an invalid topology WHEN the app runs THEN it exits 1 with each problem once on stderr and synthesizes nothing", () => {
    const outdir = path.join(dir, "app-out");
    // One Node process with tsx's require hook, as cdktf.json's `npx tsx main.ts` runs it.
    const run = spawnSync(process.execPath, ["--require", "tsx/cjs", "main.ts"], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
      env: { ...process.env, REGIONPAIR_TOPOLOGY: badTopology, CDKTF_OUTDIR: outdir },
    });
    expect({ status: run.status, stdout: run.stdout, problems: occurrences(run.stderr, PROBLEM) }).toEqual({ status: 1, stdout: "", problems: 1 });
    expect(existsSync(outdir)).toBe(false);
  });

  test("GIVEN an invalid topology WHEN `npm run synth` THEN it fails with each problem once, cdktf never runs and nothing is synthesized", () => {
    const output = path.join(dir, "npm-out");
    const run = spawnSync("npm", ["run", "synth"], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
      env: { ...process.env, REGIONPAIR_TOPOLOGY: badTopology, CDKTF_OUTPUT: output, CDKTF_OUTDIR: output },
      timeout: 60_000,
    });
    const all = `${run.stdout}${run.stderr}`;
    expect(run.status).not.toBe(0);
    expect(occurrences(run.stderr, PROBLEM)).toBe(1);
    expect(occurrences(all, PROBLEM)).toBe(1);
    expect(all).not.toMatch(/cdktf encountered an error|ENOTFOUND/);
    expect(existsSync(output)).toBe(false);
  }, 60_000);
});

describe("HashiCorp's checkpoint calls are off", () => {
  test("GIVEN the npm scripts WHEN one runs cdktf THEN CHECKPOINT_DISABLE=1 is set for that command", () => {
    const scripts = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    const cdktfCommands = Object.entries(scripts).flatMap(([name, script]) =>
      script
        .split(/&&|\|\||;/)
        .map((command) => command.trim())
        .filter((command) => /(^|\s)cdktf(\s|$)/.test(command))
        .map((command) => [name, command] as const),
    );
    expect(cdktfCommands.length).toBeGreaterThan(0);
    expect(cdktfCommands.filter(([, command]) => !/^(\S+=\S*\s+)*CHECKPOINT_DISABLE=1\s+(\S+=\S*\s+)*cdktf\s/.test(command))).toEqual([]);
  });

  test("GIVEN a terraform that records its environment WHEN the project's commands run it THEN each child has CHECKPOINT_DISABLE=1", async () => {
    const bin = path.join(dir, "bin");
    const record = path.join(dir, "terraform-env");
    mkdirSync(bin);
    writeFileSync(
      path.join(bin, "terraform"),
      `#!/bin/sh\necho "$1 CHECKPOINT_DISABLE=\${CHECKPOINT_DISABLE:-unset}" >> "${record}"\n[ "$1" = version ] && echo '{"terraform_version":"1.11.4"}'\nexit 0\n`,
    );
    chmodSync(path.join(bin, "terraform"), 0o755);
    const saved = { PATH: process.env.PATH, CHECKPOINT_DISABLE: process.env.CHECKPOINT_DISABLE };
    process.env.PATH = `${bin}:${process.env.PATH}`;
    delete process.env.CHECKPOINT_DISABLE;
    try {
      checkTerraform();
      const workspace = new TerraformWorkspace(path.join(dir, "tf-out"));
      mkdirSync(workspace.stackDir("network-primary"), { recursive: true });
      await workspace.run("network-primary", ["init"]);
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.CHECKPOINT_DISABLE !== undefined) process.env.CHECKPOINT_DISABLE = saved.CHECKPOINT_DISABLE;
    }
    expect(readFileSync(record, "utf8").trim().split("\n")).toEqual(["version CHECKPOINT_DISABLE=1", "init CHECKPOINT_DISABLE=1"]);
  });
});
