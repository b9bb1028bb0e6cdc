/**
 * One region's failover against a mocked EC2 API and a stand-in terraform: routes move in place
 * before terraform runs, the plan that follows must leave them alone, and every AWS failure
 * becomes that region's result (unreachable or failed, with the code and what to check), never an
 * exception.
 */
import { ReplaceTransitGatewayRouteCommand, CreateTransitGatewayRouteCommand, DescribeAvailabilityZonesCommand, SearchTransitGatewayRoutesCommand } from "@aws-sdk/client-ec2";
import { failoverRegion, RegionFailoverOptions } from "../../../../scripts/failover/region-failover";
import { SILENT_PROGRESS } from "../../../../scripts/lib/progress";
import { movesOnFailover, transitRoutes } from "../../../../config/transit-routes";
import { topologyWith } from "../../../support/topologies";
import { startHungEndpoint } from "../../../support/hung-endpoint";
import { Ec2Clients } from "../../../../scripts/lib/aws";
import { awsError, desiredRoutes, fakeRegion, fakeTerraform } from "./fake-region";

const topology = topologyWith();
const { primary, secondary } = { primary: topology.primary.region, secondary: topology.secondary.region };
const moving = transitRoutes(topology, "secondary").filter(movesOnFailover);

const credentials = { accessKeyId: "x", secretAccessKey: "x" };
let created: Ec2Clients[] = [];
afterEach(() => {
  for (const clients of created) clients.destroy();
  created = [];
});

/** Both regions faked with the primary active; the secondary is the one failed over. */
function setUp(overrides: Partial<RegionFailoverOptions> = {}) {
  const clients = new Ec2Clients({ credentials, maxAttempts: 1 });
  created.push(clients);
  const fake = fakeRegion(clients.forRegion(secondary), topology, "secondary", primary);
  const other = fakeRegion(clients.forRegion(primary), topology, "primary", primary);
  const terraform = fakeTerraform([fake, other], topology, secondary);
  const options: RegionFailoverOptions = {
    topology,
    role: "secondary",
    toRegion: secondary,
    dryRun: false,
    clients,
    terraform,
    progress: SILENT_PROGRESS,
    routeAddresses: fake.addresses,
    timeoutMs: 5_000,
    probeTimeoutMs: 1_000,
    ...overrides,
  };
  return { clients, fake, other, terraform, options };
}

afterEach(() => jest.useRealTimers());

describe("a region's failover with the API answering", () => {
  test("GIVEN the secondary passive WHEN failing over to it THEN every moving route is replaced in place before terraform runs, and the region converges", async () => {
    const { fake, terraform, options } = setUp();
    const result = await failoverRegion(options);
    expect(result).toMatchObject({ outcome: "converged", routesReplaced: moving.length, routesCreated: 0, movedRoutesInPlan: 0, verification: { method: "trace", failures: [] } });
    // Traced: the secondary's management VPC and VPN, each to each workload, delivered at home.
    expect(result.verification?.checked).toBe(2 * topology.workloads.length);
    expect(fake.routes).toEqual(desiredRoutes(topology, "secondary", secondary));
    // Each to its new target in one call: an attachment, or Blackhole=true (none here: the target opens its fence).
    const calls = fake.mock.commandCalls(ReplaceTransitGatewayRouteCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(moving.length);
    expect(calls.every((input) => input.TransitGatewayAttachmentId && !input.Blackhole)).toBe(true);
    expect(terraform.calls).toEqual(["init routing-secondary", "plan routing-secondary", "show routing-secondary", "apply routing-secondary"]);
  });

  test("GIVEN the region becoming passive WHEN failing over away from it THEN the fence routes become blackholes with Blackhole=true and no attachment, and the trace finds its copy fenced", async () => {
    const clients = new Ec2Clients({ credentials, maxAttempts: 1 });
    created.push(clients);
    const fake = fakeRegion(clients.forRegion(primary), topology, "primary", primary);
    // The target already converged: it routes the workloads to its own copy.
    fakeRegion(clients.forRegion(secondary), topology, "secondary", secondary);
    const result = await failoverRegion({ ...setUp().options, role: "primary", clients, routeAddresses: fake.addresses, terraform: fakeTerraform([fake], topology, secondary) });
    expect(result).toMatchObject({ outcome: "converged", verification: { failures: [] } });
    // Its clients to each workload (delivered in the secondary), and its fenced copy checked too.
    expect(result.verification!.checked).toBeGreaterThan(2 * topology.workloads.length);
    const blackholed = fake.mock.commandCalls(ReplaceTransitGatewayRouteCommand).map((c) => c.args[0].input).filter((input) => input.Blackhole);
    expect(blackholed.map((input) => input.TransitGatewayAttachmentId)).toEqual(blackholed.map(() => undefined));
    expect(blackholed.length).toBe(transitRoutes(topology, "primary").filter((r) => movesOnFailover(r) && r.whilePassive.kind === "blackhole").length);
  });

  test("GIVEN routes already where they belong WHEN failing over again THEN nothing is replaced and terraform still confirms", async () => {
    const { fake, options } = setUp();
    for (const [k, v] of desiredRoutes(topology, "secondary", secondary)) fake.routes.set(k, v);
    const result = await failoverRegion(options);
    expect(result).toMatchObject({ outcome: "converged", routeChanges: 0 });
    expect(fake.mock.commandCalls(ReplaceTransitGatewayRouteCommand)).toHaveLength(0);
  });

  test("GIVEN a moving route missing in AWS and in terraform's state WHEN failing over THEN it is created, then imported so terraform does not create it twice", async () => {
    const { fake, terraform, options } = setUp();
    const route = moving[0];
    const k = `${fake.tableIds[route.table]} ${route.cidr}`;
    fake.routes.delete(k);
    fake.inState.delete(k);
    const result = await failoverRegion(options);
    expect(result).toMatchObject({ outcome: "converged", routesCreated: 1, routesReplaced: moving.length - 1, movedRoutesInPlan: 0 });
    expect(fake.mock.commandCalls(CreateTransitGatewayRouteCommand).map((c) => c.args[0].input.DestinationCidrBlock)).toEqual([route.cidr]);
    expect(terraform.calls).toContain(`import routing-secondary ${fake.addresses[route.id]} ${fake.tableIds[route.table]}_${route.cidr}`);
  });

  test("GIVEN a plan that would still replace a moved route WHEN failing over THEN nothing is applied and the region fails with MovedRoutesInPlan", async () => {
    const { fake, terraform, options } = setUp();
    const stale = { ...terraform, showJson: async () => ({ resource_changes: [{ address: fake.addresses[moving[0].id], mode: "managed", type: "aws_ec2_transit_gateway_route", change: { actions: ["delete", "create"], before: {}, after: {} } }] }) };
    const result = await failoverRegion({ ...options, terraform: stale });
    expect(result).toMatchObject({ outcome: "failed", movedRoutesInPlan: 1, error: { code: "MovedRoutesInPlan" } });
    expect(terraform.calls).not.toContain("apply routing-secondary");
  });

  test("GIVEN --dry-run WHEN failing over THEN no route moves, the calls are checked with DryRun, and the region is planned", async () => {
    const { fake, terraform, options } = setUp({ dryRun: true });
    fake.mock.on(ReplaceTransitGatewayRouteCommand).rejects(awsError("DryRunOperation", 412));
    const before = new Map(fake.routes);
    const result = await failoverRegion(options);
    expect(result).toMatchObject({ outcome: "planned", routeChanges: moving.length, permissions: [{ permission: "ec2:ReplaceTransitGatewayRoute", verdict: "allowed" }] });
    expect(fake.mock.commandCalls(ReplaceTransitGatewayRouteCommand).every((c) => c.args[0].input.DryRun === true)).toBe(true);
    expect(fake.routes).toEqual(before);
    expect(terraform.calls).not.toContain("apply routing-secondary");
  });
});

describe("a region's failover when AWS fails", () => {
  test("GIVEN EC2 throttling the first replacements WHEN failing over THEN they are retried within the budget and the region converges", async () => {
    const { fake, options } = setUp();
    let throttled = 0;
    fake.mock.on(ReplaceTransitGatewayRouteCommand).callsFake(async (input) => {
      if (throttled < 3) {
        throttled++;
        throw awsError("RequestLimitExceeded", 503);
      }
      fake.routes.set(`${input.TransitGatewayRouteTableId} ${input.DestinationCidrBlock}`, input.Blackhole ? "blackhole" : input.TransitGatewayAttachmentId);
      return {};
    });
    const result = await failoverRegion({ ...options, timeoutMs: 20_000 });
    expect(throttled).toBe(3);
    expect(result).toMatchObject({ outcome: "converged", routesReplaced: moving.length });
  });

  test("GIVEN EC2 throttling past the time budget WHEN failing over THEN the region fails with RequestLimitExceeded and what to do", async () => {
    const { fake, options } = setUp();
    fake.mock.on(ReplaceTransitGatewayRouteCommand).rejects(awsError("RequestLimitExceeded", 503));
    const result = await failoverRegion({ ...options, timeoutMs: 1_500 });
    expect(result).toMatchObject({ outcome: "failed", phase: "replace-routes", error: { code: "RequestLimitExceeded", operation: "ReplaceTransitGatewayRoute", check: expect.stringMatching(/later|--timeout/) } });
  });

  test.each([
    ["UnauthorizedOperation", 403, { outcome: "failed", error: { code: "UnauthorizedOperation", permission: "ec2:ReplaceTransitGatewayRoute", check: expect.stringMatching(/^grant ec2:ReplaceTransitGatewayRoute in eu-central-1/) } }],
    ["AccessDenied", 403, { outcome: "failed", error: { code: "AccessDenied", permission: "ec2:ReplaceTransitGatewayRoute" } }],
    ["ExpiredToken", 400, { outcome: "failed", error: { code: "ExpiredToken", check: expect.stringMatching(/credentials/) } }],
    ["InternalError", 500, { outcome: "unreachable", error: { code: "InternalError" } }],
  ])("GIVEN ReplaceTransitGatewayRoute answering %s WHEN failing over THEN the region's result names the code and what to check", async (code, status, expected) => {
    const { fake, terraform, options } = setUp();
    fake.mock.on(ReplaceTransitGatewayRouteCommand).rejects(awsError(code, status, status >= 500 ? "server" : "client"));
    const result = await failoverRegion(options);
    expect(result).toMatchObject({ phase: "replace-routes", ...expected });
    expect(terraform.calls).toEqual([]);
  });

  test.each([
    ["a request time-out", Object.assign(new Error("socket timed out"), { name: "TimeoutError" })],
    ["an aborted hung request", Object.assign(new Error("Request aborted"), { name: "AbortError" })],
    ["a refused connection", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" })],
  ])("GIVEN %s at the probe WHEN failing over THEN the region is unreachable and nothing is called after it", async (_label, error) => {
    const { fake, terraform, options } = setUp();
    fake.mock.on(DescribeAvailabilityZonesCommand).rejects(error);
    const result = await failoverRegion(options);
    expect(result).toMatchObject({ outcome: "unreachable", phase: "probe", error: { operation: "DescribeAvailabilityZones" } });
    expect(fake.mock.commandCalls(SearchTransitGatewayRoutesCommand)).toHaveLength(0);
    expect(terraform.calls).toEqual([]);
  });

  test("GIVEN the management VPC without its route to the transit gateway WHEN failing over THEN the trace fails the region and names the client that cannot reach a workload", async () => {
    const { fake, options } = setUp();
    for (const table of fake.answers.routeTables) {
      if (table.VpcId === "vpc-mgmt-secondary") table.Routes = (table.Routes ?? []).filter((r) => r.DestinationCidrBlock !== topology.workloads[0].cidr);
    }
    const result = await failoverRegion(options);
    expect(result).toMatchObject({ outcome: "failed", phase: "verify", error: { code: "ReachMismatch" } });
    expect(result.error!.message).toContain(`client-to-workload management@${secondary} → ${topology.workloads[0].name}`);
    expect(result.error!.check).toContain(`regionpair reach --active ${secondary}`);
  });

  test("GIVEN a bug in a later step WHEN failing over THEN the region fails as an internal error with its stack, and the call returns", async () => {
    const { terraform, options } = setUp();
    const result = await failoverRegion({ ...options, terraform: { ...terraform, ensureInit: async () => { throw new TypeError("cannot read x of undefined"); } } });
    expect(result).toMatchObject({ outcome: "failed", phase: "init", error: { code: "InternalError", message: expect.stringContaining("TypeError: cannot read x of undefined") } });
    expect(result.detail).toContain("route(s) were moved before this");
  });
});

describe("a region whose endpoint accepts connections and never answers", () => {
  test("GIVEN a hung EC2 endpoint WHEN failing over THEN the probe gives up within its time limit and the region is unreachable", async () => {
    const hung = await startHungEndpoint();
    const clients = new Ec2Clients({ credentials, maxAttempts: 2, endpoints: { [secondary]: hung.url } });
    created.push(clients);
    try {
      const { terraform, options } = setUp();
      const started = Date.now();
      const result = await failoverRegion({ ...options, clients, probeTimeoutMs: 1_500 });
      expect(result).toMatchObject({ outcome: "unreachable", phase: "probe", error: { code: expect.stringMatching(/^(AbortError|TimeoutError)$/) } });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(hung.connections()).toBeGreaterThan(0);
      expect(terraform.calls).toEqual([]);
    } finally {
      await hung.close();
    }
  });
});
