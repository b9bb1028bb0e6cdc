import { Hop, TraceStart, tracePacket } from "../../../../scripts/reach/trace";
import {
  ON_PREMISES_CIDR,
  ON_PREMISES_HOST,
  PEERING,
  PRIMARY,
  SECONDARY,
  buildPair,
  domainController,
  editAttachment,
  editSubnets,
  editTransitGatewayRoutes,
  editVpcRoutes,
  id,
  staticRoute,
  unread,
  workloads,
} from "./network-builders";

const APP = workloads(1)[0];
const dcIn = (region: string): TraceStart => ({ kind: "subnet", region, subnetId: id.managementSubnet(region, "a") });
const onPremisesVia = (region: string): TraceStart => ({ kind: "attachment", region, attachmentId: id.vpnAttachment(region) });
const passiveCopy: TraceStart = { kind: "address", region: SECONDARY, address: APP.probeIp };

/** The hops as `region kind id`, with the direction of attachments and the matched destination of route tables. */
function path(hops: readonly Hop[]): string[] {
  return hops.map((hop) =>
    hop.kind === "attachment" ? `${hop.region} ${hop.direction} ${hop.id}` : `${hop.region} ${hop.id} ${hop.route.destinationCidr}`,
  );
}

describe("tracePacket: delivered", () => {
  test("GIVEN the primary is active WHEN its domain controller sends to the workload THEN the packet goes VPC table → TGW → workload attachment and is delivered in the primary", () => {
    const trace = tracePacket(buildPair(), dcIn(PRIMARY), APP.probeIp);

    expect(trace.end).toEqual({ kind: "delivered-to-vpc", region: PRIMARY, vpcId: id.workloadVpc(PRIMARY), subnetId: id.workloadSubnet(PRIMARY, "app", "a") });
    expect(path(trace.hops)).toEqual([
      `${PRIMARY} ${id.managementRouteTable(PRIMARY)} ${APP.cidr}`,
      `${PRIMARY} in ${id.managementAttachment(PRIMARY)}`,
      `${PRIMARY} ${id.mainTable(PRIMARY)} ${APP.cidr}`,
      `${PRIMARY} out ${id.workloadAttachment(PRIMARY)}`,
    ]);
  });

  test("GIVEN the primary is active WHEN the secondary's domain controller sends to the workload THEN it crosses the peering and the primary's copy receives it", () => {
    const trace = tracePacket(buildPair(), dcIn(SECONDARY), APP.probeIp);

    expect(trace.end).toMatchObject({ kind: "delivered-to-vpc", region: PRIMARY, vpcId: id.workloadVpc(PRIMARY) });
    expect(path(trace.hops)).toEqual([
      `${SECONDARY} ${id.managementRouteTable(SECONDARY)} ${APP.cidr}`,
      `${SECONDARY} in ${id.managementAttachment(SECONDARY)}`,
      `${SECONDARY} ${id.mainTable(SECONDARY)} ${APP.cidr}`,
      `${SECONDARY} out ${PEERING}`,
      `${PRIMARY} in ${PEERING}`,
      `${PRIMARY} ${id.mainTable(PRIMARY)} ${APP.cidr}`,
      `${PRIMARY} out ${id.workloadAttachment(PRIMARY)}`,
    ]);
  });

  test("GIVEN the secondary is active WHEN on premises sends through the primary's VPN THEN the secondary's copy receives it", () => {
    const trace = tracePacket(buildPair({ activeRegion: SECONDARY }), onPremisesVia(PRIMARY), APP.probeIp);

    expect(trace.end).toMatchObject({ kind: "delivered-to-vpc", region: SECONDARY, vpcId: id.workloadVpc(SECONDARY) });
  });

  test("GIVEN the workload replies to on premises WHEN traced THEN it leaves through the active region's VPN attachment", () => {
    const trace = tracePacket(buildPair(), { kind: "address", region: PRIMARY, address: APP.probeIp }, ON_PREMISES_HOST);

    expect(trace.end).toEqual({ kind: "left-through-attachment", region: PRIMARY, attachmentId: id.vpnAttachment(PRIMARY), attachmentType: "vpn" });
  });
});

describe("tracePacket: longest prefix and route priority", () => {
  // The secondary is active for the /16; the primary keeps one /24 of it local.
  const localSlash24 = staticRoute("10.100.0.0/24", id.workloadAttachment(PRIMARY));

  test.each([
    ["after", (routes: readonly ReturnType<typeof staticRoute>[]) => [...routes, localSlash24]],
    ["before", (routes: readonly ReturnType<typeof staticRoute>[]) => [localSlash24, ...routes]],
  ])("GIVEN a /24 listed %s the /16 that covers it WHEN traced THEN the /24 decides inside it and the /16 outside it", (_, addRoute) => {
    const model = editTransitGatewayRoutes(buildPair({ activeRegion: SECONDARY }), PRIMARY, id.mainTable(PRIMARY), addRoute);

    expect(tracePacket(model, dcIn(PRIMARY), "10.100.0.20").end).toMatchObject({ kind: "delivered-to-vpc", region: PRIMARY });
    expect(tracePacket(model, dcIn(PRIMARY), "10.100.1.20").end).toMatchObject({ kind: "delivered-to-vpc", region: SECONDARY });
  });

  test.each(["after", "before"])("GIVEN a static route listed %s a propagated route for the same CIDR WHEN traced THEN the static route wins", (order) => {
    // The builder's table propagates the on-premises CIDR from the local VPN; the static route sends it over the peering.
    const overPeering = staticRoute(ON_PREMISES_CIDR, PEERING);
    const model = editTransitGatewayRoutes(buildPair(), PRIMARY, id.mainTable(PRIMARY), (routes) => (order === "after" ? [...routes, overPeering] : [overPeering, ...routes]));

    const trace = tracePacket(model, dcIn(PRIMARY), ON_PREMISES_HOST);

    expect(trace.end).toEqual({ kind: "left-through-attachment", region: SECONDARY, attachmentId: id.vpnAttachment(SECONDARY), attachmentType: "vpn" });
  });

  test("GIVEN a subnet route table with 0.0.0.0/0 to the TGW and no local route copied WHEN a host sends inside its own VPC THEN the VPC's local route keeps it in the VPC", () => {
    const model = editVpcRoutes(buildPair(), PRIMARY, id.managementRouteTable(PRIMARY), (routes) => [
      { destinationCidr: "0.0.0.0/0", target: { kind: "transit-gateway", transitGatewayId: id.transitGateway(PRIMARY) }, state: "active" },
      ...routes.filter((route) => route.target.kind !== "local"),
    ]);

    const trace = tracePacket(model, dcIn(PRIMARY), "10.10.1.30");

    expect(trace.end).toEqual({ kind: "delivered-to-vpc", region: PRIMARY, vpcId: id.managementVpc(PRIMARY), subnetId: id.managementSubnet(PRIMARY, "b") });
    expect(path(trace.hops)).toEqual([`${PRIMARY} ${id.managementRouteTable(PRIMARY)} 10.10.0.0/16`]);
  });
});

describe("tracePacket: blackhole (dropped by accident)", () => {
  test.each([
    {
      name: "the workload attachment the route targets was deleted",
      model: () => editAttachment(buildPair(), PRIMARY, id.workloadAttachment(PRIMARY), () => undefined),
      at: id.mainTable(PRIMARY),
    },
    {
      name: "the workload attachment is not available",
      model: () => editAttachment(buildPair(), PRIMARY, id.workloadAttachment(PRIMARY), (a) => ({ ...a, state: "deleting" })),
      at: id.workloadAttachment(PRIMARY),
    },
    {
      name: "the route to the workload is a blackhole because its attachment is gone",
      model: () =>
        editTransitGatewayRoutes(buildPair(), PRIMARY, id.mainTable(PRIMARY), (routes) =>
          routes.map((route) => (route.destinationCidr === APP.cidr ? { ...route, state: "blackhole" as const } : route)),
        ),
      at: id.mainTable(PRIMARY),
    },
    {
      name: "the VPN attachment the client enters through is not available",
      model: () => editAttachment(buildPair(), PRIMARY, id.vpnAttachment(PRIMARY), (a) => ({ ...a, state: "pending" })),
      at: id.vpnAttachment(PRIMARY),
    },
    {
      name: "every tunnel of the client's VPN is down",
      model: () => editAttachment(buildPair(), PRIMARY, id.vpnAttachment(PRIMARY), (a) => ({ ...a, tunnelStatuses: ["DOWN", "DOWN"] })),
      at: id.vpnAttachment(PRIMARY),
    },
  ])("GIVEN $name WHEN on premises sends to the workload THEN the packet is blackholed at $at", ({ model, at }) => {
    const trace = tracePacket(model(), onPremisesVia(PRIMARY), APP.probeIp);

    expect(trace.end).toMatchObject({ kind: "blackhole", region: PRIMARY, at });
  });

  test("GIVEN the peering attachment is gone on the active side WHEN the secondary's host sends to the workload THEN it is blackholed entering the primary", () => {
    const model = editAttachment(buildPair(), PRIMARY, PEERING, () => undefined);

    expect(tracePacket(model, dcIn(SECONDARY), APP.probeIp).end).toMatchObject({ kind: "blackhole", region: PRIMARY, at: PEERING });
  });

  test("GIVEN the VPC attachment has no subnet in the sender's zone WHEN a host there sends to the TGW THEN it is blackholed, as AWS drops it", () => {
    const model = editAttachment(buildPair(), PRIMARY, id.managementAttachment(PRIMARY), (a) =>
      a.type === "vpc" ? { ...a, subnetIds: [id.managementSubnet(PRIMARY, "b")] } : a,
    );

    expect(tracePacket(model, dcIn(PRIMARY), APP.probeIp).end).toMatchObject({ kind: "blackhole", at: id.managementAttachment(PRIMARY) });
    expect(tracePacket(model, { kind: "subnet", region: PRIMARY, subnetId: id.managementSubnet(PRIMARY, "b") }, APP.probeIp).end.kind).toBe("delivered-to-vpc");
  });
});

describe("tracePacket: no route", () => {
  test.each([
    {
      name: "the TGW table has no route for the workload",
      model: () => editTransitGatewayRoutes(buildPair(), PRIMARY, id.mainTable(PRIMARY), (routes) => routes.filter((r) => r.destinationCidr !== APP.cidr)),
      destination: APP.probeIp,
      at: id.mainTable(PRIMARY),
    },
    {
      name: "the subnet's route table has no route for the workload",
      model: () => editVpcRoutes(buildPair(), PRIMARY, id.managementRouteTable(PRIMARY), (routes) => routes.filter((r) => r.destinationCidr !== APP.cidr)),
      destination: APP.probeIp,
      at: id.managementRouteTable(PRIMARY),
    },
    {
      name: "the address is in the workload block but in none of its subnets",
      model: () => buildPair(),
      destination: "10.100.200.20",
      at: id.workloadVpc(PRIMARY),
    },
    {
      name: "the workload subnet holding the address was deleted",
      model: () => editSubnets(buildPair(), PRIMARY, (subnets) => subnets.filter((s) => s.subnetId !== id.workloadSubnet(PRIMARY, "app", "a"))),
      destination: APP.probeIp,
      at: id.workloadVpc(PRIMARY),
    },
    {
      name: "the VPC route sends the packet to a NAT gateway",
      model: () =>
        editVpcRoutes(buildPair(), PRIMARY, id.managementRouteTable(PRIMARY), (routes) =>
          routes.map((r) => (r.destinationCidr === APP.cidr ? { ...r, target: { kind: "other" as const, id: "nat-0abc" } } : r)),
        ),
      destination: APP.probeIp,
      at: id.managementRouteTable(PRIMARY),
    },
  ])("GIVEN $name WHEN the primary's host sends THEN the trace ends as no-route at $at", ({ model, destination, at }) => {
    const trace = tracePacket(model(), dcIn(PRIMARY), destination);

    expect(trace.end).toMatchObject({ kind: "no-route", region: PRIMARY, at });
  });

  test("GIVEN a packet for an address outside the VPC WHEN it enters the VPC from the TGW and the attachment subnet's table has no route THEN it is no-route there", () => {
    // The primary's TGW sends 172.16.0.0/12 into the workload VPC, which does not hold it.
    const model = editTransitGatewayRoutes(buildPair(), PRIMARY, id.mainTable(PRIMARY), (routes) => [...routes, staticRoute("172.16.0.0/12", id.workloadAttachment(PRIMARY))]);

    const trace = tracePacket(model, onPremisesVia(PRIMARY), "172.16.0.5");

    expect(trace.end).toMatchObject({ kind: "no-route", region: PRIMARY, at: id.workloadRouteTable(PRIMARY) });
  });
});

describe("tracePacket: loops and fences", () => {
  test("GIVEN both TGWs send the workload CIDR over the peering WHEN a host sends to it THEN the trace ends as a loop at the repeated (TGW, attachment)", () => {
    const model = editTransitGatewayRoutes(buildPair(), PRIMARY, id.mainTable(PRIMARY), (routes) =>
      routes.map((r) => (r.destinationCidr === APP.cidr ? { ...r, attachmentId: PEERING } : r)),
    );

    const trace = tracePacket(model, dcIn(PRIMARY), APP.probeIp);

    expect(trace.end).toMatchObject({ kind: "loop", region: SECONDARY, at: PEERING });
    // The second entry into the secondary through the peering is where it stops.
    expect(path(trace.hops).filter((hop) => hop.includes(" in "))).toEqual([
      `${PRIMARY} in ${id.managementAttachment(PRIMARY)}`,
      `${SECONDARY} in ${PEERING}`,
      `${PRIMARY} in ${PEERING}`,
    ]);
  });

  test("GIVEN a VPC whose attachment subnet routes a foreign CIDR back to the TGW WHEN the TGW sends that CIDR into the VPC THEN the trace ends as a loop", () => {
    let model = editTransitGatewayRoutes(buildPair(), PRIMARY, id.mainTable(PRIMARY), (routes) => [...routes, staticRoute("172.16.0.0/12", id.workloadAttachment(PRIMARY))]);
    model = editTransitGatewayRoutes(model, PRIMARY, id.workloadTable(PRIMARY), (routes) => [...routes, staticRoute("172.16.0.0/12", id.workloadAttachment(PRIMARY))]);
    model = editVpcRoutes(model, PRIMARY, id.workloadRouteTable(PRIMARY), (routes) => [
      ...routes,
      { destinationCidr: "172.16.0.0/12", target: { kind: "transit-gateway", transitGatewayId: id.transitGateway(PRIMARY) }, state: "active" },
    ]);

    expect(tracePacket(model, onPremisesVia(PRIMARY), "172.16.0.5").end).toMatchObject({ kind: "loop", region: PRIMARY, at: id.workloadAttachment(PRIMARY) });
  });

  test("GIVEN the passive copy's TGW route table blackholes everything WHEN the passive copy sends to any client THEN it is fenced there", () => {
    for (const destination of [domainController(PRIMARY), domainController(SECONDARY), ON_PREMISES_HOST]) {
      expect(tracePacket(buildPair(), passiveCopy, destination).end).toEqual({
        kind: "fenced",
        region: SECONDARY,
        routeTableId: id.workloadTable(SECONDARY),
        destinationCidr: "0.0.0.0/0",
      });
    }
  });

  test("GIVEN the passive region's clients route the workload CIDRs over the peering WHEN they send to the workload THEN the active copy receives it, not the passive one", () => {
    for (const start of [dcIn(SECONDARY), onPremisesVia(SECONDARY)]) {
      expect(tracePacket(buildPair(), start, APP.probeIp).end).toMatchObject({ kind: "delivered-to-vpc", region: PRIMARY });
    }
  });
});

describe("tracePacket: a region that was not read", () => {
  test("GIVEN the primary was not read WHEN the secondary's host sends to the workload over the peering THEN the trace ends unknown in the primary, after the hops it could follow", () => {
    const trace = tracePacket(unread(buildPair(), PRIMARY, "RequestTimeout"), dcIn(SECONDARY), APP.probeIp);

    expect(trace.end).toMatchObject({ kind: "unknown", region: PRIMARY });
    expect(trace.end.kind === "unknown" && trace.end.reason).toMatch(/RequestTimeout/);
    expect(path(trace.hops).at(-1)).toBe(`${SECONDARY} out ${PEERING}`);
  });

  test("GIVEN the secondary was not read WHEN a packet starts there THEN the trace ends unknown with no hops", () => {
    const trace = tracePacket(unread(buildPair(), SECONDARY), onPremisesVia(SECONDARY), APP.probeIp);

    expect(trace).toMatchObject({ hops: [], end: { kind: "unknown", region: SECONDARY } });
  });
});

describe("tracePacket: input", () => {
  test("GIVEN a destination that is not an IPv4 address WHEN traced THEN it throws naming the value", () => {
    expect(() => tracePacket(buildPair(), dcIn(PRIMARY), "10.100.0")).toThrow(/"10.100.0"/);
  });
});
