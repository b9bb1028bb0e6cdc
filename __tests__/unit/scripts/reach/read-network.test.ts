/**
 * readNetwork with EC2 mocked per region (aws-sdk-client-mock), and against real sockets that
 * refuse or never answer: what each region's outcome is, which calls it makes, and how long a
 * dead region may hold it up.
 */
import * as net from "node:net";
import {
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
  EC2ServiceException,
  SearchTransitGatewayRoutesCommand,
} from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { RegionRole } from "../../../../config/topology-model";
import { Ec2Clients } from "../../../../scripts/lib/aws";
import { EMULATOR_CREDENTIALS } from "../../../../scripts/lib/emulator";
import { RegionAnswers } from "../../../../scripts/reach/network-from-ec2";
import { READ_NETWORK_OPERATIONS, readNetwork } from "../../../../scripts/reach/read-network";
import { topologyWith } from "../../../support/topologies";
import { deployedPairAnswers, ids } from "./ec2-answers";

const topology = topologyWith();
const region = { primary: topology.primary.region, secondary: topology.secondary.region };
const ec2Mock = mockClient(EC2Client);

type Fault = (role: RegionRole, operation: string) => Promise<never> | undefined;

/** Each call answers from `answers` of the calling client's region, unless `fault` fails it. */
function serve(answers: Record<RegionRole, RegionAnswers>, fault: Fault = () => undefined): void {
  const roleOf = async (getClient: () => { config: { region: () => Promise<string> } }): Promise<RegionRole> =>
    (await getClient().config.region()) === region.primary ? "primary" : "secondary";
  const on = (command: any, operation: string, answer: (a: RegionAnswers, input: any) => object) =>
    ec2Mock.on(command).callsFake(async (input: any, getClient: any) => {
      const role = await roleOf(getClient);
      return (await fault(role, operation)) ?? answer(answers[role], input);
    });
  on(DescribeVpcsCommand, "DescribeVpcs", (a) => ({ Vpcs: a.vpcs }));
  on(DescribeSubnetsCommand, "DescribeSubnets", (a) => ({ Subnets: a.subnets }));
  on(DescribeRouteTablesCommand, "DescribeRouteTables", (a) => ({ RouteTables: a.routeTables }));
  on(DescribeTransitGatewaysCommand, "DescribeTransitGateways", (a) => ({ TransitGateways: a.transitGateways }));
  on(DescribeTransitGatewayAttachmentsCommand, "DescribeTransitGatewayAttachments", (a) => ({ TransitGatewayAttachments: a.attachments }));
  on(DescribeTransitGatewayVpcAttachmentsCommand, "DescribeTransitGatewayVpcAttachments", (a) => ({ TransitGatewayVpcAttachments: a.vpcAttachments }));
  on(DescribeTransitGatewayPeeringAttachmentsCommand, "DescribeTransitGatewayPeeringAttachments", (a) => ({ TransitGatewayPeeringAttachments: a.peeringAttachments }));
  on(DescribeTransitGatewayRouteTablesCommand, "DescribeTransitGatewayRouteTables", (a) => ({ TransitGatewayRouteTables: a.transitGatewayRouteTables }));
  on(SearchTransitGatewayRoutesCommand, "SearchTransitGatewayRoutes", (a, input) => ({ Routes: a.transitGatewayRoutes[input.TransitGatewayRouteTableId] ?? [], AdditionalRoutesAvailable: false }));
  on(DescribeVpnConnectionsCommand, "DescribeVpnConnections", (a) => ({ VpnConnections: a.vpnConnections }));
}

const clients = () => new Ec2Clients({ credentials: EMULATOR_CREDENTIALS, maxAttempts: 1 });
const awsError = (name: string, status: number, fault: "client" | "server" = "client") =>
  new EC2ServiceException({ name, $fault: fault, $metadata: { httpStatusCode: status }, message: `${name} (test)` });

beforeEach(() => ec2Mock.reset());

describe("readNetwork with both regions answering", () => {
  test("GIVEN a deployed pair WHEN read THEN both regions are read, labelled and in the model", async () => {
    serve(deployedPairAnswers(topology));

    const readBack = await readNetwork({ topology, clients: clients() });

    expect(readBack.regions.map((r) => [r.region, r.role, r.outcome, r.labels?.vpnAttachments])).toEqual([
      [region.primary, "primary", "read", { office: ids.vpnAttachment("primary", "office") }],
      [region.secondary, "secondary", "read", { office: ids.vpnAttachment("secondary", "office") }],
    ]);
    expect(readBack.model.regions.map((r) => (r.status === "read" ? [r.region, r.vpcs.length, r.transitGateways[0].routeTables.length] : r.status))).toEqual([
      [region.primary, 2, 3],
      [region.secondary, 2, 3],
    ]);
  });

  test("GIVEN a read WHEN its calls are listed THEN each is a read-only call of READ_NETWORK_OPERATIONS, VPCs and transit gateways are asked for by the topology tag and routes by state", async () => {
    serve(deployedPairAnswers(topology));

    await readNetwork({ topology, clients: clients() });

    const calls = ec2Mock.calls().map((call) => call.args[0]);
    const operations = new Set(calls.map((command) => command.constructor.name.replace(/Command$/, "")));
    expect([...operations].every((op) => (READ_NETWORK_OPERATIONS as readonly string[]).includes(op))).toBe(true);
    expect(operations.size).toBe(READ_NETWORK_OPERATIONS.length);
    const inputOf = (commandClass: unknown) => calls.filter((c) => c instanceof (commandClass as any)).map((c) => c.input as any);
    for (const input of [...inputOf(DescribeVpcsCommand), ...inputOf(DescribeTransitGatewaysCommand)]) {
      expect(input.Filters).toEqual([{ Name: "tag:regionpair:topology", Values: [topology.name] }]);
    }
    const searches = inputOf(SearchTransitGatewayRoutesCommand);
    expect(searches).toHaveLength(6);
    expect(searches.every((input) => JSON.stringify(input.Filters) === JSON.stringify([{ Name: "state", Values: ["active", "blackhole"] }]))).toBe(true);
  });

  test("GIVEN DescribeVpcs and SearchTransitGatewayRoutes answer in pages WHEN read THEN every page is followed", async () => {
    const answers = deployedPairAnswers(topology);
    serve(answers);
    const [managementVpc, workloadVpc] = answers.primary.vpcs;
    ec2Mock
      .on(DescribeVpcsCommand)
      .callsFake(async (input: any, getClient: any) => {
        const primary = (await getClient().config.region()) === region.primary;
        if (!primary) return { Vpcs: answers.secondary.vpcs };
        return input.NextToken === "page-2" ? { Vpcs: [workloadVpc] } : { Vpcs: [managementVpc], NextToken: "page-2" };
      });
    const clientsTable = ids.transitGatewayRouteTable("primary", "clients");
    const routes = answers.primary.transitGatewayRoutes[clientsTable];
    ec2Mock.on(SearchTransitGatewayRoutesCommand).callsFake(async (input: any, getClient: any) => {
      const role = (await getClient().config.region()) === region.primary ? "primary" : "secondary";
      if (input.TransitGatewayRouteTableId !== clientsTable) return { Routes: answers[role].transitGatewayRoutes[input.TransitGatewayRouteTableId] };
      return input.NextToken ? { Routes: routes.slice(1) } : { Routes: routes.slice(0, 1), NextToken: "more", AdditionalRoutesAvailable: true };
    });

    const readBack = await readNetwork({ topology, clients: clients() });

    const primary = readBack.model.regions[0];
    if (primary.status !== "read") throw new Error(`primary not read: ${primary.reason}`);
    expect(primary.vpcs.map((v) => v.vpcId)).toEqual([ids.managementVpc("primary"), ids.workloadVpc("primary")]);
    const table = primary.transitGateways[0].routeTables.find((t) => t.routeTableId === clientsTable)!;
    expect(table.routes.map((r) => r.destinationCidr)).toEqual(routes.map((r) => r.DestinationCidrBlock));
  });
});

describe("readNetwork with a region down or refusing", () => {
  test("GIVEN the primary refuses connections WHEN read THEN it is unreachable with the call and code, and the secondary is read", async () => {
    serve(deployedPairAnswers(topology), (role, operation) =>
      role === "primary" && operation === "DescribeTransitGateways" ? Promise.reject(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" })) : undefined,
    );

    const readBack = await readNetwork({ topology, clients: clients() });

    expect(readBack.regions.map((r) => [r.region, r.outcome])).toEqual([
      [region.primary, "unreachable"],
      [region.secondary, "read"],
    ]);
    expect(readBack.regions[0].reason).toMatch(/^DescribeTransitGateways: ECONNREFUSED: connect ECONNREFUSED/);
    expect(readBack.model.regions[0]).toEqual({ region: region.primary, status: "unreachable", reason: readBack.regions[0].reason });
  });

  test("GIVEN the secondary answers HTTP 503 WHEN read THEN it is unreachable", async () => {
    serve(deployedPairAnswers(topology), (role) => (role === "secondary" ? Promise.reject(awsError("Unavailable", 503, "server")) : undefined));

    const readBack = await readNetwork({ topology, clients: clients() });

    expect(readBack.regions.map((r) => r.outcome)).toEqual(["read", "unreachable"]);
  });

  test("GIVEN the primary's calls never answer WHEN read with a 300 ms bound THEN it is unreachable within the bound and the secondary is read", async () => {
    serve(deployedPairAnswers(topology), (role) => (role === "primary" ? new Promise<never>(() => {}) : undefined));
    const started = Date.now();

    const readBack = await readNetwork({ topology, clients: clients(), timeoutMs: 300 });

    expect(Date.now() - started).toBeLessThan(2_000);
    expect(readBack.regions.map((r) => [r.outcome, r.reason])).toEqual([
      ["unreachable", "the EC2 API did not answer within 0.3 s"],
      ["read", undefined],
    ]);
  });

  test("GIVEN the secondary denies DescribeTransitGatewayRouteTables WHEN read THEN it failed, naming the code, the call and the missing permission", async () => {
    serve(deployedPairAnswers(topology), (role, operation) =>
      role === "secondary" && operation === "DescribeTransitGatewayRouteTables" ? Promise.reject(awsError("UnauthorizedOperation", 403)) : undefined,
    );

    const readBack = await readNetwork({ topology, clients: clients() });

    expect(readBack.regions[1]).toMatchObject({
      region: region.secondary,
      outcome: "failed",
      error: { code: "UnauthorizedOperation", operation: "DescribeTransitGatewayRouteTables", hint: expect.stringContaining(`ec2:DescribeTransitGatewayRouteTables in ${region.secondary}`) },
    });
    expect(readBack.regions[0].outcome).toBe("read");
  });

  test("GIVEN expired credentials WHEN read THEN both regions failed with the credential hint", async () => {
    serve(deployedPairAnswers(topology), () => Promise.reject(awsError("ExpiredToken", 400)));

    const readBack = await readNetwork({ topology, clients: clients() });

    expect(readBack.regions.map((r) => [r.outcome, r.error?.code, r.error?.hint])).toEqual([
      ["failed", "ExpiredToken", expect.stringMatching(/AWS credentials/)],
      ["failed", "ExpiredToken", expect.stringMatching(/AWS credentials/)],
    ]);
  });

  test("GIVEN a bug in handling an answer WHEN read THEN it is thrown, not reported as a region problem", async () => {
    serve(deployedPairAnswers(topology), (role, operation) => (role === "primary" && operation === "DescribeSubnets" ? Promise.reject(new TypeError("x is not a function")) : undefined));

    await expect(readNetwork({ topology, clients: clients() })).rejects.toThrow(TypeError);
  });
});

describe("readNetwork against a real endpoint that never answers", () => {
  let hung: net.Server;
  const sockets = new Set<net.Socket>();
  beforeAll(async () => {
    // Accepts connections and never answers, like an endpoint behind a dead link.
    hung = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => hung.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => hung.close(() => resolve()));
  });

  // Refused connections are shown through the CLI (reach.test.ts): inside jest's sandbox the SDK
  // sees Node's network errors as foreign objects and wraps them, losing their code.
  test("GIVEN both regions' endpoint accepts and never answers WHEN read with short per-request limits THEN both are unreachable by the SDK's time-out, well within the overall bound", async () => {
    ec2Mock.restore();
    const url = `http://127.0.0.1:${(hung.address() as net.AddressInfo).port}`;
    const realClients = new Ec2Clients({ endpoints: { [region.primary]: url, [region.secondary]: url }, credentials: EMULATOR_CREDENTIALS, maxAttempts: 1, timeouts: { connectMs: 300, requestMs: 400 } });
    const started = Date.now();
    try {
      const readBack = await readNetwork({ topology, clients: realClients, timeoutMs: 10_000 });

      expect(readBack.regions.map((r) => r.outcome)).toEqual(["unreachable", "unreachable"]);
      expect(readBack.regions.every((r) => /: TimeoutError: /.test(r.reason ?? ""))).toBe(true);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      realClients.destroy();
    }
  });
});
