/**
 * Hand-built networks for the reach tests: a region pair built the way regionpair builds it, and
 * small pure edits that break one thing at a time. Exported for a later benchmark of reachReport.
 *
 * Per region: a management VPC (a domain controller in zone a), a workload VPC holding every
 * workload CIDR (the same in both regions), a transit gateway with a `main` route table
 * (management VPC, VPN and peering attachments) and a `workload` route table (the workload VPC's
 * attachment): in the active region it routes back to the management VPCs and on premises; in
 * the passive region it is the fence, one static blackhole for everything.
 */
import {
  NetworkModel,
  ReadRegion,
  RegionNetwork,
  TransitGatewayAttachment,
  TransitGatewayModel,
  TransitGatewayRoute,
  VpcRoute,
} from "../../../../scripts/reach/network-model";
import { ReachClient, ReachWorkload } from "../../../../scripts/reach/reach-report";

export const PRIMARY = "us-east-1";
export const SECONDARY = "eu-west-1";
export const ON_PREMISES_CIDR = "192.168.0.0/16";
export const ON_PREMISES_HOST = "192.168.1.10";
export const PEERING = "tgw-attach-peering";

const MANAGEMENT_CIDR: Readonly<Record<string, string>> = { [PRIMARY]: "10.10.0.0/16", [SECONDARY]: "10.20.0.0/16" };

/** The second octet of a /16 management block: 10.10 → "10.10". */
function managementPrefix(region: string): string {
  return MANAGEMENT_CIDR[region].split(".").slice(0, 2).join(".");
}

/** Every id the builder uses, so tests name what they break. */
export const id = {
  managementVpc: (region: string) => `vpc-mgmt-${region}`,
  workloadVpc: (region: string) => `vpc-work-${region}`,
  managementSubnet: (region: string, zone: "a" | "b") => `subnet-mgmt-${region}-${zone}`,
  workloadSubnet: (region: string, workload: string, zone: "a" | "b") => `subnet-${workload}-${region}-${zone}`,
  managementRouteTable: (region: string) => `rtb-mgmt-${region}`,
  workloadRouteTable: (region: string) => `rtb-work-${region}`,
  transitGateway: (region: string) => `tgw-${region}`,
  managementAttachment: (region: string) => `tgw-attach-mgmt-${region}`,
  workloadAttachment: (region: string) => `tgw-attach-work-${region}`,
  vpnAttachment: (region: string) => `tgw-attach-vpn-${region}`,
  mainTable: (region: string) => `tgw-rtb-main-${region}`,
  workloadTable: (region: string) => `tgw-rtb-work-${region}`,
};

export function domainController(region: string): string {
  return `${managementPrefix(region)}.0.10`;
}

/** `count` workloads, each a /16 with a /24 per zone; the probe is in zone a. */
export function workloads(count = 1): ReachWorkload[] {
  return Array.from({ length: count }, (_, i) => ({
    name: i === 0 ? "app" : `app${i}`,
    cidr: `10.${100 + i}.0.0/16`,
    probeIp: `10.${100 + i}.0.20`,
  }));
}

/** A domain controller in each management VPC and the on-premises network through each region's VPN. */
export function clients(): ReachClient[] {
  return [
    ...[PRIMARY, SECONDARY].map((region): ReachClient => ({ name: `dc-${region}`, kind: "subnet", region, subnetId: id.managementSubnet(region, "a"), sourceIp: domainController(region) })),
    ...[PRIMARY, SECONDARY].map((region): ReachClient => ({ name: `onprem-via-${region}`, kind: "attachment", region, attachmentId: id.vpnAttachment(region), sourceIp: ON_PREMISES_HOST })),
  ];
}

export interface PairOptions {
  /** @default PRIMARY */
  readonly activeRegion?: string;
  /** @default workloads(1) */
  readonly workloads?: readonly ReachWorkload[];
}

export function buildPair(options: PairOptions = {}): NetworkModel {
  const active = options.activeRegion ?? PRIMARY;
  const apps = options.workloads ?? workloads(1);
  return { regions: [PRIMARY, SECONDARY].map((region) => buildRegion(region, region === PRIMARY ? SECONDARY : PRIMARY, region === active, apps)) };
}

function buildRegion(region: string, peer: string, active: boolean, apps: readonly ReachWorkload[]): ReadRegion {
  const tgw = id.transitGateway(region);
  const toTgw = (destinationCidr: string): VpcRoute => ({ destinationCidr, target: { kind: "transit-gateway", transitGatewayId: tgw }, state: "active" });
  const local = (destinationCidr: string): VpcRoute => ({ destinationCidr, target: { kind: "local" }, state: "active" });
  const zones = ["a", "b"] as const;
  const workloadBlocks = apps.map((app) => app.cidr);
  const workloadSubnet = (app: ReachWorkload, zone: "a" | "b", z: number) => ({
    subnetId: id.workloadSubnet(region, app.name, zone),
    vpcId: id.workloadVpc(region),
    cidrBlock: `${app.cidr.split(".").slice(0, 2).join(".")}.${z}.0/24`,
    availabilityZone: `${region}${zone}`,
  });

  const attachments: TransitGatewayAttachment[] = [
    {
      type: "vpc",
      attachmentId: id.managementAttachment(region),
      resourceId: id.managementVpc(region),
      state: "available",
      associatedRouteTableId: id.mainTable(region),
      subnetIds: zones.map((zone) => id.managementSubnet(region, zone)),
    },
    {
      type: "vpc",
      attachmentId: id.workloadAttachment(region),
      resourceId: id.workloadVpc(region),
      state: "available",
      associatedRouteTableId: id.workloadTable(region),
      subnetIds: zones.map((zone) => id.workloadSubnet(region, apps[0].name, zone)),
    },
    {
      type: "peering",
      attachmentId: PEERING,
      resourceId: id.transitGateway(peer),
      state: "available",
      associatedRouteTableId: id.mainTable(region),
      peerRegion: peer,
      peerTransitGatewayId: id.transitGateway(peer),
    },
    { type: "vpn", attachmentId: id.vpnAttachment(region), resourceId: `vpn-${region}`, state: "available", associatedRouteTableId: id.mainTable(region), tunnelStatuses: ["UP", "UP"] },
  ];

  const back: TransitGatewayRoute[] = [
    staticRoute(MANAGEMENT_CIDR[region], id.managementAttachment(region)),
    staticRoute(MANAGEMENT_CIDR[peer], PEERING),
    { destinationCidr: ON_PREMISES_CIDR, type: "propagated", state: "active", attachmentId: id.vpnAttachment(region) },
  ];
  const main: TransitGatewayRoute[] = [...back, ...workloadBlocks.map((cidr) => staticRoute(cidr, active ? id.workloadAttachment(region) : PEERING))];
  const workloadTable: TransitGatewayRoute[] = active ? back : [fence("0.0.0.0/0")];

  return {
    region,
    status: "read",
    vpcs: [
      { vpcId: id.managementVpc(region), cidrBlocks: [MANAGEMENT_CIDR[region]] },
      { vpcId: id.workloadVpc(region), cidrBlocks: workloadBlocks },
    ],
    subnets: [
      ...zones.map((zone, z) => ({
        subnetId: id.managementSubnet(region, zone),
        vpcId: id.managementVpc(region),
        cidrBlock: `${managementPrefix(region)}.${z}.0/24`,
        availabilityZone: `${region}${zone}`,
      })),
      ...apps.flatMap((app) => zones.map((zone, z) => workloadSubnet(app, zone, z))),
    ],
    routeTables: [
      {
        routeTableId: id.managementRouteTable(region),
        vpcId: id.managementVpc(region),
        main: true,
        subnetIds: [],
        routes: [local(MANAGEMENT_CIDR[region]), toTgw(MANAGEMENT_CIDR[peer]), toTgw(ON_PREMISES_CIDR), ...workloadBlocks.map(toTgw)],
      },
      {
        routeTableId: id.workloadRouteTable(region),
        vpcId: id.workloadVpc(region),
        main: false,
        subnetIds: apps.flatMap((app) => zones.map((zone) => id.workloadSubnet(region, app.name, zone))),
        routes: [...workloadBlocks.map(local), toTgw(MANAGEMENT_CIDR[region]), toTgw(MANAGEMENT_CIDR[peer]), toTgw(ON_PREMISES_CIDR)],
      },
    ],
    transitGateways: [
      {
        transitGatewayId: tgw,
        attachments,
        routeTables: [
          { routeTableId: id.mainTable(region), routes: main },
          { routeTableId: id.workloadTable(region), routes: workloadTable },
        ],
      },
    ],
  };
}

export function staticRoute(destinationCidr: string, attachmentId: string): TransitGatewayRoute {
  return { destinationCidr, type: "static", state: "active", attachmentId };
}

/** A deliberate blackhole: static, no attachment. */
export function fence(destinationCidr: string): TransitGatewayRoute {
  return { destinationCidr, type: "static", state: "blackhole" };
}

// Pure edits: each returns a new model with one thing changed.

function editRegion(model: NetworkModel, region: string, edit: (read: ReadRegion) => RegionNetwork): NetworkModel {
  return {
    regions: model.regions.map((r) => {
      if (r.region !== region) return r;
      if (r.status !== "read") throw new Error(`test setup: ${region} is not read`);
      return edit(r);
    }),
  };
}

export function editTransitGateway(model: NetworkModel, region: string, edit: (tgw: TransitGatewayModel) => TransitGatewayModel): NetworkModel {
  return editRegion(model, region, (r) => ({ ...r, transitGateways: r.transitGateways.map(edit) }));
}

export function editTransitGatewayRoutes(model: NetworkModel, region: string, tableId: string, edit: (routes: readonly TransitGatewayRoute[]) => readonly TransitGatewayRoute[]): NetworkModel {
  return editRegion(model, region, (r) => ({
    ...r,
    transitGateways: r.transitGateways.map((tgw) => ({
      ...tgw,
      routeTables: tgw.routeTables.map((table) => (table.routeTableId === tableId ? { ...table, routes: edit(table.routes) } : table)),
    })),
  }));
}

export function editVpcRoutes(model: NetworkModel, region: string, tableId: string, edit: (routes: readonly VpcRoute[]) => readonly VpcRoute[]): NetworkModel {
  return editRegion(model, region, (r) => ({
    ...r,
    routeTables: r.routeTables.map((table) => (table.routeTableId === tableId ? { ...table, routes: edit(table.routes) } : table)),
  }));
}

/** Changes an attachment, or removes it (`undefined`), as a deletion would. */
export function editAttachment(
  model: NetworkModel,
  region: string,
  attachmentId: string,
  edit: (attachment: TransitGatewayAttachment) => TransitGatewayAttachment | undefined,
): NetworkModel {
  return editRegion(model, region, (r) => ({
    ...r,
    transitGateways: r.transitGateways.map((tgw) => ({
      ...tgw,
      attachments: tgw.attachments.flatMap((a) => {
        if (a.attachmentId !== attachmentId) return [a];
        const edited = edit(a);
        return edited ? [edited] : [];
      }),
    })),
  }));
}

export function editSubnets(model: NetworkModel, region: string, edit: (subnets: ReadRegion["subnets"]) => ReadRegion["subnets"]): NetworkModel {
  return editRegion(model, region, (r) => ({ ...r, subnets: edit(r.subnets) }));
}

export function unread(model: NetworkModel, region: string, reason = "RequestTimeout"): NetworkModel {
  return editRegion(model, region, () => ({ region, status: "unreachable", reason }));
}
