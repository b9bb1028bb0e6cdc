/**
 * What `regionpair reach` checks and decides: every client reaches the active copy of every
 * workload and hears back; the passive copy reaches nothing, stopped by its fence; nothing
 * delivers into the passive copy. Pure: the model comes from a reader, the verdicts from traces.
 */
import { contains, parseCidr } from "../../config/cidr";
import { UsageError } from "../lib/cli";
import { NetworkModel, UnreadRegion } from "./network-model";
import { Leg, RoundTrip, Verdict, traceRoundTrip, verdictOf } from "./round-trip";
import { Endpoint, Hop, Trace, addressOf, describeEnd, tracePacket } from "./trace";

/** A management host (by subnet or address) or an on-premises network (by its attachment), with the address it sends from. */
export type ReachClient = Endpoint & { readonly name: string };

export interface ReachWorkload {
  readonly name: string;
  readonly cidr: string;
  /** An address inside one of the workload's subnets; the same address exists in every region's copy. */
  readonly probeIp: string;
}

export interface ReachSpec {
  readonly clients: readonly ReachClient[];
  readonly workloads: readonly ReachWorkload[];
  /**
   * The region whose workload copies should answer.
   * @default inferred: the region most clients' requests reach
   */
  readonly activeRegion?: string;
}

/**
 * - `client-to-workload`: a round trip from the client to the workload's probe address.
 * - `passive-to-client`: from the passive copy to the client; the fence must stop it.
 * - `peering-to-passive`: what the passive region does with traffic for the workload that arrives
 *   over the peering (as it does while a failover is half applied); it must not enter the passive copy.
 */
export type RowKind = "client-to-workload" | "passive-to-client" | "peering-to-passive";

export type Expectation =
  | { readonly verdict: "delivered"; readonly region: string | null }
  | { readonly verdict: "fenced" }
  | { readonly verdict: "not-delivered-in"; readonly region: string };

export interface ReachRow {
  readonly kind: RowKind;
  /** The client's name; for `peering-to-passive`, the peering attachment. */
  readonly client: string;
  /** The workload's name. */
  readonly destination: string;
  /** For passive rows: the region of the passive copy checked. */
  readonly copyRegion?: string;
  readonly verdict: Verdict;
  readonly failedLeg?: Leg;
  /** Where the packet was delivered, or null. */
  readonly region: string | null;
  readonly asymmetric: boolean;
  readonly expected: Expectation;
  /** The row came out as expected. */
  readonly ok: boolean;
  /**
   * How the row counts: a `failure` sets the exit code, a `warning` does not (an asymmetric path,
   * a passive copy dropped by something other than its fence), `unknown` needed an unread region.
   */
  readonly status: RowStatus;
  /** For people: how it ended, or why the path is asymmetric. */
  readonly reason?: string;
  readonly hops: readonly Hop[];
  readonly replyHops: readonly Hop[];
}

export type RowStatus = "ok" | "warning" | "failure" | "unknown";

export interface ReachProblem {
  /** Failures make the exit code 1; warnings are reported only. */
  readonly severity: "failure" | "warning";
  readonly message: string;
}

export interface ReachReport {
  readonly activeRegion: string | null;
  readonly activeRegionSource: "given" | "inferred" | "unknown";
  readonly passiveRegions: readonly string[];
  /** Regions whose API did not answer: rows that need them are `unknown`. */
  readonly unreadRegions: readonly { readonly region: string; readonly reason: string }[];
  readonly rows: readonly ReachRow[];
  readonly problems: readonly ReachProblem[];
  readonly exitCode: 0 | 1;
}

interface CheckedRow {
  readonly row: Omit<ReachRow, "status">;
  readonly problem?: ReachProblem;
  /** For an `unknown` row: the unread region it needed. */
  readonly unreadRegion?: string;
}

export function reachReport(model: NetworkModel, spec: ReachSpec): ReachReport {
  validateSpec(model, spec);
  const roundTrips = spec.workloads.map((workload) => spec.clients.map((client) => traceRoundTrip(model, client, workload.probeIp)));
  const inference = spec.activeRegion ? undefined : inferActiveRegion(roundTrips.flat());
  const activeRegion = spec.activeRegion ?? inference?.region ?? null;
  const passiveRegions = activeRegion ? model.regions.map((r) => r.region).filter((region) => region !== activeRegion) : [];

  const checked: CheckedRow[] = [
    ...spec.workloads.flatMap((workload, w) => spec.clients.map((client, c) => checkClientRow(client, workload, roundTrips[w][c], activeRegion))),
    ...passiveRegions.flatMap((passive) =>
      spec.workloads.flatMap((workload) =>
        spec.clients.map((client) => checkPassiveRow(client, workload, passive, tracePacket(model, { kind: "address", region: passive, address: workload.probeIp }, client.sourceIp))),
      ),
    ),
    ...passiveRegions.flatMap((passive) =>
      peeringAttachmentIds(model, activeRegion!, passive).flatMap((attachmentId) =>
        spec.workloads.map((workload) =>
          checkPeeringRow(attachmentId, workload, passive, tracePacket(model, { kind: "attachment", region: passive, attachmentId }, workload.probeIp)),
        ),
      ),
    ),
  ];

  const rows = checked.map(withStatus);
  const unreadRegions = model.regions.filter((r): r is UnreadRegion => r.status === "unreachable").map(({ region, reason }) => ({ region, reason }));
  const problems: ReachProblem[] = [
    ...unreadRegions.map(({ region, reason }) => unreadWarning(region, reason, checked)),
    ...(inference?.problem ? [inference.problem] : []),
    ...checked.flatMap((c) => (c.problem ? [c.problem] : [])),
  ];
  if (rows.length > 0 && rows.every((row) => row.verdict === "unknown")) {
    problems.push({ severity: "failure", message: "nothing could be checked: every row needs a region that was not read" });
  }
  return {
    activeRegion,
    activeRegionSource: spec.activeRegion ? "given" : activeRegion ? "inferred" : "unknown",
    passiveRegions,
    unreadRegions,
    rows,
    problems,
    exitCode: problems.some((p) => p.severity === "failure") ? 1 : 0,
  };
}

/** Spec mistakes are usage errors: the command cannot check anything meaningful with them. */
function validateSpec(model: NetworkModel, spec: ReachSpec): void {
  const regions = new Set(model.regions.map((r) => r.region));
  const regionList = [...regions].join(", ");
  const check = (ok: boolean, message: string): void => {
    if (!ok) throw new UsageError(message);
  };
  const checkAddress = (text: string, field: string): number => {
    try {
      return addressOf(text, field);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  };
  check(!spec.activeRegion || regions.has(spec.activeRegion), `activeRegion "${spec.activeRegion}" is not one of the model's regions (${regionList})`);
  spec.clients.forEach((client, i) => {
    check(regions.has(client.region), `clients[${i}] (${client.name}).region "${client.region}" is not one of the model's regions (${regionList})`);
    checkAddress(client.sourceIp, `clients[${i}] (${client.name}).sourceIp`);
  });
  spec.workloads.forEach((workload, i) => {
    let cidr;
    try {
      cidr = parseCidr(workload.cidr);
    } catch (error) {
      throw new UsageError(`workloads[${i}] (${workload.name}).cidr: ${(error as Error).message}`);
    }
    const probe = checkAddress(workload.probeIp, `workloads[${i}] (${workload.name}).probeIp`);
    check(contains(cidr, probe), `workloads[${i}] (${workload.name}).probeIp ${workload.probeIp} is outside its cidr ${workload.cidr}`);
  });
}

/**
 * The region most requests reach. A region that could not be read counts the requests that
 * travel into it from the other region (not those that start there: they say nothing about
 * routing). A tie, or no request reaching any copy, leaves it unknown: a failure, since then no
 * row can say whether the right copy answers.
 */
function inferActiveRegion(roundTrips: readonly RoundTrip[]): { readonly region?: string; readonly problem?: ReachProblem } {
  const counts = new Map<string, number>();
  for (const { region, forward } of roundTrips) {
    const headedInto = forward.end.kind === "unknown" && forward.end.region !== forward.start.region ? forward.end.region : undefined;
    const reached = region ?? headedInto;
    if (reached) counts.set(reached, (counts.get(reached) ?? 0) + 1);
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (ranked.length === 0) {
    return { problem: { severity: "failure", message: "no client request reaches any workload copy, so the active region cannot be inferred; name it" } };
  }
  if (ranked.length > 1 && ranked[0][1] === ranked[1][1]) {
    const split = ranked.map(([region, count]) => `${region} (${count})`).join(", ");
    return { problem: { severity: "failure", message: `requests split evenly between the copies in ${split}, so the active region cannot be inferred; name it` } };
  }
  return { region: ranked[0][0] };
}

function checkClientRow(client: ReachClient, workload: ReachWorkload, trip: RoundTrip, activeRegion: string | null): CheckedRow {
  const row: CheckedRow["row"] = {
    kind: "client-to-workload",
    client: client.name,
    destination: workload.name,
    verdict: trip.verdict,
    ...(trip.failedLeg ? { failedLeg: trip.failedLeg } : {}),
    region: trip.region,
    asymmetric: trip.asymmetric,
    expected: { verdict: "delivered", region: activeRegion },
    ok: activeRegion !== null && trip.verdict === "delivered" && trip.region === activeRegion,
    ...(trip.reason ? { reason: trip.reason } : {}),
    hops: trip.forward.hops,
    replyHops: trip.reply?.hops ?? [],
  };
  const subject = `${client.name} → ${workload.name}`;
  // Reaching the passive copy is a failure whatever becomes of the reply, even if that is unknown.
  if (activeRegion !== null && trip.region !== null && trip.region !== activeRegion) {
    const reply = trip.verdict === "delivered" ? "" : ` (the reply: ${trip.reason})`;
    return { row, problem: failure(`${subject}: reaches the passive copy in ${trip.region}${reply}`) };
  }
  if (row.verdict === "unknown") return { row, unreadRegion: (trip.reply ?? trip.forward).end.region };
  if (activeRegion === null) return { row };
  if (row.ok) return row.asymmetric ? { row, problem: { severity: "warning", message: `${subject}: asymmetric path: ${trip.reason}` } } : { row };
  if (trip.verdict === "loop") return { row, problem: failure(`${subject}: routing loop on the ${trip.failedLeg} leg: ${trip.reason}`) };
  return { row, problem: failure(`${subject}: cannot reach the active copy in ${activeRegion}: ${trip.verdict} on the ${trip.failedLeg} leg: ${trip.reason}`) };
}

function checkPassiveRow(client: ReachClient, workload: ReachWorkload, passiveRegion: string, trace: Trace): CheckedRow {
  const verdict = verdictOf(trace.end);
  const row = oneWayRow("passive-to-client", client.name, workload.name, passiveRegion, trace, { verdict: "fenced" }, verdict === "fenced");
  const subject = `passive copy of ${workload.name} in ${passiveRegion} → ${client.name}`;
  switch (verdict) {
    case "fenced":
      return { row };
    case "unknown":
      return { row, unreadRegion: trace.end.region };
    case "delivered":
      return { row, problem: failure(`${subject}: reachable: ${describeEnd(trace.end)}`) };
    case "loop":
      return { row, problem: failure(`${subject}: routing loop: ${describeEnd(trace.end)}`) };
    default:
      // Dropped, but by a missing route rather than the fence: the next route someone adds opens it.
      return { row, problem: { severity: "warning", message: `${subject}: not fenced, only ${verdict}: ${describeEnd(trace.end)}` } };
  }
}

function checkPeeringRow(attachmentId: string, workload: ReachWorkload, passiveRegion: string, trace: Trace): CheckedRow {
  const verdict = verdictOf(trace.end);
  const intoPassiveCopy = verdict === "delivered" && trace.end.region === passiveRegion;
  const expected: Expectation = { verdict: "not-delivered-in", region: passiveRegion };
  const row = oneWayRow("peering-to-passive", attachmentId, workload.name, passiveRegion, trace, expected, !intoPassiveCopy && verdict !== "loop" && verdict !== "unknown");
  const subject = `${workload.name} traffic arriving in ${passiveRegion} over ${attachmentId}`;
  if (intoPassiveCopy) return { row, problem: failure(`${subject}: enters the passive copy: ${describeEnd(trace.end)}`) };
  if (verdict === "loop") return { row, problem: failure(`${subject}: routing loop: ${describeEnd(trace.end)}`) };
  if (verdict === "unknown") return { row, unreadRegion: trace.end.region };
  return { row };
}

function oneWayRow(kind: RowKind, client: string, destination: string, copyRegion: string, trace: Trace, expected: Expectation, ok: boolean): CheckedRow["row"] {
  const verdict = verdictOf(trace.end);
  return {
    kind,
    client,
    destination,
    copyRegion,
    verdict,
    region: verdict === "delivered" ? trace.end.region : null,
    asymmetric: false,
    expected,
    ok,
    reason: describeEnd(trace.end),
    hops: trace.hops,
    replyHops: [],
  };
}

/** The peering attachments between the two regions, as either side lists them (one may not have been read). */
function peeringAttachmentIds(model: NetworkModel, activeRegion: string, passiveRegion: string): readonly string[] {
  const ids = new Set<string>();
  for (const region of model.regions) {
    if (region.status !== "read" || (region.region !== activeRegion && region.region !== passiveRegion)) continue;
    const other = region.region === activeRegion ? passiveRegion : activeRegion;
    for (const tgw of region.transitGateways) {
      for (const attachment of tgw.attachments) {
        if (attachment.type === "peering" && attachment.peerRegion === other) ids.add(attachment.attachmentId);
      }
    }
  }
  return [...ids].sort();
}

function unreadWarning(region: string, reason: string, checked: readonly CheckedRow[]): ReachProblem {
  const unknown = checked.filter((c) => c.unreadRegion === region).length;
  return { severity: "warning", message: `region ${region} was not read (${reason}): ${unknown} row(s) that need it are unknown` };
}

function withStatus({ row, problem }: CheckedRow): ReachRow {
  const status: RowStatus = problem?.severity ?? (row.verdict === "unknown" ? "unknown" : row.ok ? "ok" : "failure");
  return { ...row, status };
}

function failure(message: string): ReachProblem {
  return { severity: "failure", message };
}
