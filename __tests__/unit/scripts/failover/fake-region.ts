/**
 * A region of a deployed pair behind a mocked EC2 client, for the failover's fault paths: every
 * Describe answer as reach's hand-written answers give it (VPCs, subnets, route tables, the
 * transit gateway and its tagged attachments and tables), routes that ReplaceTransitGatewayRoute
 * and CreateTransitGatewayRoute really change, and a stand-in for terraform whose plan compares
 * each route's configuration with what the fake API now says, as terraform's refresh does.
 */
import {
  CreateTransitGatewayRouteCommand,
  DescribeAvailabilityZonesCommand,
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayPeeringAttachmentsCommand,
  DescribeTransitGatewayRouteTablesCommand,
  DescribeTransitGatewayVpcAttachmentsCommand,
  DescribeTransitGatewaysCommand,
  DescribeVpcsCommand,
  DescribeVpnConnectionsCommand,
  EC2Client,
  ReplaceTransitGatewayRouteCommand,
  SearchTransitGatewayRoutesCommand,
  TransitGatewayRoute,
} from "@aws-sdk/client-ec2";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { RegionRole, Topology } from "../../../../config/topology";
import { TRANSIT_ROUTE_TABLES, transitRoutes } from "../../../../config/transit-routes";
import { RoutingTerraform } from "../../../../scripts/failover/region-failover";
import { MachineOutput } from "../../../../scripts/lib/terraform";
import { RegionAnswers } from "../../../../scripts/reach/network-from-ec2";
import { PEERING_ID, deployedPairAnswers, ids } from "../reach/ec2-answers";

export interface FakeRegion {
  readonly role: RegionRole;
  readonly region: string;
  readonly mock: AwsClientStub<EC2Client>;
  /** The Describe answers; tests may edit them (e.g. drop a VPC route) before the run. */
  readonly answers: RegionAnswers;
  readonly tableIds: Record<string, string>;
  /** Routes by `<table id> <cidr>`: an attachment id, or "blackhole". */
  readonly routes: Map<string, string>;
  /** Terraform address of each design route. */
  readonly addresses: Record<string, string>;
  /** Route keys terraform's state holds (a route created outside terraform is not there). */
  readonly inState: Set<string>;
}

const key = (tableId: string, cidr: string) => `${tableId} ${cidr}`;

function roleOf(topology: Topology, region: string): RegionRole {
  return topology.primary.region === region ? "primary" : "secondary";
}

/** The routes of `role` as the routing stacks leave them with `activeRegion` active. */
export function desiredRoutes(topology: Topology, role: RegionRole, activeRegion: string): Map<string, string> {
  const answers = deployedPairAnswers(topology, roleOf(topology, activeRegion))[role];
  return new Map(
    Object.entries(answers.transitGatewayRoutes).flatMap(([tableId, routes]) =>
      routes.map((r) => [key(tableId, r.DestinationCidrBlock!), r.TransitGatewayAttachments?.[0]?.TransitGatewayAttachmentId ?? "blackhole"] as [string, string]),
    ),
  );
}

/** The region with every route where the design puts it while `activeRegion` is active. */
export function fakeRegion(client: EC2Client, topology: Topology, role: RegionRole, activeRegion: string): FakeRegion {
  const region = topology[role].region;
  const answers = deployedPairAnswers(topology, roleOf(topology, activeRegion))[role];
  const tableIds = Object.fromEntries(TRANSIT_ROUTE_TABLES.map((table) => [table, ids.transitGatewayRouteTable(role, table)]));
  const routes = desiredRoutes(topology, role, activeRegion);
  const design = transitRoutes(topology, role);
  const mock = mockClient(client);
  const fake: FakeRegion = {
    role,
    region,
    mock,
    answers,
    tableIds,
    routes,
    addresses: Object.fromEntries(design.map((r) => [r.id, `aws_ec2_transit_gateway_route.routes_${r.id}_ABCDEF12`])),
    inState: new Set(routes.keys()),
  };
  const route = (tableId: string, cidr: string): TransitGatewayRoute[] => {
    const target = routes.get(key(tableId, cidr));
    if (!target) return [];
    if (target === "blackhole") return [{ DestinationCidrBlock: cidr, Type: "static", State: "blackhole" }];
    const attachment = answers.attachments.find((a) => a.TransitGatewayAttachmentId === target);
    return [{ DestinationCidrBlock: cidr, Type: "static", State: "active", TransitGatewayAttachments: [{ TransitGatewayAttachmentId: target, ResourceId: attachment?.ResourceId, ResourceType: attachment?.ResourceType }] }];
  };
  mock.on(DescribeAvailabilityZonesCommand).resolves({ AvailabilityZones: [{ ZoneName: `${region}a` }] });
  mock.on(DescribeVpcsCommand).callsFake(async () => ({ Vpcs: answers.vpcs }));
  mock.on(DescribeSubnetsCommand).callsFake(async () => ({ Subnets: answers.subnets }));
  mock.on(DescribeRouteTablesCommand).callsFake(async () => ({ RouteTables: answers.routeTables }));
  mock.on(DescribeTransitGatewaysCommand).callsFake(async () => ({ TransitGateways: answers.transitGateways }));
  mock.on(DescribeTransitGatewayAttachmentsCommand).callsFake(async () => ({ TransitGatewayAttachments: answers.attachments }));
  mock.on(DescribeTransitGatewayVpcAttachmentsCommand).callsFake(async () => ({ TransitGatewayVpcAttachments: answers.vpcAttachments }));
  mock.on(DescribeTransitGatewayPeeringAttachmentsCommand).callsFake(async () => ({ TransitGatewayPeeringAttachments: answers.peeringAttachments }));
  mock.on(DescribeTransitGatewayRouteTablesCommand).callsFake(async () => ({ TransitGatewayRouteTables: answers.transitGatewayRouteTables }));
  mock.on(DescribeVpnConnectionsCommand).callsFake(async () => ({ VpnConnections: answers.vpnConnections }));
  mock.on(SearchTransitGatewayRoutesCommand).callsFake(async (input) => {
    const exact: string[] | undefined = input.Filters.find((f: { Name: string }) => f.Name === "route-search.exact-match")?.Values;
    const cidrs = exact ?? [...routes.keys()].filter((k) => k.startsWith(`${input.TransitGatewayRouteTableId} `)).map((k) => k.split(" ")[1]);
    return { Routes: cidrs.flatMap((cidr) => route(input.TransitGatewayRouteTableId, cidr)), AdditionalRoutesAvailable: false };
  });
  const write = (mustExist: boolean) => async (input: { TransitGatewayRouteTableId: string; DestinationCidrBlock: string; TransitGatewayAttachmentId?: string; Blackhole?: boolean; DryRun?: boolean }) => {
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

export { PEERING_ID };

export interface FakeTerraform extends RoutingTerraform {
  readonly calls: string[];
}

/**
 * terraform over fake regions: the plan holds, per route, `no-op` when the API already has what
 * the configuration says, `delete,create` when not, `create` when the state lacks it.
 */
export function fakeTerraform(fakes: readonly FakeRegion[], topology: Topology, toRegion: string, overrides: Partial<RoutingTerraform> = {}): FakeTerraform {
  const calls: string[] = [];
  const byStack = (stack: string) => fakes.find((f) => stack === `routing-${f.role}`)!;
  const planOf = (stack: string) => {
    const fake = byStack(stack);
    const desired = desiredRoutes(topology, fake.role, toRegion);
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
