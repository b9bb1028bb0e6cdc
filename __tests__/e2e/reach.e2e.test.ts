/**
 * `regionpair reach` against the pair deployed with real terraform into the patched emulator,
 * with a VPN client in each region: the primary active, then a failover made with the primary's
 * API down (only the secondary's routing applied), then the primary back before it converged.
 * What reach reports is checked against the routes read back with the SDK on the side. While the
 * primary is still active, the same deployment serves the role-policy checks
 * (support/role-policies.ts), so the pair is deployed once for both.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SearchTransitGatewayRoutesCommand } from "@aws-sdk/client-ec2";
import { REGION_ROLES, RegionRole } from "../../config/topology";
import { regionEndpointEnv } from "../../config/target";
import { EmulatorDeployment } from "../../scripts/lib/emulator-deployment";
import { findTransitGatewayRouteTableId } from "../../scripts/lib/route-inspection";
import { STACK_NAMES } from "../../stacks/stack-names";
import { closedPort, runCli } from "../support/cli";
import { describeRolePolicies } from "../support/role-policies";
import { topologyWith, validTopologyInput } from "../support/topologies";

jest.setTimeout(900_000);

const topology = topologyWith();
const region: Record<RegionRole, string> = { primary: topology.primary.region, secondary: topology.secondary.region };
const clientsOf = (role: RegionRole) => [`management@${region[role]}`, ...topology[role].connections.map((c) => `${c.name}@${region[role]}`)];
const allClients = REGION_ROLES.flatMap(clientsOf);
const workloadNames = topology.workloads.map((w) => w.name);
let deployment: EmulatorDeployment;
let topologyFile: string;
let cliEnv: NodeJS.ProcessEnv;
const timings: Record<string, number> = {};

interface Row {
  readonly kind: string;
  readonly client: string;
  readonly destination: string;
  readonly copyRegion?: string;
  readonly verdict: string;
  readonly region: string | null;
  readonly status: string;
}
interface ReachJson {
  readonly regions: Array<{ region: string; outcome: string; reason?: string }>;
  readonly activeRegion: string | null;
  readonly rows: Row[];
  readonly problems: Array<{ severity: string; message: string }>;
  readonly exitCode: number;
}

async function reach(args: readonly string[] = [], env: NodeJS.ProcessEnv = cliEnv): Promise<{ code: number; json: ReachJson; seconds: number }> {
  const run = await runCli(["reach", "--json", ...args], { env, timeoutMs: 120_000 });
  if (run.stderr) throw new Error(`reach wrote to stderr (exit ${run.code}):\n${run.stderr}`);
  return { code: run.code, json: JSON.parse(run.stdout) as ReachJson, seconds: run.seconds };
}

const rowsOf = (json: ReachJson, kind: string) => json.rows.filter((row) => row.kind === kind);

/** Each route of a region's TGW route table as `cidr state attachment-or-none`, read with the SDK. */
async function tableRoutes(role: RegionRole, table: "clients" | "workload"): Promise<string[]> {
  const ec2 = deployment.ec2(region[role]);
  const tableId = await findTransitGatewayRouteTableId(ec2, topology, role, table);
  const { Routes } = await ec2.send(new SearchTransitGatewayRoutesCommand({ TransitGatewayRouteTableId: tableId, Filters: [{ Name: "state", Values: ["active", "blackhole"] }] }));
  return (Routes ?? []).map((r) => `${r.DestinationCidrBlock} ${r.State} ${r.TransitGatewayAttachments?.[0]?.ResourceType ?? "none"}`).sort();
}

beforeAll(async () => {
  const started = Date.now();
  // Enforced even with REGIONPAIR_E2E_IAM=off: the role-policy checks below need it.
  deployment = await EmulatorDeployment.start({ topology, iam: "enforced" });
  await deployment.apply();
  timings["deploy all stacks"] = (Date.now() - started) / 1000;
  topologyFile = path.join(mkdtempSync(path.join(os.tmpdir(), "regionpair-reach-")), "topology.json");
  writeFileSync(topologyFile, JSON.stringify(validTopologyInput()));
  // reach runs as the read-only plan role (IAM enforced in e2e).
  cliEnv = { ...deployment.roleEnvironment("plan"), REGIONPAIR_TOPOLOGY: topologyFile, CDKTF_OUTDIR: deployment.outdir };
});

afterAll(async () => {
  process.stdout.write(`reach e2e timings (s): ${JSON.stringify(timings)}\n`);
  await deployment?.stop();
});

describe("a deployed pair with the primary active", () => {
  let result: Awaited<ReturnType<typeof reach>>;
  beforeAll(async () => {
    result = await reach();
    timings["reach, both regions up"] = result.seconds;
  });

  test("GIVEN both regions up WHEN reach runs THEN both are read, the primary is inferred active and the exit code is 0", () => {
    expect(result.json.regions.map((r) => [r.region, r.outcome])).toEqual([
      [region.primary, "read"],
      [region.secondary, "read"],
    ]);
    expect([result.code, result.json.activeRegion, result.json.problems.filter((p) => p.severity === "failure")]).toEqual([0, region.primary, []]);
  });

  test("GIVEN every client WHEN reach traces its round trip to every workload THEN the primary copy answers each one", () => {
    expect(rowsOf(result.json, "client-to-workload").map((row) => [row.client, row.destination, row.verdict, row.region])).toEqual(
      workloadNames.flatMap((workload) => allClients.map((client) => [client, workload, "delivered", region.primary])),
    );
  });

  test("GIVEN the secondary's copy WHEN reach traces it toward every client THEN each packet is fenced, as its workload table, read with the SDK, is all blackholes", async () => {
    const passive = rowsOf(result.json, "passive-to-client");
    expect(passive.map((row) => [row.copyRegion, row.client, row.destination, row.verdict])).toEqual(
      workloadNames.flatMap((workload) => allClients.map((client) => [region.secondary, client, workload, "fenced"])),
    );
    expect((await tableRoutes("secondary", "workload")).every((route) => route.endsWith(" blackhole none"))).toBe(true);
  });

  test("GIVEN workload traffic arriving over the peering in the secondary WHEN reach traces it THEN it does not enter the secondary's copy", () => {
    const peering = rowsOf(result.json, "peering-to-passive");
    expect(peering.map((row) => row.destination).sort()).toEqual([...workloadNames].sort());
    expect(peering.every((row) => row.status === "ok" && row.region !== region.secondary)).toBe(true);
  });
});

// Read-only on the same pair, primary still active: the generated policies under enforcement.
describeRolePolicies(topology, () => ({ deployment, topologyFile }));

describe("failed over while the primary's API is down", () => {
  let downEnv: NodeJS.ProcessEnv;
  let result: Awaited<ReturnType<typeof reach>>;
  beforeAll(async () => {
    const closed = `http://127.0.0.1:${await closedPort()}`;
    downEnv = { ...cliEnv, [regionEndpointEnv(region.primary)]: closed };
    // What the failover command does in the target region when the other is down: apply its routing only.
    deployment.setRegionEndpoint(region.primary, closed);
    const started = Date.now();
    await deployment.apply([STACK_NAMES.routing("secondary")], { vars: { active_region: region.secondary } });
    timings["apply routing-secondary, primary down"] = (Date.now() - started) / 1000;
    result = await reach([], downEnv);
    timings["reach, primary down"] = result.seconds;
  });

  afterAll(() => deployment.setRegionEndpoint(region.primary, undefined));

  test("GIVEN the primary's API refuses connections WHEN reach runs THEN the primary is reported unreachable, not an error, and the exit code is 0", () => {
    expect(result.json.regions.map((r) => [r.region, r.outcome])).toEqual([
      [region.primary, "unreachable"],
      [region.secondary, "read"],
    ]);
    expect(result.json.regions[0].reason).toMatch(/ECONNREFUSED/);
    expect(result.code).toBe(0);
    expect(result.json.problems).toContainEqual({ severity: "warning", message: expect.stringMatching(new RegExp(`^region ${region.primary} was not read \\(`)) });
  });

  test("GIVEN the secondary's read-back WHEN its clients' round trips are traced THEN the secondary copy answers every one, as its clients table, read with the SDK, routes the workloads to its own VPC", async () => {
    expect(result.json.activeRegion).toBe(region.secondary);
    const secondaryRows = rowsOf(result.json, "client-to-workload").filter((row) => clientsOf("secondary").includes(row.client));
    expect(secondaryRows.map((row) => [row.client, row.destination, row.verdict, row.region])).toEqual(
      workloadNames.flatMap((workload) => clientsOf("secondary").map((client) => [client, workload, "delivered", region.secondary])),
    );
    const workloadRoutes = (await tableRoutes("secondary", "clients")).filter((route) => topology.workloads.some((w) => route.startsWith(`${w.cidr} `)));
    expect(workloadRoutes).toEqual(topology.workloads.map((w) => `${w.cidr} active vpc`).sort());
  });

  test("GIVEN the primary unread WHEN rows are reported THEN no packet is delivered to the primary copy and what only the primary could say is unknown", () => {
    expect(result.json.rows.some((row) => row.region === region.primary)).toBe(false);
    const primaryClientRows = rowsOf(result.json, "client-to-workload").filter((row) => clientsOf("primary").includes(row.client));
    expect(primaryClientRows.every((row) => row.verdict === "unknown")).toBe(true);
    expect(rowsOf(result.json, "passive-to-client").every((row) => row.copyRegion === region.primary && row.verdict === "unknown")).toBe(true);
  });
});

describe("the primary back before its routing converged", () => {
  test("GIVEN the primary still routes as the active region WHEN reach runs naming the secondary active THEN the primary's clients reach the passive copy and the exit code is 1", async () => {
    const { code, json } = await reach(["--active", region.secondary]);

    expect(code).toBe(1);
    const stale = rowsOf(json, "client-to-workload").filter((row) => row.region === region.primary);
    expect(stale.map((row) => row.client).sort()).toEqual(workloadNames.flatMap(() => clientsOf("primary")).sort());
    expect(json.problems.filter((p) => p.severity === "failure").map((p) => p.message)).toContainEqual(expect.stringMatching(new RegExp(`reaches the passive copy in ${region.primary}`)));
  });
});
