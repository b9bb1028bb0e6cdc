import { formatReachTable } from "../../../../scripts/reach/format";
import { reachReport } from "../../../../scripts/reach/reach-report";
import { PRIMARY, SECONDARY, buildPair, clients, editTransitGatewayRoutes, id, unread, workloads } from "./network-builders";

const ESCAPE = "\u001b[";
const stripColours = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "");
const TWO_APPS = workloads(2);
const spec = { clients: clients(), workloads: TWO_APPS };
const healthy = () => reachReport(buildPair({ workloads: TWO_APPS }), spec);

/** The table lines (header and rows, two spaces in), from the part before the problems. */
const tableLines = (text: string) =>
  text
    .slice(0, text.indexOf("\nproblems:"))
    .split("\n")
    .filter((line) => /^ {2}(result|ok|warn|FAIL|unknown)\s/.test(line));

describe("formatReachTable", () => {
  test("GIVEN a healthy pair WHEN formatted without colours THEN there are no escape codes and one line per row under a header per section", () => {
    const report = healthy();
    const text = formatReachTable(report, { color: false });

    expect(text).not.toContain(ESCAPE);
    expect(text).toMatch(/^active region: us-east-1 \(inferred/);
    const lines = tableLines(text);
    expect(lines.filter((line) => line.startsWith("  result"))).toHaveLength(3);
    expect(lines).toHaveLength(report.rows.length + 3);
    expect(text).toMatch(/problems: 0 failure\(s\), 2 warning\(s\)\n/);
    expect(text.trimEnd().endsWith("exit code 0")).toBe(true);
  });

  test("GIVEN rows of every kind WHEN formatted THEN every column starts at the same place in every section", () => {
    const lines = tableLines(formatReachTable(healthy(), { color: false }));
    const header = lines[0];
    const columnStarts = ["client", "destination", "verdict", "region", "notes"].map((name) => header.indexOf(name));

    for (const line of lines.filter((l) => !l.startsWith("  result"))) {
      // Every column but notes is padded: the character before each start is a space, the one at it is not.
      for (const start of columnStarts.slice(0, 4)) {
        expect([line[start - 1], line[start] !== " "]).toEqual([" ", true]);
      }
    }
  });

  test("GIVEN colours WHEN formatted THEN the result cells are coloured and, without the codes, the text equals the plain table", () => {
    const report = healthy();

    const coloured = formatReachTable(report, { color: true });

    expect(coloured).toContain(`${ESCAPE}32mok     ${ESCAPE}0m`);
    expect(coloured).toContain(`${ESCAPE}33mwarn   ${ESCAPE}0m`);
    expect(stripColours(coloured)).toBe(formatReachTable(report, { color: false }));
  });

  test("GIVEN a failing client row WHEN formatted THEN its notes say what was expected and why it ended otherwise, and failures are listed before warnings", () => {
    const model = editTransitGatewayRoutes(buildPair({ workloads: TWO_APPS }), PRIMARY, id.mainTable(PRIMARY), (routes) => routes.filter((r) => r.destinationCidr !== TWO_APPS[1].cidr));

    const text = formatReachTable(reachReport(model, { ...spec, activeRegion: PRIMARY }), { color: false });

    const failing = text.split("\n").find((line) => line.startsWith("  FAIL") && line.includes("dc-us-east-1") && line.includes("app1"));
    expect(failing).toMatch(/no-route +- +expected delivered in us-east-1; forward leg: tgw-rtb-main-us-east-1 has no route for the destination/);
    const problemLines = text.slice(text.indexOf("problems:")).split("\n").slice(1, -2);
    const firstWarning = problemLines.findIndex((line) => line.startsWith("  warn"));
    expect(problemLines.slice(0, firstWarning).every((line) => line.startsWith("  FAIL"))).toBe(true);
    expect(problemLines.slice(firstWarning).every((line) => line.startsWith("  warn"))).toBe(true);
    expect(text.trimEnd().endsWith("exit code 1")).toBe(true);
  });

  test("GIVEN a region that was not read WHEN formatted THEN a line says so with the reason, and its rows read unknown", () => {
    const text = formatReachTable(reachReport(unread(buildPair({ workloads: TWO_APPS }), SECONDARY, "RequestTimeout"), spec), { color: false });

    expect(text).toContain(`NOT READ: ${SECONDARY} (RequestTimeout); rows that need it are unknown, not failures`);
    expect(tableLines(text).filter((line) => line.startsWith("  unknown")).length).toBeGreaterThan(0);
  });
});
