import { checkFence, fenceDestinations } from "../../../../scripts/restore/fence";
import { topologyWith } from "../../../support/topologies";
import { PRIMARY, SECONDARY, buildPair, domainController, editTransitGatewayRoutes, id, staticRoute, workloads } from "../reach/network-builders";

const APP = workloads(1)[0];
// The reach builders' pair: DCs in both management VPCs and on premises behind a VPN in each region.
const destinations = [
  { name: "dc primary", ip: domainController(PRIMARY) },
  { name: "dc secondary", ip: domainController(SECONDARY) },
  { name: "on premises", ip: "192.168.1.10" },
];

describe("the drill fence, traced", () => {
  test("GIVEN the secondary passive WHEN a drill instance in its copy sends anywhere THEN every trace ends at the fence", () => {
    const result = checkFence(buildPair({ activeRegion: PRIMARY }), SECONDARY, APP.probeIp, destinations);
    expect(result.fenced).toBe(true);
    expect(result.traces.map((t) => t.end)).toEqual(["fenced", "fenced", "fenced"]);
  });

  test("GIVEN the secondary active WHEN the same instance sends THEN it reaches the directory: not fenced", () => {
    const result = checkFence(buildPair({ activeRegion: SECONDARY }), SECONDARY, APP.probeIp, destinations);
    expect(result.fenced).toBe(false);
    expect(result.traces.map((t) => t.end)).toContain("delivered-to-vpc");
  });

  test("GIVEN one real route added to the passive workload table WHEN traced THEN that destination is not fenced", () => {
    const model = editTransitGatewayRoutes(buildPair({ activeRegion: PRIMARY }), SECONDARY, id.workloadTable(SECONDARY), (routes) => [...routes, staticRoute(`${domainController(SECONDARY).split(".").slice(0, 3).join(".")}.0/24`, id.managementAttachment(SECONDARY))]);
    const result = checkFence(model, SECONDARY, APP.probeIp, destinations);
    expect(result.fenced).toBe(false);
    expect(result.traces.find((t) => t.destination.name === "dc secondary")?.end).toBe("delivered-to-vpc");
  });

  test("GIVEN a topology WHEN the destinations are listed THEN they are every domain controller of both regions and a host in each client network", () => {
    const topology = topologyWith();
    expect(fenceDestinations(topology).map((d) => d.ip)).toEqual([...topology.primary.domainControllerIps, ...topology.secondary.domainControllerIps, "192.168.0.10"]);
  });
});
