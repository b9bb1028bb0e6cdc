/** The pair's verdict from where each region routes each workload CIDR: table-driven. */
import { RegionStatus, RoutesTo, cidrVerdict, formatStatus, pairStatus } from "../../../../scripts/status/route-status";

const A = "eu-west-1";
const B = "eu-central-1";

describe("the verdict for one workload CIDR", () => {
  test.each<[string, RoutesTo | undefined, RoutesTo | undefined, string, string]>([
    ["both route to the expected region", B, B, B, "ok"],
    ["both agree on the other region", A, A, B, "drift"],
    ["both route to their own copy", A, B, A, "split-brain"],
    ["both send it over the peering", B, A, A, "loop"],
    ["one region has no route", "missing", B, B, "drift"],
    ["one region blackholes it", B, "blackhole", B, "drift"],
    ["only one region answered, routing to the expected region", undefined, B, B, "ok"],
    ["only one region answered, routing elsewhere", A, undefined, B, "drift"],
    ["no region answered", "unknown", undefined, B, "drift"],
  ])("GIVEN %s WHEN judged THEN the verdict is the fifth column", (_label, primary, secondary, expected, verdict) => {
    expect(cidrVerdict("10.60.0.0/20", [primary, secondary], [A, B], expected).verdict).toBe(verdict);
  });
});

const region = (name: string, role: "primary" | "secondary", routesTo: RoutesTo[], fence?: RegionStatus["fence"], reachable = true): RegionStatus => ({
  region: name,
  role,
  reachable,
  routes: routesTo.map((to, i) => ({ cidr: `10.6${i}.0.0/20`, routesTo: to })),
  ...(fence ? { fence } : {}),
});

describe("the pair's status", () => {
  test("GIVEN one CIDR in split brain and one fine WHEN summarized THEN the pair is split-brain", () => {
    const status = pairStatus([region(A, "primary", [A, B]), region(B, "secondary", [B, B])], B);
    expect(status.cidrs.map((c) => c.verdict)).toEqual(["split-brain", "ok"]);
    expect(status.verdict).toBe("split-brain");
  });

  test("GIVEN the workloads routed to B and A's workload table all blackholes WHEN summarized THEN ok, A is the passive copy and it is fenced", () => {
    const status = pairStatus([region(A, "primary", [B, B], { routes: 3, blackholes: 3, fenced: true }), region(B, "secondary", [B, B], { routes: 3, blackholes: 0, fenced: false })], B);
    expect(status).toMatchObject({ verdict: "ok", complete: true, fence: { passiveRegion: A, fenced: true } });
    expect(formatStatus(status)).toContain(`fence: the copy in ${A} is fenced`);
  });

  test("GIVEN the pair routing to B while A is expected WHEN summarized THEN drift, and the fence is judged on the copy that is really passive", () => {
    const status = pairStatus([region(A, "primary", [B]), region(B, "secondary", [B], { routes: 3, blackholes: 1, fenced: false })], A);
    expect(status.verdict).toBe("drift");
    expect(status.fence).toEqual({ passiveRegion: A, fenced: null });
  });

  test("GIVEN one region unreachable WHEN summarized THEN it is listed as unreachable, the verdict covers the other and the status is incomplete", () => {
    const status = pairStatus([region(A, "primary", ["unknown"], undefined, false), region(B, "secondary", [B])], B);
    expect(status).toMatchObject({ verdict: "ok", complete: false, regions: [{ region: A, reachable: false }, { region: B, reachable: true }] });
    expect(formatStatus(status)).toMatch(/eu-west-1\s+unreachable/);
  });
});
