import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { tempDirs } from "../../../support/tmp";
import { exportLines, keptEnvironment, keptPaths, readKeptEmulator, runningKeptEmulator, stopKeptEmulator, writeKeptEmulator } from "../../../../scripts/local-deploy/kept-emulator";

const values = {
  endpoint: "http://127.0.0.1:4566",
  stateDir: "/work/x/.regionpair/local/state",
  outdir: "/work/x/.regionpair/local/cdktf.out",
  topologyFile: "/work/x/topology.json",
  cliConfigFile: "/work/x/.regionpair/local/terraform.rc",
  localDir: "/work/x/.regionpair/local",
};

describe("the env file of a kept emulator", () => {
  test("GIVEN the kept emulator WHEN its environment is built THEN it names the emulator, state, stacks, topology, offline CLI config and fake keys", () => {
    expect(keptEnvironment(values)).toEqual({
      REGIONPAIR_EMULATOR_URL: values.endpoint,
      REGIONPAIR_STATE_DIR: values.stateDir,
      REGIONPAIR_TOPOLOGY: values.topologyFile,
      REGIONPAIR_LOCAL_DIR: values.localDir,
      CDKTF_OUTDIR: values.outdir,
      TF_CLI_CONFIG_FILE: values.cliConfigFile,
      CHECKPOINT_DISABLE: "1",
      CDKTF_DISABLE_PLUGIN_CACHE_ENV: "true",
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
      AWS_EC2_METADATA_DISABLED: "true",
    });
  });

  test("GIVEN values with spaces, quotes and dollars WHEN sourced by a shell THEN each variable holds exactly its value", () => {
    const variables = { A: "plain", B: "with space", C: "it's $HOME and `x`" };

    const shell = spawnSync("sh", ["-c", `${exportLines(variables)}\nprintf '%s\\n' "$A" "$B" "$C"`], { encoding: "utf8", env: {} });

    expect(shell.stdout).toBe("plain\nwith space\nit's $HOME and `x`\n");
  });
});

describe("stopping a kept emulator", () => {
  const tempDir = tempDirs("kept");
  const folder = () => {
    const parent = tempDir();
    const dir = path.join(parent, ".regionpair", "local");
    mkdirSync(dir, { recursive: true });
    return { parent, dir };
  };
  const kept = (pid: number) => ({ pid, endpoint: "http://127.0.0.1:1", topologyFile: "/t.json", startedAt: new Date().toISOString() });

  test("GIVEN a record whose PID now belongs to another program WHEN stopped THEN that program keeps running and the folder is removed", async () => {
    const { parent, dir } = folder();
    const other = spawn("sleep", ["30"], { stdio: "ignore" });
    try {
      writeKeptEmulator(dir, kept(other.pid!), keptEnvironment(values), "/opt/mirror");
      expect(readKeptEmulator(dir)?.pid).toBe(other.pid);
      expect(runningKeptEmulator(dir)).toBeUndefined();

      const result = await stopKeptEmulator(dir);

      expect(result).toEqual({ removed: true });
      expect(other.exitCode === null && other.signalCode === null).toBe(true);
      expect([existsSync(dir), existsSync(path.join(parent, ".regionpair"))]).toEqual([false, false]);
    } finally {
      other.kill();
    }
  });

  test("GIVEN the folder holds something else besides WHEN stopped THEN .regionpair stays", async () => {
    const { parent, dir } = folder();
    writeFileSync(path.join(parent, ".regionpair", "notes"), "mine");
    writeKeptEmulator(dir, kept(999_999), keptEnvironment(values), "/opt/mirror");

    await stopKeptEmulator(dir);

    expect([existsSync(dir), existsSync(path.join(parent, ".regionpair", "notes"))]).toEqual([false, true]);
  });

  test("GIVEN a written record WHEN its files are listed THEN the env file, the CLI config and the record are there", () => {
    const { dir } = folder();

    const paths = writeKeptEmulator(dir, kept(1), keptEnvironment(values), "/opt/mirror");

    expect(paths).toEqual(keptPaths(dir));
    expect([paths.envFile, paths.cliConfigFile, paths.recordFile].every(existsSync)).toBe(true);
  });
});
