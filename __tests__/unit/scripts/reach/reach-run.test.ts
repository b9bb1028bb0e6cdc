import { RegionRead } from "../../../../scripts/reach/read-network";
import { reachReport } from "../../../../scripts/reach/reach-report";
import { clientRows, everyClientReaches, formatReachRun, reachRun, reachRunJson } from "../../../../scripts/reach/reach-run";
import { PRIMARY, SECONDARY, buildPair, clients, unread, workloads } from "./network-builders";

const spec = { clients: clients(), workloads: workloads(1) };
const read = (region: string, role: "primary" | "secondary"): RegionRead => ({ region, role, outcome: "read", seconds: 0.4 });

describe("reachRun: the exit code", () => {
  test("GIVEN both regions read and a healthy pair WHEN run THEN the exit code is 0", () => {
    const run = reachRun("t", [read(PRIMARY, "primary"), read(SECONDARY, "secondary")], reachReport(buildPair(), spec));

    expect(run.exitCode).toBe(0);
  });

  test("GIVEN the secondary unreachable WHEN run THEN it stays a warning and the exit code is 0", () => {
    const unreachable: RegionRead = { region: SECONDARY, role: "secondary", outcome: "unreachable", seconds: 3, reason: "DescribeVpcs: ECONNREFUSED: connect ECONNREFUSED" };

    const run = reachRun("t", [read(PRIMARY, "primary"), unreachable], reachReport(unread(buildPair(), SECONDARY, unreachable.reason), spec));

    expect([run.exitCode, run.report.exitCode]).toEqual([0, 0]);
    expect(run.report.problems.filter((p) => p.severity === "failure")).toEqual([]);
  });

  test("GIVEN the secondary denied a call WHEN run THEN that is a failure naming the region, the error and what to check, and the exit code is 1", () => {
    const failed: RegionRead = {
      region: SECONDARY,
      role: "secondary",
      outcome: "failed",
      seconds: 0.2,
      reason: "UnauthorizedOperation: DescribeVpcs in eu-west-1 failed: denied",
      error: { code: "UnauthorizedOperation", operation: "DescribeVpcs", hint: "the role lacks ec2:DescribeVpcs in eu-west-1" },
    };

    const run = reachRun("t", [read(PRIMARY, "primary"), failed], reachReport(unread(buildPair(), SECONDARY, failed.reason), spec));

    expect([run.exitCode, run.report.exitCode]).toEqual([1, 1]);
    expect(run.report.problems[0]).toEqual({
      severity: "failure",
      message: `region ${SECONDARY} could not be read: UnauthorizedOperation: DescribeVpcs in eu-west-1 failed: denied; check the role lacks ec2:DescribeVpcs in eu-west-1`,
    });
    expect(formatReachRun(run, { color: false })).toMatch(/exit code 1\n$/);
  });
});

describe("reachRun: output", () => {
  const run = reachRun("example", [read(PRIMARY, "primary"), read(SECONDARY, "secondary")], reachReport(buildPair(), spec));

  test("GIVEN a run WHEN formatted THEN a line per region says how it was read, then the table follows", () => {
    const text = formatReachRun(run, { color: false });

    expect(text.split("\n").slice(0, 3)).toEqual(["reach: example", `  ${PRIMARY}  read         in 0.4 s`, `  ${SECONDARY}  read         in 0.4 s`]);
    expect(text).toContain("clients → workloads");
  });

  test("GIVEN a run WHEN as JSON THEN it holds the regions as read and every row with its hops", () => {
    const json = reachRunJson(run) as { regions: RegionRead[]; rows: Array<{ hops: unknown[] }>; exitCode: number };

    expect(json.regions.map((r) => r.outcome)).toEqual(["read", "read"]);
    expect(json.rows.length).toBe(run.report.rows.length);
    expect(json.rows.every((row) => Array.isArray(row.hops) && row.hops.length > 0)).toBe(true);
    expect(json.exitCode).toBe(0);
  });

  test("GIVEN a run WHEN its client rows are summarised THEN each is client, destination, verdict and region, and all reach the primary", () => {
    expect(clientRows(run.report)).toEqual(clients().map((c) => ({ client: c.name, destination: "app", verdict: "delivered", region: PRIMARY })));
    expect([everyClientReaches(run.report, PRIMARY), everyClientReaches(run.report, SECONDARY)]).toEqual([true, false]);
  });
});
