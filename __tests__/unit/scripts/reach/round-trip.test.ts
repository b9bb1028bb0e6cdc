import { traceRoundTrip } from "../../../../scripts/reach/round-trip";
import { Endpoint } from "../../../../scripts/reach/trace";
import {
  ON_PREMISES_CIDR,
  ON_PREMISES_HOST,
  PEERING,
  PRIMARY,
  SECONDARY,
  buildPair,
  domainController,
  editTransitGatewayRoutes,
  editVpcRoutes,
  id,
  staticRoute,
  unread,
  workloads,
} from "./network-builders";

const APP = workloads(1)[0];
const dc = (region: string): Endpoint => ({ kind: "subnet", region, subnetId: id.managementSubnet(region, "a"), sourceIp: domainController(region) });
const onPremisesVia = (region: string): Endpoint => ({ kind: "attachment", region, attachmentId: id.vpnAttachment(region), sourceIp: ON_PREMISES_HOST });

describe("traceRoundTrip", () => {
  test.each([
    { client: "the primary's domain controller", endpoint: dc(PRIMARY) },
    { client: "the secondary's domain controller", endpoint: dc(SECONDARY) },
    { client: "on premises through the primary's VPN", endpoint: onPremisesVia(PRIMARY) },
  ])("GIVEN the primary is active WHEN $client calls the workload THEN it is delivered in the primary, the reply comes back, and the path is symmetric", ({ endpoint }) => {
    const trip = traceRoundTrip(buildPair(), endpoint, APP.probeIp);

    expect(trip).toMatchObject({ verdict: "delivered", region: PRIMARY, asymmetric: false });
    expect(trip.failedLeg).toBeUndefined();
    expect(trip.reply?.end.region).toBe(endpoint.region);
  });

  test("GIVEN on premises connects through both regions WHEN it calls in over the secondary's VPN THEN the reply leaves over the primary's VPN and the path is flagged asymmetric", () => {
    const trip = traceRoundTrip(buildPair(), onPremisesVia(SECONDARY), APP.probeIp);

    expect(trip).toMatchObject({ verdict: "delivered", region: PRIMARY, asymmetric: true });
    expect(trip.reply?.end).toEqual({ kind: "left-through-attachment", region: PRIMARY, attachmentId: id.vpnAttachment(PRIMARY), attachmentType: "vpn" });
    expect(trip.reason).toBe(`request in through ${id.vpnAttachment(SECONDARY)} (${SECONDARY}), reply out through ${id.vpnAttachment(PRIMARY)} (${PRIMARY})`);
  });

  test("GIVEN the active workload table sends on premises back over the peering WHEN on premises calls in over the secondary's VPN THEN the path is symmetric", () => {
    const model = editTransitGatewayRoutes(buildPair(), PRIMARY, id.workloadTable(PRIMARY), (routes) => [
      ...routes.filter((route) => route.destinationCidr !== ON_PREMISES_CIDR),
      staticRoute(ON_PREMISES_CIDR, PEERING),
    ]);

    expect(traceRoundTrip(model, onPremisesVia(SECONDARY), APP.probeIp)).toMatchObject({ verdict: "delivered", asymmetric: false });
  });

  test("GIVEN the workload subnets have no route back to on premises WHEN on premises calls THEN the request arrives but the round trip fails on the reply leg", () => {
    const model = editVpcRoutes(buildPair(), PRIMARY, id.workloadRouteTable(PRIMARY), (routes) => routes.filter((route) => route.destinationCidr !== ON_PREMISES_CIDR));

    const trip = traceRoundTrip(model, onPremisesVia(PRIMARY), APP.probeIp);

    expect(trip).toMatchObject({ verdict: "no-route", failedLeg: "reply", region: PRIMARY, asymmetric: false });
    expect(trip.reply?.end).toMatchObject({ kind: "no-route", at: id.workloadRouteTable(PRIMARY) });
  });

  test("GIVEN the request is blackholed WHEN traced THEN the forward leg failed, nothing answered and there is no reply trace", () => {
    const model = editTransitGatewayRoutes(buildPair(), PRIMARY, id.mainTable(PRIMARY), (routes) =>
      routes.map((route) => (route.destinationCidr === APP.cidr ? { ...route, state: "blackhole" as const } : route)),
    );

    const trip = traceRoundTrip(model, dc(PRIMARY), APP.probeIp);

    expect(trip).toMatchObject({ verdict: "blackhole", failedLeg: "forward", region: null, asymmetric: false });
    expect(trip.reply).toBeUndefined();
  });

  test("GIVEN a client reaches the passive copy WHEN it replies THEN its fence stops the reply: fenced on the reply leg, answered by the passive region", () => {
    // The secondary's main table wrongly keeps the workload local.
    const model = editTransitGatewayRoutes(buildPair(), SECONDARY, id.mainTable(SECONDARY), (routes) =>
      routes.map((route) => (route.destinationCidr === APP.cidr ? staticRoute(APP.cidr, id.workloadAttachment(SECONDARY)) : route)),
    );

    expect(traceRoundTrip(model, dc(SECONDARY), APP.probeIp)).toMatchObject({ verdict: "fenced", failedLeg: "reply", region: SECONDARY });
  });

  test("GIVEN the active workload table sends the management CIDR back into the workload VPC WHEN the reply is traced THEN the round trip fails as a loop on the reply leg", () => {
    const model = editTransitGatewayRoutes(buildPair(), PRIMARY, id.workloadTable(PRIMARY), (routes) =>
      routes.map((route) => (route.destinationCidr === "10.10.0.0/16" ? staticRoute("10.10.0.0/16", id.workloadAttachment(PRIMARY)) : route)),
    );

    const trip = traceRoundTrip(model, dc(PRIMARY), APP.probeIp);

    expect(trip).toMatchObject({ verdict: "loop", failedLeg: "reply", region: PRIMARY });
  });

  test("GIVEN a host that sends from subnet a with an address of subnet b WHEN traced THEN the reply is delivered to subnet b, not back at the client: no-route on the reply leg", () => {
    const twoHomed: Endpoint = { ...dc(PRIMARY), sourceIp: "10.10.1.10" };

    const trip = traceRoundTrip(buildPair(), twoHomed, APP.probeIp);

    expect(trip).toMatchObject({ verdict: "no-route", failedLeg: "reply", region: PRIMARY });
    expect(trip.reply?.end).toMatchObject({ kind: "delivered-to-vpc", subnetId: id.managementSubnet(PRIMARY, "b") });
    expect(trip.reason).toMatch(/not back at the client/);
  });

  test("GIVEN the active region was not read WHEN the secondary's host calls the workload THEN the verdict is unknown on the forward leg", () => {
    expect(traceRoundTrip(unread(buildPair(), PRIMARY), dc(SECONDARY), APP.probeIp)).toMatchObject({ verdict: "unknown", failedLeg: "forward", region: null });
  });
});
