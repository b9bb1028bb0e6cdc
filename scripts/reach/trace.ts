/**
 * Hop-by-hop IPv4 packet path tracing over a NetworkModel, as VPC and transit gateway routing
 * decide it: a subnet's route table, the transit gateway route table associated with the
 * attachment a packet entered through, the peering to the other region, and into a VPC or out
 * through a client attachment (VPN, Direct Connect, …). Pure: the same model and packet always
 * give the same trace.
 *
 * Only routing is modelled. Security groups, network ACLs and the on-premises side are not: a
 * `delivered` trace means the network would carry the packet, not that the host answers.
 */
import { parseIpv4 } from "../../config/cidr";
import {
  IndexedAttachment,
  IndexedVpc,
  ReadRegionIndex,
  networkIndex,
  selectTransitGatewayRoute,
  selectVpcRoute,
  subnetHolding,
  vpcBlockHolding,
} from "./network-index";
import { NetworkModel, TransitGatewayAttachment, TransitGatewayRoute, VpcAttachment, VpcRoute } from "./network-model";

/** Where a packet starts. */
export type TraceStart = SubnetStart | AttachmentStart | AddressStart;

/** A host in a subnet (a domain controller, a workload instance). */
export interface SubnetStart {
  readonly kind: "subnet";
  readonly region: string;
  readonly subnetId: string;
}

/** The on-premises side of a client attachment: the packet enters the transit gateway through it. */
export interface AttachmentStart {
  readonly kind: "attachment";
  readonly region: string;
  readonly attachmentId: string;
}

/** A host known by its address only: it sends from the first subnet in the region that holds the address. */
export interface AddressStart {
  readonly kind: "address";
  readonly region: string;
  readonly address: string;
}

/** A start that can also be answered: where a reply has to come back to. */
export type Endpoint = TraceStart & { readonly sourceIp: string };

export type Hop = VpcRouteTableHop | AttachmentHop | TransitGatewayRouteTableHop;

/** A VPC route table decided, for a packet leaving `subnetId`. */
export interface VpcRouteTableHop {
  readonly kind: "vpc-route-table";
  readonly region: string;
  readonly id: string;
  readonly subnetId: string;
  readonly route: VpcRoute;
}

/** The packet went into (`in`) or out of (`out`) a transit gateway through this attachment. */
export interface AttachmentHop {
  readonly kind: "attachment";
  readonly region: string;
  readonly id: string;
  readonly transitGatewayId: string;
  readonly attachmentType: TransitGatewayAttachment["type"];
  readonly direction: "in" | "out";
}

/** A transit gateway route table decided. */
export interface TransitGatewayRouteTableHop {
  readonly kind: "transit-gateway-route-table";
  readonly region: string;
  readonly id: string;
  readonly transitGatewayId: string;
  readonly route: TransitGatewayRoute;
}

/** How a trace ended. `at` is the id of the thing that decided (a route table, an attachment, a subnet). */
export type TraceEnd =
  | { readonly kind: "delivered-to-vpc"; readonly region: string; readonly vpcId: string; readonly subnetId: string }
  | { readonly kind: "left-through-attachment"; readonly region: string; readonly attachmentId: string; readonly attachmentType: TransitGatewayAttachment["type"] }
  /** A deliberate blackhole: a static blackhole route with no attachment. */
  | { readonly kind: "fenced"; readonly region: string; readonly routeTableId: string; readonly destinationCidr: string }
  /** Dropped by accident: a route or attachment that should carry traffic does not. */
  | { readonly kind: "blackhole"; readonly region: string; readonly at: string; readonly reason: string }
  | { readonly kind: "no-route"; readonly region: string; readonly at: string; readonly reason: string }
  | { readonly kind: "loop"; readonly region: string; readonly at: string; readonly reason: string }
  /** The trace needed a region that could not be read. */
  | { readonly kind: "unknown"; readonly region: string; readonly reason: string };

export interface Trace {
  readonly start: TraceStart;
  readonly destinationIp: string;
  readonly hops: readonly Hop[];
  readonly end: TraceEnd;
}

/**
 * More hops than any sane path needs (there and across the peering is about eight); reached only
 * by a loop that does not revisit a transit gateway through the same attachment.
 */
export const MAX_HOPS = 32;

/** Where the packet is between two decisions. */
type Position =
  | { readonly at: "subnet"; readonly region: string; readonly subnetId: string }
  | { readonly at: "address"; readonly region: string; readonly address: number }
  | { readonly at: "client-attachment"; readonly region: string; readonly attachmentId: string }
  | { readonly at: "transit-gateway"; readonly region: string; readonly transitGatewayId: string; readonly attachmentId: string }
  | { readonly at: "vpc"; readonly region: string; readonly attachment: VpcAttachment };

type Step = { readonly hops: readonly Hop[] } & ({ readonly next: Position } | { readonly end: TraceEnd });

/** Follows a packet for `destinationIp` from `start` until it is delivered, leaves, or is dropped. */
export function tracePacket(model: NetworkModel, start: TraceStart, destinationIp: string): Trace {
  const destination = addressOf(destinationIp, "destination IP");
  const index = networkIndex(model);
  const hops: Hop[] = [];
  // A transit gateway routes by destination and ingress attachment only, so entering the same
  // transit gateway through the same attachment twice repeats the path forever.
  const entered = new Set<string>();
  let position = startPosition(start);
  for (;;) {
    const region = index.regions.get(position.region);
    if (!region || region.status === "unreachable") {
      const why = region ? `region ${position.region} was not read: ${region.region.reason}` : `region ${position.region} is not in the model`;
      return { start, destinationIp, hops, end: unknown(position.region, why) };
    }
    if (hops.length >= MAX_HOPS) {
      return { start, destinationIp, hops, end: loopEnd(position.region, hops[hops.length - 1].id, `more than ${MAX_HOPS} hops`) };
    }

    if (position.at === "transit-gateway") {
      const key = `${position.region} ${position.transitGatewayId} ${position.attachmentId}`;
      if (entered.has(key)) {
        const reason = `the packet enters ${position.transitGatewayId} through ${position.attachmentId} a second time`;
        return { start, destinationIp, hops, end: loopEnd(position.region, position.attachmentId, reason) };
      }
      entered.add(key);
    }

    const step = stepFrom(region, position, destination);
    hops.push(...step.hops);
    if ("end" in step) return { start, destinationIp, hops, end: step.end };
    position = step.next;
  }
}

function startPosition(start: TraceStart): Position {
  switch (start.kind) {
    case "subnet":
      return { at: "subnet", region: start.region, subnetId: start.subnetId };
    case "attachment":
      return { at: "client-attachment", region: start.region, attachmentId: start.attachmentId };
    case "address":
      return { at: "address", region: start.region, address: addressOf(start.address, "start address") };
  }
}

export function addressOf(text: string, what: string): number {
  const address = parseIpv4(text);
  if (address === undefined) throw new Error(`${what} "${text}" is not an IPv4 address like 10.1.2.3`);
  return address;
}

function stepFrom(region: ReadRegionIndex, position: Position, destination: number): Step {
  switch (position.at) {
    case "subnet":
      return leaveSubnet(region, position.subnetId, destination);
    case "address":
      return leaveAddress(region, position.address);
    case "client-attachment":
      return enterFromClient(region, position.attachmentId);
    case "transit-gateway":
      return routeInTransitGateway(region, position.transitGatewayId, position.attachmentId, destination);
    case "vpc":
      return enterVpc(region, position.attachment, destination);
  }
}

function leaveAddress(region: ReadRegionIndex, address: number): Step {
  for (const vpc of region.vpcs.values()) {
    const subnet = subnetHolding(vpc, address);
    if (subnet) return { hops: [], next: { at: "subnet", region: region.region.region, subnetId: subnet.subnetId } };
  }
  return { hops: [], end: noRoute(region, "", `no subnet in ${region.region.region} holds the source address`) };
}

function leaveSubnet(region: ReadRegionIndex, subnetId: string, destination: number): Step {
  const subnet = region.subnets.get(subnetId);
  const vpc = subnet && region.vpcs.get(subnet.vpcId);
  if (!subnet || !vpc) return { hops: [], end: noRoute(region, subnetId, `subnet ${subnetId} is not in ${region.region.region}`) };
  const table = region.routeTableOfSubnet.get(subnetId);
  if (!table) return { hops: [], end: noRoute(region, subnetId, `subnet ${subnetId} has no route table and its VPC no main one`) };
  const route = selectVpcRoute(table, destination);
  const tableId = table.table.routeTableId;
  if (!route) return { hops: [], end: noRoute(region, tableId, `${tableId} has no route for the destination`) };
  const hop: VpcRouteTableHop = { kind: "vpc-route-table", region: region.region.region, id: tableId, subnetId, route };
  return { hops: [hop], ...followVpcRoute(region, vpc, subnet.availabilityZone, tableId, route, destination) };
}

/** Where a VPC route sends the packet, from a subnet in `availabilityZone`. */
function followVpcRoute(
  region: ReadRegionIndex,
  vpc: IndexedVpc,
  availabilityZone: string,
  tableId: string,
  route: VpcRoute,
  destination: number,
): { readonly next: Position } | { readonly end: TraceEnd } {
  const regionName = region.region.region;
  if (route.state === "blackhole") {
    return { end: blackhole(region, tableId, `route ${route.destinationCidr} in ${tableId} is a blackhole: its target is gone`) };
  }
  switch (route.target.kind) {
    case "local":
      return { end: deliverInVpc(region, vpc, destination) };
    case "other":
      return { end: noRoute(region, tableId, `route ${route.destinationCidr} in ${tableId} sends it to ${route.target.id}, outside the model`) };
    case "transit-gateway": {
      const transitGatewayId = route.target.transitGatewayId;
      const attachment = vpc.attachments.get(transitGatewayId);
      if (!attachment) {
        return { end: blackhole(region, tableId, `${vpc.vpc.vpcId} is not attached to ${transitGatewayId}`) };
      }
      // AWS: traffic reaches the transit gateway only from an Availability Zone where the
      // attachment has a subnet. https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html
      const zones = attachment.subnetIds.map((id) => region.subnets.get(id)?.availabilityZone);
      if (attachment.subnetIds.length > 0 && !zones.includes(availabilityZone)) {
        return { end: blackhole(region, attachment.attachmentId, `${attachment.attachmentId} has no subnet in ${availabilityZone}, so nothing there reaches ${transitGatewayId}`) };
      }
      return { next: { at: "transit-gateway", region: regionName, transitGatewayId, attachmentId: attachment.attachmentId } };
    }
  }
}

function deliverInVpc(region: ReadRegionIndex, vpc: IndexedVpc, destination: number): TraceEnd {
  const subnet = subnetHolding(vpc, destination);
  if (!subnet) return noRoute(region, vpc.vpc.vpcId, `the destination is in a block of ${vpc.vpc.vpcId} but in none of its subnets`);
  return { kind: "delivered-to-vpc", region: region.region.region, vpcId: vpc.vpc.vpcId, subnetId: subnet.subnetId };
}

function enterFromClient(region: ReadRegionIndex, attachmentId: string): Step {
  const entry = region.attachments.get(attachmentId);
  if (!entry) return { hops: [], end: noRoute(region, attachmentId, `attachment ${attachmentId} is not on any transit gateway in ${region.region.region}`) };
  return { hops: [], next: { at: "transit-gateway", region: region.region.region, transitGatewayId: entry.transitGateway.transitGatewayId, attachmentId } };
}

/** The packet enters `transitGatewayId` through `attachmentId`; the route table associated with that attachment decides. */
function routeInTransitGateway(region: ReadRegionIndex, transitGatewayId: string, attachmentId: string, destination: number): Step {
  const regionName = region.region.region;
  const entry = region.attachments.get(attachmentId);
  if (!entry || entry.transitGateway.transitGatewayId !== transitGatewayId) {
    // Only a peering leads here with an attachment the region does not have: the other side never accepted it, or deleted it.
    return { hops: [], end: blackhole(region, attachmentId, `${transitGatewayId} in ${regionName} has no attachment ${attachmentId}`) };
  }
  const hops: Hop[] = [attachmentHop(regionName, entry, "in")];
  const unusable = whyUnusable(entry.attachment);
  if (unusable) return { hops, end: blackhole(region, attachmentId, unusable) };

  const tableId = entry.attachment.associatedRouteTableId;
  const routes = tableId ? region.transitGatewayRouteTables.get(tableId) : undefined;
  if (!tableId || !routes) {
    const reason = tableId ? `route table ${tableId} is not on ${transitGatewayId}` : `${attachmentId} is associated with no route table`;
    return { hops, end: noRoute(region, attachmentId, reason) };
  }
  const route = selectTransitGatewayRoute(routes, region.attachments, destination);
  if (!route) return { hops, end: noRoute(region, tableId, `${tableId} has no route for the destination`) };
  hops.push({ kind: "transit-gateway-route-table", region: regionName, id: tableId, transitGatewayId, route });

  if (route.state === "blackhole") {
    if (route.type === "static" && !route.attachmentId) {
      return { hops, end: { kind: "fenced", region: regionName, routeTableId: tableId, destinationCidr: route.destinationCidr } };
    }
    const target = route.attachmentId ? `its attachment ${route.attachmentId} is gone or not available` : "it has no attachment";
    return { hops, end: blackhole(region, tableId, `route ${route.destinationCidr} in ${tableId} is a blackhole: ${target}`) };
  }
  const exit = route.attachmentId ? region.attachments.get(route.attachmentId) : undefined;
  if (!exit || exit.transitGateway.transitGatewayId !== transitGatewayId) {
    return { hops, end: blackhole(region, tableId, `route ${route.destinationCidr} in ${tableId} targets ${route.attachmentId ?? "nothing"}, which is not on ${transitGatewayId}`) };
  }
  hops.push(attachmentHop(regionName, exit, "out"));
  const exitUnusable = whyUnusable(exit.attachment);
  if (exitUnusable) return { hops, end: blackhole(region, exit.attachment.attachmentId, exitUnusable) };
  return { hops, ...leaveThrough(regionName, exit.attachment) };
}

function leaveThrough(region: string, attachment: TransitGatewayAttachment): { readonly next: Position } | { readonly end: TraceEnd } {
  switch (attachment.type) {
    case "vpc":
      return { next: { at: "vpc", region, attachment } };
    case "peering":
      // The same attachment id on the peer side; the peer's route table for it decides next.
      return {
        next: { at: "transit-gateway", region: attachment.peerRegion, transitGatewayId: attachment.peerTransitGatewayId, attachmentId: attachment.attachmentId },
      };
    default:
      return { end: { kind: "left-through-attachment", region, attachmentId: attachment.attachmentId, attachmentType: attachment.type } };
  }
}

/**
 * From the transit gateway into a VPC: delivered when the VPC holds the destination; otherwise
 * the route table of the attachment's subnet decides (which usually has nothing for it).
 */
function enterVpc(region: ReadRegionIndex, attachment: VpcAttachment, destination: number): Step {
  const vpc = region.vpcs.get(attachment.resourceId);
  if (!vpc) return { hops: [], end: noRoute(region, attachment.attachmentId, `${attachment.resourceId} of ${attachment.attachmentId} is not in ${region.region.region}`) };
  if (vpcBlockHolding(vpc, destination)) return { hops: [], end: deliverInVpc(region, vpc, destination) };

  const subnetId = attachment.subnetIds[0];
  const subnet = subnetId ? region.subnets.get(subnetId) : undefined;
  const table = subnetId ? region.routeTableOfSubnet.get(subnetId) : undefined;
  if (!subnet || !table) {
    return { hops: [], end: noRoute(region, vpc.vpc.vpcId, `the destination is outside ${vpc.vpc.vpcId} and its attachment subnet has no route table`) };
  }
  const tableId = table.table.routeTableId;
  const route = selectVpcRoute(table, destination);
  if (!route) return { hops: [], end: noRoute(region, tableId, `the destination is outside ${vpc.vpc.vpcId} and ${tableId} has no route for it`) };
  const hop: VpcRouteTableHop = { kind: "vpc-route-table", region: region.region.region, id: tableId, subnetId: subnet.subnetId, route };
  return { hops: [hop], ...followVpcRoute(region, vpc, subnet.availabilityZone, tableId, route, destination) };
}

/** Why an attachment drops traffic, or undefined when it carries it. */
function whyUnusable(attachment: TransitGatewayAttachment): string | undefined {
  if (attachment.state !== "available") return `attachment ${attachment.attachmentId} is ${attachment.state}, not available`;
  if (attachment.type === "vpn" && attachment.tunnelStatuses && attachment.tunnelStatuses.length > 0 && !attachment.tunnelStatuses.includes("UP")) {
    return `every tunnel of ${attachment.resourceId} (${attachment.attachmentId}) is DOWN`;
  }
  return undefined;
}

function attachmentHop(region: string, { transitGateway, attachment }: IndexedAttachment, direction: "in" | "out"): AttachmentHop {
  return { kind: "attachment", region, id: attachment.attachmentId, transitGatewayId: transitGateway.transitGatewayId, attachmentType: attachment.type, direction };
}

function noRoute(region: ReadRegionIndex, at: string, reason: string): TraceEnd {
  return { kind: "no-route", region: region.region.region, at, reason };
}

function blackhole(region: ReadRegionIndex, at: string, reason: string): TraceEnd {
  return { kind: "blackhole", region: region.region.region, at, reason };
}

function loopEnd(region: string, at: string, reason: string): TraceEnd {
  return { kind: "loop", region, at, reason };
}

function unknown(region: string, reason: string): TraceEnd {
  return { kind: "unknown", region, reason };
}

/** One line for people on how a trace ended. */
export function describeEnd(end: TraceEnd): string {
  switch (end.kind) {
    case "delivered-to-vpc":
      return `delivered to ${end.subnetId} in ${end.vpcId} (${end.region})`;
    case "left-through-attachment":
      return `left through ${end.attachmentType} attachment ${end.attachmentId} (${end.region})`;
    case "fenced":
      return `fenced by the blackhole ${end.destinationCidr} in ${end.routeTableId} (${end.region})`;
    case "blackhole":
    case "no-route":
    case "loop":
      return `${end.reason} (${end.region})`;
    case "unknown":
      return end.reason;
  }
}
