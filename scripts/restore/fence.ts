/**
 * Shows a drill instance is fenced, with the path tracer over the network as it was read back:
 * from the instance's address in the passive copy to every domain controller of both regions and
 * to every on-premises client network, each trace must end `fenced` (a deliberate blackhole of
 * the workload route table). Pure over the model; the model is read by whoever calls it.
 */
import { formatIpv4, parseCidr, size } from "../../config/cidr";
import type { Topology } from "../../config/topology-model";
import type { NetworkModel } from "../reach/network-model";
import { TraceEnd, describeEnd, tracePacket } from "../reach/trace";

export interface FenceDestination {
  /** What it is, for people, e.g. `domain controller 10.10.0.10 (us-east-1)`. */
  readonly name: string;
  readonly ip: string;
}

export interface FenceTrace {
  readonly destination: FenceDestination;
  readonly end: TraceEnd["kind"];
  readonly detail: string;
}

export interface FenceResult {
  /** Every trace ended `fenced`. */
  readonly fenced: boolean;
  readonly from: string;
  readonly traces: readonly FenceTrace[];
}

/** A host address in a client network, for tracing: its tenth address (the first few are often routers). */
function hostIn(cidr: string): string {
  const parsed = parseCidr(cidr);
  return formatIpv4(parsed.network + Math.min(10, size(parsed) - 1));
}

/** What a drill instance must not reach: the domain controllers of both regions and on premises. */
export function fenceDestinations(topology: Topology): FenceDestination[] {
  return [
    ...(["primary", "secondary"] as const).flatMap((role) =>
      topology[role].domainControllerIps.map((ip) => ({ name: `domain controller ${ip} (${topology[role].region})`, ip })),
    ),
    ...topology.clientCidrs.map((cidr) => ({ name: `on-premises ${cidr}`, ip: hostIn(cidr) })),
  ];
}

export function checkFence(model: NetworkModel, region: string, instanceIp: string, destinations: readonly FenceDestination[]): FenceResult {
  const traces = destinations.map((destination) => {
    const trace = tracePacket(model, { kind: "address", region, address: instanceIp }, destination.ip);
    return { destination, end: trace.end.kind, detail: describeEnd(trace.end) };
  });
  return { fenced: traces.length > 0 && traces.every((t) => t.end === "fenced"), from: instanceIp, traces };
}
