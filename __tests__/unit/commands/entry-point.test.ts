import { spawnSync } from "node:child_process";
import { PROJECT_ROOT } from "../../../config/topology";
import { BIN, BinResult, runBin } from "../../support/bin";

const COMMANDS = ["ami copy", "ena enable", "failover", "plan", "local-deploy", "doctor", "terraform-config", "validate"];
// Every run this file checks, started together up front (a few at a time).
const runs = new Map<string, Promise<BinResult>>();
const started = (args: readonly string[]) => {
  const key = args.join(" ");
  if (!runs.has(key)) {
    const run = runBin(args);
    // Handled: the test that awaits it sees the failure; an early one must not be "unhandled".
    run.catch(() => undefined);
    runs.set(key, run);
  }
  return runs.get(key)!;
};
for (const command of COMMANDS) started([...command.split(" "), "--help"]);
for (const args of [["ami", "--help"], ["ena", "-h"], ["ami"], ["ena", "disable"], []]) started(args);

describe("the regionpair package bin", () => {
  test.each(COMMANDS.map((command) => [command]))(
    "GIVEN `regionpair %s --help` through the bin WHEN run THEN the command's help prints and it exits 0",
    async (command) => {
      const run = await started([...command.split(" "), "--help"]);
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
      expect(run.stdout).toMatch(/^Usage: /);
    },
  );

  test.each([
    ["ami", "--help", "copy", "image instances and copy the images, encrypted, to the DR region"],
    ["ena", "-h", "enable", "enable ENA on an instance and optionally move it to a Nitro type"],
  ])("GIVEN `regionpair %s %s` WHEN run THEN it prints the group's subcommands with their summaries and exits 0", async (group, flag, subcommand, summary) => {
    const run = await started([group, flag]);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(run.stdout).toMatch(new RegExp(`^Usage: regionpair ${group} <subcommand>`));
    expect(run.stdout).toMatch(new RegExp(`^  ${subcommand}  ${summary}$`, "m"));
  });

  test.each([
    [["ami"], "'ami' needs a subcommand: ami copy"],
    [["ena", "disable"], "unknown subcommand 'ena disable'; 'ena' has: ena enable"],
  ])("GIVEN `regionpair %j` WHEN run THEN it is a usage error naming the subcommands, exit 2", async (args, message) => {
    const run = await started(args);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`regionpair: ${message} (see --help)\n`);
  });

  test("GIVEN no command WHEN run THEN it lists the commands and exits 2", async () => {
    const run = await started([]);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain("ami copy");
  });

  test("GIVEN output piped into a reader that closes early WHEN run THEN it exits without a crash", () => {
    const run = spawnSync("sh", ["-c", `"${process.execPath}" "${BIN}" ami copy --help | head -1`], { encoding: "utf8", cwd: PROJECT_ROOT });
    expect(run.status).toBe(0);
    expect(run.stderr).not.toContain("EPIPE");
  });
});
