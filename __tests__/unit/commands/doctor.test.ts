/**
 * doctor checks what the emulator really needs: a Python that imports moto and its server
 * (emulator/server.py runs in it), not a moto_server on PATH.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../../config/topology";
import { checkEmulatorPrerequisites } from "../../../scripts/lib/emulator";

const BIN = path.join(PROJECT_ROOT, "bin", "regionpair.js");
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function scratch(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "regionpair-doctor-"));
  dirs.push(dir);
  return dir;
}

/** The interpreter the project's emulator runs in, by its absolute path (so PATH can be emptied). */
function pythonWithMoto(): string {
  const found = spawnSync(process.env.REGIONPAIR_PYTHON || "python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" });
  if (found.status !== 0) throw new Error(`no python3 to test with: ${found.stderr}`);
  return found.stdout.trim();
}

/** A PATH holding terraform and nothing else: no moto_server, no python3. */
function pathWithTerraformOnly(): string {
  const bin = scratch();
  const terraform = spawnSync("sh", ["-c", "command -v terraform"], { encoding: "utf8" }).stdout.trim();
  if (!terraform) throw new Error("terraform is not on PATH");
  symlinkSync(terraform, path.join(bin, "terraform"));
  return bin;
}

describe("doctor and the emulator's prerequisites", () => {
  test("GIVEN REGIONPAIR_PYTHON naming a Python with moto and no moto_server on PATH WHEN doctor runs THEN its emulator line is ok, with moto's version", () => {
    const run = spawnSync(process.execPath, [BIN, "doctor"], {
      encoding: "utf8",
      cwd: PROJECT_ROOT,
      env: { ...process.env, PATH: pathWithTerraformOnly(), REGIONPAIR_PYTHON: pythonWithMoto() },
    });
    expect(run.stdout).toMatch(/^ok {7}emulator {9}moto \d+\.\d+\.\d+ in \//m);
  });

  test("GIVEN REGIONPAIR_PYTHON naming a Python without moto WHEN checked THEN it fails naming the interpreter and how to install moto", () => {
    const fake = path.join(scratch(), "python-without-moto");
    writeFileSync(fake, "#!/bin/sh\necho \"ModuleNotFoundError: No module named 'moto'\" >&2\nexit 1\n");
    chmodSync(fake, 0o755);
    expect(() => checkEmulatorPrerequisites({ PATH: process.env.PATH, REGIONPAIR_PYTHON: fake })).toThrow(
      expect.objectContaining({
        code: "EmulatorUnavailable",
        message: `${fake} cannot import moto.server (ModuleNotFoundError: No module named 'moto')`,
        hint: expect.stringMatching(/pip install 'moto\[server\]==5\.2\.1', or set REGIONPAIR_PYTHON/),
      }),
    );
  });

  test("GIVEN REGIONPAIR_PYTHON naming no program WHEN checked THEN it fails saying the interpreter did not run", () => {
    expect(() => checkEmulatorPrerequisites({ PATH: process.env.PATH, REGIONPAIR_PYTHON: "/nonexistent/python3" })).toThrow(/^\/nonexistent\/python3 did not run/);
  });
});
