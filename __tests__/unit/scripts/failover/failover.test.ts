/**
 * The whole failover over two regions behind mocked EC2 clients (and one hung endpoint): target
 * first, the other region untouched when the target does not converge, the other region's outage
 * never failing the run, and the pair's status at the end.
 */
import { DescribeAvailabilityZonesCommand } from "@aws-sdk/client-ec2";
import { exitCodeOf, failoverWithStatus as failover, followUp } from "../../../../scripts/failover";
import { Ec2Clients } from "../../../../scripts/lib/aws";
import { deploymentTarget } from "../../../../config/target";
import { topologyWith } from "../../../support/topologies";
import { startHungEndpoint } from "../../../support/hung-endpoint";
import { awsError, desiredRoutes, fakeRegion, fakeTerraform } from "./fake-region";
import { tempDirs } from "../../../support/tmp";

const topology = topologyWith();
const primary = topology.primary.region;
const secondary = topology.secondary.region;
const credentials = { accessKeyId: "x", secretAccessKey: "x" };
const target = deploymentTarget({ REGIONPAIR_EMULATOR_URL: "http://127.0.0.1:1" });
const outdir = tempDirs("failover-unit");

function pair(clients: Ec2Clients) {
  const fakes = [fakeRegion(clients.forRegion(primary), topology, "primary", primary), fakeRegion(clients.forRegion(secondary), topology, "secondary", primary)];
  return { fakes, terraform: fakeTerraform(fakes, topology, secondary) };
}

describe("failover across the pair", () => {
  let clients: Ec2Clients;
  beforeEach(() => (clients = new Ec2Clients({ credentials, maxAttempts: 1 })));
  afterEach(() => clients.destroy());

  test("GIVEN both regions answering WHEN failing over to the secondary THEN the secondary goes first, both converge and the status is ok with the primary fenced", async () => {
    const { fakes, terraform } = pair(clients);
    const report = await failover({ topology, target, toRegion: secondary, outdir: outdir(), dryRun: false, timeoutMs: 5_000, probeTimeoutMs: 1_000, clients, terraform });
    expect(report.results.map((r) => [r.region, r.outcome])).toEqual([
      [secondary, "converged"],
      [primary, "converged"],
    ]);
    expect(terraform.calls.filter((c) => c.startsWith("apply"))).toEqual(["apply routing-secondary", "apply routing-primary"]);
    for (const fake of fakes) expect(fake.routes).toEqual(desiredRoutes(topology, fake.role, secondary));
    expect(report.status).toMatchObject({ verdict: "ok", complete: true, fence: { passiveRegion: primary, fenced: true } });
    expect(exitCodeOf(report.results, false)).toBe(0);
  });

  test("GIVEN the target's API refusing WHEN failing over THEN the other region is not touched at all, the run says what to do and exits 1", async () => {
    const { fakes, terraform } = pair(clients);
    fakes[1].mock.on(DescribeAvailabilityZonesCommand).rejects(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }));
    const report = await failover({ topology, target, toRegion: secondary, outdir: outdir(), dryRun: false, timeoutMs: 5_000, probeTimeoutMs: 1_000, clients, terraform });
    expect(report.results.map((r) => [r.region, r.outcome])).toEqual([
      [secondary, "unreachable"],
      [primary, "skipped"],
    ]);
    // Only the status read at the end may look at the primary: no write, no terraform.
    expect(fakes[0].mock.commandCalls(DescribeAvailabilityZonesCommand)).toHaveLength(0);
    expect(terraform.calls).toEqual([]);
    expect(report.status).toMatchObject({ verdict: "drift", complete: false, regions: [{ region: primary, reachable: true }, { region: secondary, reachable: false }] });
    expect(exitCodeOf(report.results, false)).toBe(1);
    const lines = followUp(report.results, secondary, false).join("\n");
    expect(lines).toContain(`${secondary} did not converge (unreachable: ECONNREFUSED), so ${primary} was not touched`);
    expect(lines).toContain(`npm run failover -- --to ${secondary}`);
  });

  test("GIVEN the target failing with a permission error WHEN failing over THEN the other region is skipped and the permission is named", async () => {
    const { fakes, terraform } = pair(clients);
    fakes[1].mock.on(DescribeAvailabilityZonesCommand).rejects(awsError("UnauthorizedOperation", 403));
    const report = await failover({ topology, target, toRegion: secondary, outdir: outdir(), dryRun: false, timeoutMs: 5_000, probeTimeoutMs: 1_000, clients, terraform });
    expect(report.results.map((r) => r.outcome)).toEqual(["failed", "skipped"]);
    expect(report.results[0].error).toMatchObject({ code: "UnauthorizedOperation", permission: "ec2:DescribeAvailabilityZones" });
  });
});

describe("failover with the other region's endpoint hung", () => {
  test("GIVEN the primary accepting connections and never answering WHEN failing over to the secondary THEN the secondary converges, the primary is unreachable and the run exits 0", async () => {
    const hung = await startHungEndpoint();
    const clients = new Ec2Clients({ credentials, maxAttempts: 2, endpoints: { [primary]: hung.url }, timeouts: { connectMs: 500, requestMs: 700 } });
    try {
      const secondaryFake = fakeRegion(clients.forRegion(secondary), topology, "secondary", primary);
      const terraform = fakeTerraform([secondaryFake], topology, secondary);
      const started = Date.now();
      const report = await failover({ topology, target, toRegion: secondary, outdir: outdir(), dryRun: false, timeoutMs: 5_000, probeTimeoutMs: 1_500, clients, terraform });
      expect(report.results.map((r) => [r.region, r.outcome])).toEqual([
        [secondary, "converged"],
        [primary, "unreachable"],
      ]);
      expect(report.results[1].error?.code).toMatch(/^(AbortError|TimeoutError)$/);
      // The status does not wait for the hung region a second time.
      expect(report.status.regions.find((r) => r.region === primary)).toMatchObject({ reachable: false });
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(exitCodeOf(report.results, false)).toBe(0);
      expect(followUp(report.results, secondary, true).join("\n")).toContain(`${primary} was unreachable and still routes as before`);
    } finally {
      clients.destroy();
      await hung.close();
    }
  });
});
