import { transitRoutes } from "../../../../config/transit-routes";
import { assessRouting } from "../../../../scripts/restore/routing-state";
import { TOPOLOGY, UNREACHABLE, routingAs } from "./restore-builders";

const design = transitRoutes(TOPOLOGY, "secondary");

describe("routing state read against the design", () => {
  test("GIVEN every route as the design says while active WHEN assessed THEN the region is active and not fenced", () => {
    expect(assessRouting(design, routingAs("secondary", true))).toMatchObject({ mode: "active", fenced: false, deviations: [] });
  });

  test("GIVEN every route as the design says while passive WHEN assessed THEN the region is passive and fenced", () => {
    expect(assessRouting(design, routingAs("secondary", false))).toMatchObject({ mode: "passive", fenced: true, deviations: [] });
  });

  test("GIVEN one workload CIDR pointing at the local copy in a passive region WHEN assessed THEN it is mixed, naming the route", () => {
    const routing = routingAs("secondary", false);
    const clients = routing.tables.clients!.map((r) => (r.cidr === "10.60.0.0/20" ? { ...r, attachmentId: "tgw-attach-work" } : r));
    const assessed = assessRouting(design, { ...routing, tables: { ...routing.tables, clients } });
    expect(assessed.mode).toBe("mixed");
    expect(assessed.reason).toBe("1 moving route(s) as when active, 6 as when passive, 0 neither");
  });

  test("GIVEN a moving route missing and one to an unknown attachment WHEN assessed THEN both are deviations", () => {
    const routing = routingAs("secondary", true);
    const clients = routing.tables.clients!.filter((r) => r.cidr !== "10.60.0.0/20").map((r) => (r.cidr === "10.61.0.0/22" ? { ...r, attachmentId: "tgw-attach-other" } : r));
    const assessed = assessRouting(design, { ...routing, tables: { ...routing.tables, clients } });
    expect(assessed.mode).toBe("mixed");
    expect(assessed.deviations).toEqual(["clients-workload-app (10.60.0.0/20): no route", "clients-workload-db (10.61.0.0/22): points at an attachment regionpair did not make"]);
  });

  test("GIVEN a blackhole caused by a deleted attachment in the workload table WHEN assessed THEN it is not the fence", () => {
    const routing = routingAs("secondary", false);
    const workload = routing.tables.workload!.map((r, i) => (i === 0 ? { ...r, attachmentId: "tgw-attach-gone" } : r));
    expect(assessRouting(design, { ...routing, tables: { ...routing.tables, workload } }).fenced).toBe(false);
  });

  test("GIVEN a region that could not be read WHEN assessed THEN the mode is unknown, with the reason", () => {
    expect(assessRouting(design, UNREACHABLE)).toEqual({ mode: "unknown", fenced: false, reason: "ECONNREFUSED", deviations: [] });
  });
});
