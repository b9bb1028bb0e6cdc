/**
 * A region's transit gateway behind a mocked EC2 client, for the failover's fault paths: route
 * tables and attachments tagged as the network stack tags them, routes that
 * ReplaceTransitGatewayRoute and CreateTransitGatewayRoute really change, and a stand-in for
 * terraform whose plan compares each route's configuration with what the fake API now says, as
 * terraform's refresh does.
 */
import {
  CreateTransitGatewayRouteCommand,
  DescribeAvailabilityZonesCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayRouteTablesCommand,
  EC2Client,
  ReplaceTransitGatewayRouteCommand,
  SearchTransitGatewayRoutesCommand,
  TransitGatewayRoute,
} from "@aws-sdk/client-ec2";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { RegionRole, Topology } from "../../../../config/topology";
import { TRANSIT_ROUTE_TABLES, TransitTarget, targetWhen, transitRoutes } from "../../../../config/transit-routes";
import { NAME_SUFFIX, Naming, TAG_REGION_ROLE, TAG_ROUTE_TABLE, TAG_TOPOLOGY } from "../../../../constructs/naming";
import { RoutingTerraform } from "../../../../scripts/failover/region-failover";
import { MachineOutput } from "../../../../scripts/lib/terraform";

export interface FakeRegion {
  readonly role: RegionRole;
  readonly region: string;
  readonly mock: AwsClientStub<EC2Client>;
  readonly tableIds: Record<string, string>;
  readonly attachments: { managementVpc: string; workloadVpc: string; peering: string; connections: Record<string, string> };
  /** Routes by `<table id> <cidr>`: an attachment id, or "blackhole". */
  readonly routes: Map<string, string>;
  /** Terraform address of each design route. */
  readonly addresses: Record<string, string>;
  /** Route keys terraform's state holds (a route created outside terraform is not there). */
  readonly inState: Set<string>;
}

const key = (tableId: string, cidr: string) => `${tableId} ${cidr}`;

function attachmentOf(target: TransitTarget, region: FakeRegion["attachments"]): string {
  switch (target.kind) {
    case "management-vpc":
      return region.managementVpc;
    case "workload-vpc":
      return region.workloadVpc;
    case "peering":
      return region.peering;
    case "connection":
      return region.connections[target.name];
    case "blackhole":
      return "blackhole";
  }
}

/** The region with every route where the design puts it while `activeRegion` is active. */
export function fakeRegion(client: EC2Client, topology: Topology, role: RegionRole, activeRegion: string): FakeRegion {
  const region = topology[role].region;
  const naming = new Naming(topology.name, role);
  const short = role === "primary" ? "a" : "b";
  const tableIds = Object.fromEntries(TRANSIT_ROUTE_TABLES.map((table) => [table, `tgw-rtb-${short}${table}`]));
  const attachments = {
    managementVpc: `tgw-attach-${short}mgmt`,
    workloadVpc: `tgw-attach-${short}work`,
    peering: "tgw-attach-peering",
    connections: Object.fromEntries(topology[role].connections.map((c) => [c.name, `tgw-attach-${short}vpn-${c.name}`])),
  };
  const design = transitRoutes(topology, role);
  const routes = new Map(design.map((r) => [key(tableIds[r.table], r.cidr), attachmentOf(targetWhen(r, region === activeRegion), attachments)]));
  const mock = mockClient(client);
  const fake: FakeRegion = {
    role,
    region,
    mock,
    tableIds,
    attachments,
    routes,
    addresses: Object.fromEntries(design.map((r) => [r.id, `aws_ec2_transit_gateway_route.routes_${r.id}_ABCDEF12`])),
    inState: new Set(routes.keys()),
  };
  const tags = (name: string, extra: Record<string, string> = {}) =>
    Object.entries({ Name: name, [TAG_TOPOLOGY]: topology.name, [TAG_REGION_ROLE]: role, ...extra }).map(([Key, Value]) => ({ Key, Value }));
  mock.on(DescribeAvailabilityZonesCommand).resolves({ AvailabilityZones: [{ ZoneName: `${region}a` }] });
  mock.on(DescribeTransitGatewayRouteTablesCommand).resolves({
    TransitGatewayRouteTables: TRANSIT_ROUTE_TABLES.map((table) => ({
      TransitGatewayRouteTableId: tableIds[table],
      State: "available",
      Tags: tags(naming.name(NAME_SUFFIX.transitGatewayRouteTable(table)), { [TAG_ROUTE_TABLE]: table }),
    })),
  });
  mock.on(DescribeTransitGatewayAttachmentsCommand).resolves({
    TransitGatewayAttachments: [
      { TransitGatewayAttachmentId: attachments.managementVpc, ResourceType: "vpc", State: "available", Tags: tags(naming.name(NAME_SUFFIX.vpcAttachment("management"))) },
      { TransitGatewayAttachmentId: attachments.workloadVpc, ResourceType: "vpc", State: "available", Tags: tags(naming.name(NAME_SUFFIX.vpcAttachment("workload"))) },
      { TransitGatewayAttachmentId: attachments.peering, ResourceType: "peering", State: "available", Tags: tags(new Naming(topology.name).name(NAME_SUFFIX.peeringAttachment)) },
      ...Object.entries(attachments.connections).map(([name, id]) => ({ TransitGatewayAttachmentId: id, ResourceType: "vpn" as const, State: "available" as const, Tags: tags(naming.name(NAME_SUFFIX.vpnAttachment(name))) })),
    ],
  });
  mock.on(SearchTransitGatewayRoutesCommand).callsFake(async (input) => {
    const cidrs: string[] = input.Filters.find((f: { Name: string }) => f.Name === "route-search.exact-match")?.Values ?? [];
    const found: TransitGatewayRoute[] = cidrs.flatMap((cidr) => {
      const target = routes.get(key(input.TransitGatewayRouteTableId, cidr));
      if (!target) return [];
      return [
        target === "blackhole"
          ? { DestinationCidrBlock: cidr, Type: "static", State: "blackhole" }
          : { DestinationCidrBlock: cidr, Type: "static", State: "active", TransitGatewayAttachments: [{ TransitGatewayAttachmentId: target, ResourceType: target === attachments.peering ? "peering" : "vpc" }] },
      ] as TransitGatewayRoute[];
    });
    return { Routes: found };
  });
  const write = (mustExist: boolean) => async (input: { TransitGatewayRouteTableId: string; DestinationCidrBlock: string; TransitGatewayAttachmentId?: string; Blackhole?: boolean }) => {
    const k = key(input.TransitGatewayRouteTableId, input.DestinationCidrBlock);
    if (mustExist && !routes.has(k)) throw awsError("InvalidRoute.NotFound");
    if (!mustExist && routes.has(k)) throw awsError("RouteAlreadyExists");
    routes.set(k, input.Blackhole ? "blackhole" : input.TransitGatewayAttachmentId!);
    return { Route: { DestinationCidrBlock: input.DestinationCidrBlock } };
  };
  mock.on(ReplaceTransitGatewayRouteCommand).callsFake(write(true));
  mock.on(CreateTransitGatewayRouteCommand).callsFake(write(false));
  return fake;
}

export function awsError(name: string, status = 400, fault: "client" | "server" = "client"): Error {
  return Object.assign(new Error(`${name} from the fake`), { name, $fault: fault, $metadata: { httpStatusCode: status } });
}

/** Where the design wants each route of the region with `toRegion` active. */
export function desiredRoutes(fake: FakeRegion, topology: Topology, toRegion: string): Map<string, string> {
  return new Map(transitRoutes(topology, fake.role).map((r) => [key(fake.tableIds[r.table], r.cidr), attachmentOf(targetWhen(r, fake.region === toRegion), fake.attachments)]));
}

export interface FakeTerraform extends RoutingTerraform {
  readonly calls: string[];
}

/**
 * terraform over a fake region: the plan holds, per route, `no-op` when the API already has what
 * the configuration says, `delete,create` when not, `create` when the state lacks it.
 */
export function fakeTerraform(fakes: readonly FakeRegion[], topology: Topology, toRegion: string, overrides: Partial<RoutingTerraform> = {}): FakeTerraform {
  const calls: string[] = [];
  const byStack = (stack: string) => fakes.find((f) => stack === `routing-${f.role}`)!;
  const planOf = (stack: string) => {
    const fake = byStack(stack);
    const desired = desiredRoutes(fake, topology, toRegion);
    return {
      resource_changes: transitRoutes(topology, fake.role).map((r) => {
        const k = key(fake.tableIds[r.table], r.cidr);
        const actions = !fake.inState.has(k) ? ["create"] : fake.routes.get(k) === desired.get(k) ? ["no-op"] : ["delete", "create"];
        return { address: fake.addresses[r.id], mode: "managed", type: "aws_ec2_transit_gateway_route", change: { actions, before: null, after: null } };
      }),
    };
  };
  const machine: MachineOutput = { errors: [] };
  return {
    calls,
    stackDir: (stack) => `/fake/${stack}`,
    ensureInit: async (stack) => void calls.push(`init ${stack}`),
    planToFile: async (stack) => {
      calls.push(`plan ${stack}`);
      return { machine };
    },
    showJson: async (stack) => {
      calls.push(`show ${stack}`);
      return planOf(stack);
    },
    applyPlanFile: async (stack) => {
      calls.push(`apply ${stack}`);
      return { machine };
    },
    importResource: async (stack, address, id) => {
      calls.push(`import ${stack} ${address} ${id}`);
      const [tableId, cidr] = id.split("_");
      byStack(stack).inState.add(key(tableId, cidr));
    },
    ...overrides,
  };
}


