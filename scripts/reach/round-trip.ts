/**
 * A request and its reply: the forward trace to the destination, then a trace from wherever the
 * request was delivered back to the client's address. Routing is per direction, so a reply can
 * fail, or come back another way, even when the request arrives.
 */
import { NetworkModel } from "./network-model";
import { AttachmentHop, Endpoint, Trace, TraceEnd, TraceStart, describeEnd, tracePacket } from "./trace";

export type Verdict = "delivered" | "blackhole" | "no-route" | "loop" | "fenced" | "unknown";

export type Leg = "forward" | "reply";

export interface RoundTrip {
  readonly verdict: Verdict;
  /** The leg that did not arrive; absent when both did. */
  readonly failedLeg?: Leg;
  /** The region whose copy of the destination answered; null when the request was not delivered. */
  readonly region: string | null;
  /**
   * The reply left the transit gateways through another attachment (or region) than the request
   * entered them through, e.g. in over one region's VPN and back over the other's.
   */
  readonly asymmetric: boolean;
  /** For people: how the failing leg ended, or which ways an asymmetric path took. */
  readonly reason?: string;
  readonly forward: Trace;
  readonly reply?: Trace;
}

export function verdictOf(end: TraceEnd): Verdict {
  return end.kind === "delivered-to-vpc" || end.kind === "left-through-attachment" ? "delivered" : end.kind;
}

export function traceRoundTrip(model: NetworkModel, client: Endpoint, destinationIp: string): RoundTrip {
  const forward = tracePacket(model, client, destinationIp);
  const answerer = replyStart(forward.end);
  if (!answerer) {
    return { verdict: verdictOf(forward.end), failedLeg: "forward", region: null, asymmetric: false, reason: describeEnd(forward.end), forward };
  }
  const region = forward.end.region;
  const reply = tracePacket(model, answerer, client.sourceIp);
  if (verdictOf(reply.end) !== "delivered") {
    return { verdict: verdictOf(reply.end), failedLeg: "reply", region, asymmetric: false, reason: describeEnd(reply.end), forward, reply };
  }
  if (!backAtClient(client, reply.end)) {
    const reason = `the reply is ${describeEnd(reply.end)}, not back at the client`;
    return { verdict: "no-route", failedLeg: "reply", region, asymmetric: false, reason, forward, reply };
  }
  const way = asymmetry(forward, reply);
  return { verdict: "delivered", region, asymmetric: way !== undefined, ...(way ? { reason: way } : {}), forward, reply };
}

/** The reply leaves from where the request ended up, if it ended up somewhere. */
function replyStart(end: TraceEnd): TraceStart | undefined {
  if (end.kind === "delivered-to-vpc") return { kind: "subnet", region: end.region, subnetId: end.subnetId };
  if (end.kind === "left-through-attachment") return { kind: "attachment", region: end.region, attachmentId: end.attachmentId };
  return undefined;
}

function backAtClient(client: Endpoint, end: TraceEnd): boolean {
  switch (client.kind) {
    case "subnet":
      return end.kind === "delivered-to-vpc" && end.region === client.region && end.subnetId === client.subnetId;
    case "address":
      return end.kind === "delivered-to-vpc" && end.region === client.region;
    case "attachment":
      // Any client attachment leads to the on-premises network; which one is the asymmetry check's business.
      return end.kind === "left-through-attachment";
  }
}

/** How the path is asymmetric, or undefined when the reply leaves the way the request came in. */
function asymmetry(forward: Trace, reply: Trace): string | undefined {
  const cameIn = forward.hops.find((hop): hop is AttachmentHop => hop.kind === "attachment" && hop.direction === "in");
  const wentOut = [...reply.hops].reverse().find((hop): hop is AttachmentHop => hop.kind === "attachment" && hop.direction === "out");
  if (!cameIn || !wentOut || (cameIn.id === wentOut.id && cameIn.region === wentOut.region)) return undefined;
  return `request in through ${cameIn.id} (${cameIn.region}), reply out through ${wentOut.id} (${wentOut.region})`;
}
