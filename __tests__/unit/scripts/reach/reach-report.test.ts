import { UsageError } from "../../../../scripts/lib/cli";
import { NetworkModel } from "../../../../scripts/reach/network-model";
import { ReachReport, ReachSpec, reachReport } from "../../../../scripts/reach/reach-report";
import {
  ON_PREMISES_CIDR,
  PEERING,
  PRIMARY,
  SECONDARY,
  buildPair,
  clients,
  editAttachment,
  editTransitGateway,
  editTransitGatewayRoutes,
  fence,
  id,
  staticRoute,
  unread,
  workloads,
} from "./network-builders";

const TWO_APPS = workloads(2);
const spec = (activeRegion?: string): ReachSpec => ({ clients: clients(), workloads: TWO_APPS, ...(activeRegion ? { activeRegion } : {}) });
const pair = (activeRegion = PRIMARY): NetworkModel => buildPair({ activeRegion, workloads: TWO_APPS });

const failures = (report: ReachReport) => report.problems.filter((p) => p.severity === "failure").map((p) => p.message);
const warnings = (report: ReachReport) => report.problems.filter((p) => p.severity === "warning").map((p) => p.message);
const rowsOf = (report: ReachReport, kind: string) => report.rows.filter((row) => row.kind === kind);

/** The workload routes of `region`'s main table point at its own workload attachment, as if it were active. */
function keepWorkloadsLocal(model: NetworkModel, region: string): NetworkModel {
  return editTransitGatewayRoutes(model, region, id.mainTable(region), (routes) =>
    routes.map((route) => (TWO_APPS.some((app) => app.cidr === route.destinationCidr) ? staticRoute(route.destinationCidr, id.workloadAttachment(region)) : route)),
  );
}

describe("reachReport on a healthy pair", () => {
  const report = reachReport(pair(), spec(PRIMARY));

  test("GIVEN the primary is active WHEN reported THEN every client reaches the primary copy of every workload and hears back", () => {
    const clientRows = rowsOf(report, "client-to-workload");

    expect(clientRows).toHaveLength(clients().length * TWO_APPS.length);
    expect(clientRows.every((row) => row.verdict === "delivered" && row.region === PRIMARY && row.ok)).toBe(true);
    expect(clientRows.every((row) => row.hops.length > 0 && row.replyHops.length > 0)).toBe(true);
  });

  test("GIVEN the secondary is passive WHEN reported THEN its copy of every workload is fenced toward every client", () => {
    const passiveRows = rowsOf(report, "passive-to-client");

    expect(passiveRows).toHaveLength(clients().length * TWO_APPS.length);
    expect(passiveRows.every((row) => row.verdict === "fenced" && row.copyRegion === SECONDARY && row.region === null && row.ok)).toBe(true);
  });

  test("GIVEN workload traffic arriving in the secondary over the peering WHEN reported THEN it goes back to the primary copy, not into the passive one", () => {
    expect(rowsOf(report, "peering-to-passive").map((row) => [row.client, row.destination, row.verdict, row.region, row.ok])).toEqual(
      TWO_APPS.map((app) => [PEERING, app.name, "delivered", PRIMARY, true]),
    );
  });

  test("GIVEN on premises reaches the workloads over the secondary's VPN and is answered over the primary's WHEN reported THEN that is a warning and the exit code is 0", () => {
    expect(report.exitCode).toBe(0);
    expect(failures(report)).toEqual([]);
    expect(warnings(report)).toEqual(TWO_APPS.map((app) => expect.stringMatching(new RegExp(`^onprem-via-${SECONDARY} → ${app.name}: asymmetric path`))));
    expect(report.rows.filter((row) => row.asymmetric).map((row) => row.status)).toEqual(["warning", "warning"]);
  });
});

describe("reachReport: which region is active", () => {
  test.each([PRIMARY, SECONDARY])("GIVEN no active region in the spec and %s routed as active WHEN reported THEN it is inferred and the other copy is checked as passive", (active) => {
    const report = reachReport(pair(active), spec());

    expect(report).toMatchObject({ activeRegion: active, activeRegionSource: "inferred", passiveRegions: [active === PRIMARY ? SECONDARY : PRIMARY], exitCode: 0 });
    expect(rowsOf(report, "passive-to-client").every((row) => row.verdict === "fenced")).toBe(true);
  });

  test("GIVEN the spec names the primary but the network routes to the secondary WHEN reported THEN every client reaches the passive copy and the exit code is 1", () => {
    const report = reachReport(pair(SECONDARY), spec(PRIMARY));

    expect(report.exitCode).toBe(1);
    expect(rowsOf(report, "client-to-workload").every((row) => row.region === SECONDARY && !row.ok)).toBe(true);
    expect(failures(report)).toContainEqual(expect.stringMatching(/reaches the passive copy in eu-west-1/));
  });

  test("GIVEN both regions keep the workloads local and half the clients reach each copy WHEN no region is named THEN it cannot be inferred and the exit code is 1", () => {
    const report = reachReport(keepWorkloadsLocal(pair(), SECONDARY), spec());

    expect(report).toMatchObject({ activeRegion: null, activeRegionSource: "unknown", passiveRegions: [], exitCode: 1 });
    expect(failures(report)).toContainEqual(expect.stringMatching(/split evenly.*cannot be inferred/));
  });
});

describe("reachReport: what fails", () => {
  test.each([
    {
      name: "the passive copy's fence is replaced by real routes",
      model: () =>
        editTransitGatewayRoutes(pair(), SECONDARY, id.workloadTable(SECONDARY), () => [
          staticRoute("10.20.0.0/16", id.managementAttachment(SECONDARY)),
          staticRoute("10.10.0.0/16", PEERING),
          staticRoute(ON_PREMISES_CIDR, id.vpnAttachment(SECONDARY)),
        ]),
      failing: "passive-to-client",
      message: /passive copy of app in eu-west-1 → dc-us-east-1: reachable/,
    },
    {
      name: "a client in the passive region reaches the passive copy",
      model: () => keepWorkloadsLocal(pair(), SECONDARY),
      failing: "client-to-workload",
      message: /dc-eu-west-1 → app: reaches the passive copy in eu-west-1 \(the reply: fenced/,
    },
    {
      name: "the active region lost its routes to the workloads",
      model: () => editTransitGatewayRoutes(pair(), PRIMARY, id.mainTable(PRIMARY), (routes) => routes.filter((r) => !TWO_APPS.some((app) => app.cidr === r.destinationCidr))),
      failing: "client-to-workload",
      message: /dc-us-east-1 → app: cannot reach the active copy in us-east-1: no-route on the forward leg/,
    },
    {
      name: "both regions send the workloads over the peering",
      model: () =>
        editTransitGatewayRoutes(pair(), PRIMARY, id.mainTable(PRIMARY), (routes) =>
          routes.map((r) => (TWO_APPS.some((app) => app.cidr === r.destinationCidr) ? staticRoute(r.destinationCidr, PEERING) : r)),
        ),
      failing: "client-to-workload",
      message: /dc-us-east-1 → app: routing loop on the forward leg/,
    },
    {
      name: "the passive region delivers peering traffic for the workloads into its copy",
      // The peering gets its own table in the secondary: the main table's routes, but the workloads local.
      model: () =>
        editTransitGateway(pair(), SECONDARY, (tgw) => ({
          ...tgw,
          attachments: tgw.attachments.map((a) => (a.attachmentId === PEERING ? { ...a, associatedRouteTableId: "tgw-rtb-peering" } : a)),
          routeTables: [
            ...tgw.routeTables,
            {
              routeTableId: "tgw-rtb-peering",
              routes: tgw.routeTables
                .find((t) => t.routeTableId === id.mainTable(SECONDARY))!
                .routes.map((r) => (TWO_APPS.some((app) => app.cidr === r.destinationCidr) ? staticRoute(r.destinationCidr, id.workloadAttachment(SECONDARY)) : r)),
            },
          ],
        })),
      failing: "peering-to-passive",
      message: /app traffic arriving in eu-west-1 over tgw-attach-peering: enters the passive copy/,
    },
  ])("GIVEN $name WHEN reported THEN $failing rows fail and the exit code is 1", ({ model, failing, message }) => {
    const report = reachReport(model(), spec(PRIMARY));

    expect(report.exitCode).toBe(1);
    expect(failures(report)).toContainEqual(expect.stringMatching(message));
    expect(rowsOf(report, failing).some((row) => row.status === "failure" && !row.ok)).toBe(true);
  });

  test("GIVEN the passive copy's table has no routes at all instead of the fence WHEN reported THEN the rows are not ok but only warnings, and the exit code is 0", () => {
    const model = editTransitGatewayRoutes(pair(), SECONDARY, id.workloadTable(SECONDARY), () => []);

    const report = reachReport(model, spec(PRIMARY));

    expect(rowsOf(report, "passive-to-client").every((row) => row.verdict === "no-route" && !row.ok && row.status === "warning")).toBe(true);
    expect(warnings(report)).toContainEqual(expect.stringMatching(/passive copy of app in eu-west-1 → dc-us-east-1: not fenced, only no-route/));
    expect(report.exitCode).toBe(0);
  });

  test("GIVEN the fence is a static blackhole per client CIDR instead of 0.0.0.0/0 WHEN reported THEN the passive copy is still fenced", () => {
    const model = editTransitGatewayRoutes(pair(), SECONDARY, id.workloadTable(SECONDARY), () => [fence("10.10.0.0/16"), fence("10.20.0.0/16"), fence(ON_PREMISES_CIDR)]);

    const report = reachReport(model, spec(PRIMARY));

    expect(rowsOf(report, "passive-to-client").map((row) => row.verdict)).toEqual(Array(clients().length * TWO_APPS.length).fill("fenced"));
    expect(report.exitCode).toBe(0);
  });

  test("GIVEN an attachment that is not available WHEN reported THEN only the client entering through it fails", () => {
    const model = editAttachment(pair(), SECONDARY, id.vpnAttachment(SECONDARY), (a) => ({ ...a, state: "deleting" }));

    const report = reachReport(model, spec(PRIMARY));

    const failing = rowsOf(report, "client-to-workload").filter((row) => !row.ok);
    expect(failing.map((row) => [row.client, row.verdict, row.failedLeg])).toEqual(TWO_APPS.map(() => [`onprem-via-${SECONDARY}`, "blackhole", "forward"]));
    expect(report.exitCode).toBe(1);
  });
});

describe("reachReport: a region that could not be read", () => {
  test("GIVEN the passive region was not read WHEN reported THEN the rows that need it are unknown, the primary's rows still pass, and the exit code is 0", () => {
    const report = reachReport(unread(pair(), SECONDARY, "RequestTimeout"), spec());

    expect(report).toMatchObject({ activeRegion: PRIMARY, activeRegionSource: "inferred", unreadRegions: [{ region: SECONDARY, reason: "RequestTimeout" }], exitCode: 0 });
    const primaryClientRows = report.rows.filter((row) => row.kind === "client-to-workload" && row.client.endsWith(PRIMARY));
    expect(primaryClientRows.every((row) => row.ok && row.status === "ok")).toBe(true);
    const unknownRows = report.rows.filter((row) => row.verdict === "unknown");
    // The secondary's two clients per workload, every passive row, and the peering rows.
    expect(unknownRows).toHaveLength(2 * TWO_APPS.length + clients().length * TWO_APPS.length + TWO_APPS.length);
    expect(unknownRows.every((row) => row.status === "unknown" && row.reason?.includes(`region ${SECONDARY} was not read`))).toBe(true);
    expect(failures(report)).toEqual([]);
    expect(warnings(report)).toContainEqual(`region ${SECONDARY} was not read (RequestTimeout): ${unknownRows.length} row(s) that need it are unknown`);
  });

  test("GIVEN the active region was not read WHEN reported THEN it is inferred from where the secondary's requests head, the client rows are unknown, the passive copy is still shown fenced, and the exit code is 0", () => {
    const report = reachReport(unread(pair(), PRIMARY), spec());

    expect(report).toMatchObject({ activeRegion: PRIMARY, activeRegionSource: "inferred", passiveRegions: [SECONDARY] });

    expect(rowsOf(report, "client-to-workload").every((row) => row.verdict === "unknown")).toBe(true);
    expect(rowsOf(report, "passive-to-client").every((row) => row.verdict === "fenced" && row.ok)).toBe(true);
    expect(report.exitCode).toBe(0);
  });

  test("GIVEN on premises reaches the passive copy and its reply heads into the unread active region WHEN reported THEN the row fails: reaching the passive copy is enough", () => {
    let model = keepWorkloadsLocal(pair(), SECONDARY);
    model = editTransitGatewayRoutes(model, SECONDARY, id.workloadTable(SECONDARY), () => [staticRoute(ON_PREMISES_CIDR, PEERING)]);
    model = unread(model, PRIMARY);

    const report = reachReport(model, spec(PRIMARY));

    const row = report.rows.find((r) => r.kind === "client-to-workload" && r.client === `onprem-via-${SECONDARY}` && r.destination === "app");
    expect(row).toMatchObject({ verdict: "unknown", failedLeg: "reply", region: SECONDARY, ok: false, status: "failure" });
    expect(failures(report)).toContainEqual(expect.stringMatching(new RegExp(`^onprem-via-${SECONDARY} → app: reaches the passive copy in ${SECONDARY} \\(the reply: region ${PRIMARY} was not read`)));
    expect(report.exitCode).toBe(1);
  });

  test("GIVEN neither region was read WHEN reported THEN nothing could be checked, which is a failure", () => {
    const report = reachReport(unread(unread(pair(), PRIMARY), SECONDARY), spec(PRIMARY));

    expect(report.rows.every((row) => row.verdict === "unknown")).toBe(true);
    expect(failures(report)).toEqual(["nothing could be checked: every row needs a region that was not read"]);
    expect(report.exitCode).toBe(1);
  });
});

describe("reachReport: the spec", () => {
  test.each([
    { name: "an active region outside the model", spec: { ...spec(), activeRegion: "ap-south-1" }, field: /activeRegion "ap-south-1"/ },
    { name: "a client source IP that is not an address", spec: { ...spec(), clients: [{ ...clients()[0], sourceIp: "10.10.0" }] }, field: /clients\[0\] \(dc-us-east-1\)\.sourceIp/ },
    { name: "a probe IP outside its workload CIDR", spec: { ...spec(), workloads: [{ ...TWO_APPS[0], probeIp: "10.200.0.1" }] }, field: /workloads\[0\] \(app\)\.probeIp 10.200.0.1 is outside/ },
    { name: "a workload CIDR with host bits", spec: { ...spec(), workloads: [{ ...TWO_APPS[0], cidr: "10.100.0.1/16" }] }, field: /workloads\[0\] \(app\)\.cidr/ },
  ])("GIVEN $name WHEN reported THEN a usage error names the field", ({ spec: badSpec, field }) => {
    expect(() => reachReport(pair(), badSpec)).toThrow(UsageError);
    expect(() => reachReport(pair(), badSpec)).toThrow(field);
  });
});
