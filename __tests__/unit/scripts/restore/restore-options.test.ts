import { parseRestoreArguments, unhealthy } from "../../../../scripts/restore/restore";
import type { RestoreResult } from "../../../../scripts/restore/run-restore";

describe("restore command line", () => {
  test("GIVEN --instance-id twice WHEN parsed THEN both are selected once each", () => {
    expect(parseRestoreArguments(["--region", "us-west-2", "--instance-id", "i-0123456789abcdef0", "--instance-id", "i-0123456789abcdef0", "--instance-id", "i-0123456789abcdef1"])).toMatchObject({
      mode: "restore",
      region: "us-west-2",
      selection: { kind: "instance-ids", instanceIds: ["i-0123456789abcdef0", "i-0123456789abcdef1"] },
      drill: false,
      force: false,
    });
  });

  test("GIVEN --tag, --type, --drill, --dry-run and --json WHEN parsed THEN each is taken", () => {
    expect(parseRestoreArguments(["--region", "us-west-2", "--tag", "dr:protect=true", "--type", "m5.xlarge", "--drill", "--dry-run", "--json"])).toEqual({
      mode: "restore",
      region: "us-west-2",
      selection: { kind: "tags", tags: [{ key: "dr:protect", value: "true" }] },
      instanceType: "m5.xlarge",
      force: false,
      drill: true,
      endpointUrl: undefined,
      dryRun: true,
      json: true,
    });
  });

  test("GIVEN --drill --cleanup <id> WHEN parsed THEN it is a cleanup of that drill", () => {
    expect(parseRestoreArguments(["--region", "us-west-2", "--drill", "--cleanup", "drill-20240601-020304-a1b2"])).toMatchObject({ mode: "cleanup", drillId: "drill-20240601-020304-a1b2" });
  });

  test("GIVEN --help WHEN parsed THEN there is nothing to run", () => {
    expect(parseRestoreArguments(["--help"])).toBeUndefined();
  });

  test.each([
    [["--all"], /--region is required/],
    [["--region", "us-west-2"], /choose instances with --instance-id, --tag or --all/],
    [["--region", "us-west-2", "--all", "--tag", "a=b"], /choose instances one way: --tag and --all/],
    [["--region", "us-west-2", "--all", "--type", "big"], /--type 'big' is not an instance type/],
    [["--region", "us-west-2", "--all", "--drill", "--force"], /--force does not apply to a drill/],
    [["--region", "us-west-2", "--cleanup", "drill-20240601-020304-a1b2"], /use it with --drill/],
    [["--region", "us-west-2", "--drill", "--cleanup", "drill-20240601-020304-a1b2", "--all"], /--cleanup takes only the drill id/],
    [["--region", "us-west-2", "--drill", "--cleanup", "x"], /is not a drill id/],
    [["--region", "us-west-2", "--instance-id", "web-1"], /is not an instance id/],
    [["--region", "us-west-2", "--all", "--endpoint-url", "vpce"], /is not a URL/],
    [["--region", "us-west-2", "--all", "--bogus"], /Unknown option '--bogus'/],
  ])("GIVEN %j WHEN parsed THEN it is a usage error", (argv, message) => {
    expect(() => parseRestoreArguments(argv)).toThrow(message);
  });
});

describe("whether every instance came back healthy", () => {
  const healthy = { sourceInstanceId: "i-1", launch: "launched", instanceId: "i-9", state: "running", statusChecks: { instance: "ok", system: "ok" }, ssm: "online", fixups: { instanceId: "i-9", document: "d", status: "Success", summary: { platform: "windows", ok: true, fixups: {} } } } as const;
  const result = (instances: unknown[]) => ({ instances }) as unknown as RestoreResult;

  test("GIVEN running, checked, online and fixed up WHEN judged THEN there is no problem", () => {
    expect(unhealthy(result([healthy]))).toEqual([]);
  });

  test.each([
    [{ launch: "failed", instanceId: undefined, error: { code: "InsufficientInstanceCapacity", message: "x" } }, "i-1: launch failed (InsufficientInstanceCapacity)"],
    [{ state: "stopped" }, "i-1: i-9 is stopped"],
    [{ statusChecks: { instance: "impaired", system: "ok" } }, "i-1: status checks impaired/ok"],
    [{ ssm: "not-online", fixups: undefined }, "i-1: not online in Systems Manager"],
    [{ fixups: { instanceId: "i-9", document: "d", status: "Failed", problem: "its last line is not the JSON summary" } }, "i-1: fix-ups Failed"],
    [{ fence: { fenced: false, from: "10.0.0.1", traces: [] } }, "i-1: NOT fenced"],
  ])("GIVEN %j WHEN judged THEN it is reported", (change, problem) => {
    expect(unhealthy(result([{ ...healthy, ...change }]))).toEqual([problem]);
  });
});
