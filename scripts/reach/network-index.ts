/**
 * Lookups over a NetworkModel for the tracer: every CIDR parsed once, every id in a map, and
 * route selection as AWS documents it. Built once per model and remembered, so tracing hundreds
 * of packets over the same model does not re-parse it.
 */
import { contains, Ipv4Cidr, parseCidr } from "../../config/cidr";
import {
  NetworkModel,
  ReadRegion,
  SubnetModel,
  TransitGatewayAttachment,
  TransitGatewayModel,
  TransitGatewayRoute,
  TransitGatewayRouteTable,
  UnreadRegion,
  VpcAttachment,
  VpcModel,
  VpcRoute,
  VpcRouteTable,
} from "./network-model";

interface Parsed<T> {
  readonly cidr: Ipv4Cidr;
  readonly item: T;
}

export interface IndexedRouteTable {
  readonly table: VpcRouteTable;
  /**
   * The table's routes and a `local` route for every block of its VPC: AWS creates those and
   * never lets anyone delete them, so they route whether the reader copied them or not.
   */
  readonly routes: readonly Parsed<VpcRoute>[];
}

export interface IndexedVpc {
  readonly vpc: VpcModel;
  readonly blocks: readonly Parsed<string>[];
  readonly subnets: readonly Parsed<SubnetModel>[];
  /** Its attachment on each transit gateway, by transit gateway id. */
  readonly attachments: ReadonlyMap<string, VpcAttachment>;
}

export interface IndexedAttachment {
  readonly transitGateway: TransitGatewayModel;
  readonly attachment: TransitGatewayAttachment;
}

export interface ReadRegionIndex {
  readonly status: "read";
  readonly region: ReadRegion;
  readonly vpcs: ReadonlyMap<string, IndexedVpc>;
  readonly subnets: ReadonlyMap<string, SubnetModel>;
  readonly routeTableOfSubnet: ReadonlyMap<string, IndexedRouteTable>;
  /** Attachment ids are unique within a region (a peering attachment's id recurs only in the peer region). */
  readonly attachments: ReadonlyMap<string, IndexedAttachment>;
  readonly transitGatewayRouteTables: ReadonlyMap<string, readonly Parsed<TransitGatewayRoute>[]>;
}

export type RegionIndex = ReadRegionIndex | { readonly status: "unreachable"; readonly region: UnreadRegion };

export interface NetworkIndex {
  readonly regions: ReadonlyMap<string, RegionIndex>;
}

const indexes = new WeakMap<NetworkModel, NetworkIndex>();

/** The index of `model`, built on first use; the model is readonly, so it never goes stale. */
export function networkIndex(model: NetworkModel): NetworkIndex {
  let index = indexes.get(model);
  if (!index) {
    index = { regions: new Map(model.regions.map((region) => [region.region, indexRegion(region)])) };
    indexes.set(model, index);
  }
  return index;
}

function parsed<T>(cidrText: string, item: T, where: string): Parsed<T> {
  try {
    return { cidr: parseCidr(cidrText), item };
  } catch (error) {
    throw new Error(`network model: ${where}: ${(error as Error).message}`);
  }
}

function indexRegion(region: ReadRegion | UnreadRegion): RegionIndex {
  if (region.status === "unreachable") return { status: "unreachable", region };
  const name = region.region;

  const blocksOf = new Map(region.vpcs.map((vpc) => [vpc.vpcId, vpc.cidrBlocks.map((block) => parsed(block, block, `${name} ${vpc.vpcId} block`))]));
  const routeTables = new Map<string, IndexedRouteTable>(
    region.routeTables.map((table) => {
      const routes = table.routes.map((route) => parsed(route.destinationCidr, route, `${name} ${table.routeTableId} route`));
      const local = (blocksOf.get(table.vpcId) ?? []).map(({ cidr, item }): Parsed<VpcRoute> => ({ cidr, item: { destinationCidr: item, target: { kind: "local" }, state: "active" } }));
      return [table.routeTableId, { table, routes: [...routes, ...local] }];
    }),
  );
  const routeTableOfSubnet = new Map<string, IndexedRouteTable>();
  for (const { table } of routeTables.values()) {
    for (const subnetId of table.subnetIds) routeTableOfSubnet.set(subnetId, routeTables.get(table.routeTableId)!);
  }
  const subnets = new Map(region.subnets.map((subnet) => [subnet.subnetId, subnet]));

  const vpcs = new Map<string, IndexedVpc>();
  for (const vpc of region.vpcs) {
    const vpcSubnets = region.subnets.filter((subnet) => subnet.vpcId === vpc.vpcId);
    const main = region.routeTables.find((table) => table.vpcId === vpc.vpcId && table.main);
    // A subnet without an explicit association follows the VPC's main route table.
    for (const subnet of vpcSubnets) {
      if (!routeTableOfSubnet.has(subnet.subnetId) && main) routeTableOfSubnet.set(subnet.subnetId, routeTables.get(main.routeTableId)!);
    }
    const attachments = new Map<string, VpcAttachment>();
    for (const transitGateway of region.transitGateways) {
      const attachment = transitGateway.attachments.find((a): a is VpcAttachment => a.type === "vpc" && a.resourceId === vpc.vpcId);
      if (attachment) attachments.set(transitGateway.transitGatewayId, attachment);
    }
    vpcs.set(vpc.vpcId, {
      vpc,
      blocks: blocksOf.get(vpc.vpcId)!,
      subnets: vpcSubnets.map((subnet) => parsed(subnet.cidrBlock, subnet, `${name} ${subnet.subnetId}`)),
      attachments,
    });
  }

  const attachments = new Map<string, IndexedAttachment>();
  const transitGatewayRouteTables = new Map<string, readonly Parsed<TransitGatewayRoute>[]>();
  for (const transitGateway of region.transitGateways) {
    for (const attachment of transitGateway.attachments) attachments.set(attachment.attachmentId, { transitGateway, attachment });
    for (const table of transitGateway.routeTables) {
      transitGatewayRouteTables.set(table.routeTableId, parsedRoutes(table, name));
    }
  }

  return {
    status: "read",
    region,
    vpcs,
    subnets,
    routeTableOfSubnet,
    attachments,
    transitGatewayRouteTables,
  };
}

function parsedRoutes(table: TransitGatewayRouteTable, region: string): readonly Parsed<TransitGatewayRoute>[] {
  return table.routes.map((route) => parsed(route.destinationCidr, route, `${region} ${table.routeTableId} route`));
}

/** The subnet of `vpc` that holds `address`, if any. */
export function subnetHolding(vpc: IndexedVpc, address: number): SubnetModel | undefined {
  return vpc.subnets.find((subnet) => contains(subnet.cidr, address))?.item;
}

export function vpcBlockHolding(vpc: IndexedVpc, address: number): boolean {
  return vpc.blocks.some((block) => contains(block.cidr, address));
}

/** The VPC route for `address`: the longest prefix wins (https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html). */
export function selectVpcRoute(table: IndexedRouteTable, address: number): VpcRoute | undefined {
  return longestPrefix(table.routes, address, () => 0);
}

/**
 * The transit gateway route for `address` in a route table: the most specific route; for equal
 * prefixes a static route beats a propagated one, and propagated routes rank by where they came
 * from (VPC, then Direct Connect gateway, then Connect, then VPN), as the "Route evaluation order"
 * of https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html says.
 */
export function selectTransitGatewayRoute(
  routes: readonly Parsed<TransitGatewayRoute>[],
  attachments: ReadonlyMap<string, IndexedAttachment>,
  address: number,
): TransitGatewayRoute | undefined {
  return longestPrefix(routes, address, (route) => {
    if (route.type === "static") return 0;
    const source = route.attachmentId ? attachments.get(route.attachmentId)?.attachment.type : undefined;
    const order = PROPAGATED_ORDER.indexOf(source ?? "");
    return 1 + (order < 0 ? PROPAGATED_ORDER.length : order);
  });
}

const PROPAGATED_ORDER: readonly string[] = ["vpc", "direct-connect-gateway", "connect", "vpn"];

/** Among the routes holding `address`, the longest prefix; ties go to the lowest rank, then to the first listed. */
function longestPrefix<T>(candidates: readonly Parsed<T>[], address: number, rank: (item: T) => number): T | undefined {
  let best: Parsed<T> | undefined;
  let bestRank = Infinity;
  for (const candidate of candidates) {
    if (!contains(candidate.cidr, address)) continue;
    const candidateRank = rank(candidate.item);
    const better =
      !best ||
      candidate.cidr.prefixLength > best.cidr.prefixLength ||
      (candidate.cidr.prefixLength === best.cidr.prefixLength && candidateRank < bestRank);
    if (better) {
      best = candidate;
      bestRank = candidateRank;
    }
  }
  return best?.item;
}
