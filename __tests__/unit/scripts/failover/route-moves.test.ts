/**
 * Which routes a failover moves, from the design and what the API says: hand-built regions, so
 * the rules are shown without an emulator.
 */
import { movesOnFailover, transitRoutes } from "../../../../config/transit-routes";
import { describeState, planRouteMoves } from "../../../../scripts/failover/route-moves";
import { checkRoutes } from "../../../../scripts/failover/verify-routes";
import { RegionTransit, RouteState } from "../../../../scripts/lib/route-inspection";
import { topologyWith } from "../../../support/topologies";

const topology = topologyWith();
const design = transitRoutes(topology, "primary");
const transit: RegionTransit = {
  routeTableIds: { clients: "tgw-rtb-c", peering: "tgw-rtb-p", workload: "tgw-rtb-w" },
  attachments: { managementVpc: "tgw-attach-m", workloadVpc: "tgw-attach-w", peering: "tgw-attach-p", connections: { office: "tgw-attach-v" } },
};
const missing = (what: string) => `${what} is missing`;
const attachment = (attachmentId: string): RouteState => ({ kind: "attachment", attachmentId, active: true });

/** Every route where the design puts it when the primary is `active` or not. */
function routedAs(active: boolean): Map<string, RouteState> {
  const id = { "management-vpc": "tgw-attach-m", "workload-vpc": "tgw-attach-w", peering: "tgw-attach-p", connection: "tgw-attach-v" } as const;
  return new Map(design.map((r) => {
    const target = active ? r.whileActive : r.whilePassive;
    return [r.id, target.kind === "blackhole" ? { kind: "blackhole" } : attachment(id[target.kind])];
  }));
}

describe("planning the moves of a failover", () => {
  test("GIVEN the primary active WHEN making it passive THEN exactly the moving routes are replaced: workloads over the peering, the peering and workload tables blackholed", () => {
    const plan = planRouteMoves(design, transit, routedAs(true), false, missing);
    expect(plan.problems).toEqual([]);
    expect(plan.moves.map((m) => [m.route.id, m.action, m.to])).toEqual(
      design.filter(movesOnFailover).map((r) => [r.id, "replace", r.table === "clients" ? { attachmentId: "tgw-attach-p" } : "blackhole"]),
    );
    // Non-moving routes (management, clients behind the VPN) are terraform's, never the failover's.
    expect(plan.moves.map((m) => m.route.id)).not.toContain("clients-management-local");
  });

  test("GIVEN routes already where the design wants them WHEN planning THEN every move is none", () => {
    expect(planRouteMoves(design, transit, routedAs(false), false, missing).moves.every((m) => m.action === "none")).toBe(true);
  });

  test("GIVEN a moving route that does not exist WHEN planning THEN it is created", () => {
    const current = routedAs(true);
    current.delete("clients-workload-app");
    const move = planRouteMoves(design, transit, current, false, missing).moves.find((m) => m.route.id === "clients-workload-app");
    expect(move).toMatchObject({ action: "create", from: { kind: "missing" }, to: { attachmentId: "tgw-attach-p" } });
  });

  test("GIVEN no peering attachment or no workload table WHEN planning THEN the routes that need them are problems, not guesses", () => {
    const plan = planRouteMoves(design, { ...transit, routeTableIds: { ...transit.routeTableIds, workload: undefined }, attachments: { ...transit.attachments, peering: undefined } }, routedAs(true), false, missing);
    expect(plan.problems).toEqual(
      expect.arrayContaining(["clients-workload-app: the peering attachment is missing", "workload-management-local: the workload route table is missing"]),
    );
    expect(plan.moves.map((m) => m.route.id)).toEqual(["peering-workload-app", "peering-workload-db"]);
  });

  test("GIVEN a blackhole target WHEN described THEN it reads as blackhole (fenced)", () => {
    expect(describeState("blackhole")).toBe("blackhole (fenced)");
    expect(describeState({ kind: "blackhole" })).toBe("blackhole (fenced)");
    expect(describeState({ kind: "missing" })).toBe("no route");
  });
});

describe("verifying a region against the design", () => {
  test("GIVEN every route as designed WHEN checked THEN there is no mismatch", () => {
    expect(checkRoutes(design, transit, routedAs(false), false)).toEqual({ checked: design.length, mismatches: [] });
  });

  test("GIVEN one workload route still local and one fence route open WHEN checked THEN both are reported with what was expected", () => {
    const current = routedAs(false);
    current.set("clients-workload-db", attachment("tgw-attach-w"));
    current.set("workload-management-local", attachment("tgw-attach-m"));
    expect(checkRoutes(design, transit, current, false).mismatches).toEqual([
      { id: "clients-workload-db", cidr: "10.61.0.0/22", expected: "peering tgw-attach-p", actual: "tgw-attach-w", ok: false },
      { id: "workload-management-local", cidr: "10.30.0.0/16", expected: "blackhole (fenced)", actual: "tgw-attach-m", ok: false },
    ]);
  });

  test("GIVEN a route to the right attachment that AWS reports as blackhole (attachment down) WHEN checked THEN it is a mismatch", () => {
    const current = routedAs(true);
    current.set("clients-workload-app", { kind: "attachment", attachmentId: "tgw-attach-w", active: false });
    expect(checkRoutes(design, transit, current, true).mismatches.map((m) => m.id)).toEqual(["clients-workload-app"]);
  });
});
