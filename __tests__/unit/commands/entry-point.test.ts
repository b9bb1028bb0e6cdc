import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../../config/topology";

const BIN = path.join(PROJECT_ROOT, "bin", "regionpair.js");

describe("the regionpair package bin", () => {
  test.each([["ami copy"], ["ena enable"], ["failover"], ["plan"], ["local-deploy"], ["doctor"], ["reach"], ["restore"]])(
    "GIVEN `regionpair %s --help` through the bin WHEN run THEN the command's help prints and it exits 0",
    (command) => {
      const run = spawnSync(process.execPath, [BIN, ...command.split(" "), "--help"], { encoding: "utf8", cwd: PROJECT_ROOT });
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
      expect(run.stdout).toMatch(/^Usage: /);
    },
  );

  test("GIVEN no command WHEN run THEN it lists the commands and exits 2", () => {
    const run = spawnSync(process.execPath, [BIN], { encoding: "utf8", cwd: PROJECT_ROOT });
    expect(run.status).toBe(2);
    expect(run.stdout).toContain("ami copy");
  });

  test("GIVEN output piped into a reader that closes early WHEN run THEN it exits without a crash", () => {
    const run = spawnSync("sh", ["-c", `"${process.execPath}" "${BIN}" ami copy --help | head -1`], { encoding: "utf8", cwd: PROJECT_ROOT });
    expect(run.status).toBe(0);
    expect(run.stderr).not.toContain("EPIPE");
  });
});
