import { TransitRoute, movesOnFailover, targetWhen, transitRoutes, vpcRoutesToTransitGateway } from "../../config/transit-routes";
import { topologyWith } from "../support/topologies";

/** `table cidr → target` for one region and one active/passive position. */
function table(routes: readonly TransitRoute[], active: boolean): string[] {
  return routes
    .map((route) => {
      const target = targetWhen(route, active);
      return `${route.table} ${route.cidr} → ${target.kind === "connection" ? `connection ${target.name}` : target.kind}`;
    })
    .sort();
}

describe("the routing design", () => {
  const topology = topologyWith();
  const primary = transitRoutes(topology, "primary");

  test("GIVEN the primary active WHEN listing its routes THEN clients reach the local workload VPC and the workload VPC reaches the management VPCs and the clients", () => {
    expect(table(primary, true)).toEqual(
      [
        "clients 10.30.0.0/16 → management-vpc",
        "clients 10.40.0.0/16 → peering",
        "clients 10.60.0.0/20 → workload-vpc",
        "clients 10.61.0.0/22 → workload-vpc",
        "clients 192.168.0.0/16 → connection office",
        "peering 10.30.0.0/16 → management-vpc",
        "peering 10.60.0.0/20 → workload-vpc",
        "peering 10.61.0.0/22 → workload-vpc",
        "peering 192.168.0.0/16 → connection office",
        "workload 10.30.0.0/16 → management-vpc",
        "workload 10.40.0.0/16 → peering",
        "workload 192.168.0.0/16 → connection office",
      ].sort(),
    );
  });

  test("GIVEN the primary passive WHEN listing its routes THEN clients are sent over the peering, and the workload copy is fenced both ways", () => {
    expect(table(primary, false)).toEqual(
      [
        "clients 10.30.0.0/16 → management-vpc",
        "clients 10.40.0.0/16 → peering",
        "clients 10.60.0.0/20 → peering",
        "clients 10.61.0.0/22 → peering",
        "clients 192.168.0.0/16 → connection office",
        "peering 10.30.0.0/16 → management-vpc",
        "peering 10.60.0.0/20 → blackhole",
        "peering 10.61.0.0/22 → blackhole",
        "peering 192.168.0.0/16 → connection office",
        "workload 10.30.0.0/16 → blackhole",
        "workload 10.40.0.0/16 → blackhole",
        "workload 192.168.0.0/16 → blackhole",
      ].sort(),
    );
  });

  test("GIVEN either position WHEN reading the peering table THEN nothing in it points back at the peering, so no packet can loop between the regions", () => {
    for (const role of ["primary", "secondary"] as const) {
      for (const active of [true, false]) {
        expect(transitRoutes(topology, role).filter((r) => r.table === "peering" && targetWhen(r, active).kind === "peering")).toEqual([]);
      }
    }
  });

  test("GIVEN a failover WHEN counting the routes it moves THEN those are the workload routes of the clients and peering tables and every workload-table route", () => {
    expect(primary.filter(movesOnFailover).map((r) => r.id).sort()).toEqual(
      [
        "clients-workload-app",
        "clients-workload-db",
        "peering-workload-app",
        "peering-workload-db",
        "workload-management-local",
        "workload-management-remote",
        "workload-client-192-168-0-0-16",
      ].sort(),
    );
  });

  test("GIVEN a client network only the secondary connects to WHEN the primary routes it THEN it goes over the peering, and the primary's peering table has no route for it", () => {
    const onlySecondary = topologyWith((t) => (t.onPremises.connections[0].cidrs = ["172.20.0.0/16"]));
    const routes = transitRoutes(onlySecondary, "primary");
    const to = (tableName: string, cidr: string) => routes.find((r) => r.table === tableName && r.cidr === cidr);
    expect(to("clients", "192.168.0.0/16")?.whileActive).toEqual({ kind: "peering" });
    expect(to("workload", "192.168.0.0/16")?.whileActive).toEqual({ kind: "peering" });
    expect(to("peering", "192.168.0.0/16")).toBeUndefined();
    expect(to("peering", "172.20.0.0/16")?.whileActive).toEqual({ kind: "connection", name: "office" });
  });

  test("GIVEN route ids WHEN the topology lists workloads in another order THEN each route keeps its id (ids never come from list positions)", () => {
    const reordered = topologyWith((t) => t.workloads.reverse());
    expect(transitRoutes(reordered, "primary").map((r) => r.id).sort()).toEqual(primary.map((r) => r.id).sort());
    expect(new Set(primary.map((r) => r.id)).size).toBe(primary.length);
  });

  test("GIVEN the VPCs WHEN listing what they send to the transit gateway THEN the management VPC sends the workloads, and the workload VPC never sends another workload CIDR", () => {
    expect(vpcRoutesToTransitGateway(topology, "secondary")).toEqual({
      management: ["10.60.0.0/20", "10.61.0.0/22", "10.30.0.0/16", "192.168.0.0/16"],
      workload: ["10.40.0.0/16", "10.30.0.0/16", "192.168.0.0/16"],
    });
  });
});
