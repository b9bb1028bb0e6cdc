/**
 * The failover for real: the example pair deployed once with terraform into the patched emulator,
 * then failed over by the command with both regions up (the target's tables polled all along),
 * with the target's API down, with the other region's API hung, and by the runbook's manual
 * commands. After every step the transit gateway routes are read back with the SDK, by the ids
 * the network stacks output, and compared with the design; `status` is asked in each fault case.
 */
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { EmulatorDeployment } from "../../scripts/lib/emulator-deployment";
import { STACK_NAMES } from "../../stacks/stack-names";
import { PROJECT_ROOT, REGION_ROLES, RegionRole, parseTopology } from "../../config/topology";
import { regionEndpointEnv } from "../../config/target";
import { TransitTarget, targetWhen, transitRoutes } from "../../config/transit-routes";
import { readRoutes } from "../../scripts/lib/route-inspection";
import { resourceChanges, PlanJson } from "../../scripts/plan/plan-json";
import { watchRoutes } from "../../scripts/failover/route-watch";
import { closedPort, runCli } from "../support/cli";
import { startHungEndpoint } from "../support/hung-endpoint";
import { workloadDhcpKind } from "../support/readback";

jest.setTimeout(600_000);

const EXAMPLE = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "topology.json"), "utf8")) as Record<string, unknown>;
const topology = parseTopology(EXAMPLE, "topology.json");
const region = { primary: topology.primary.region, secondary: topology.secondary.region };
const routingStacks = REGION_ROLES.map((role) => STACK_NAMES.routing(role));
let deployment: EmulatorDeployment;
let cliEnv: NodeJS.ProcessEnv;
let topologyFile: string;
/** Ids from the network and peering stacks' outputs, per role. */
let ids: Record<RegionRole, { tables: Record<string, string>; management: string; workload: string; connections: Record<string, string> }>;
let peering: string;
const timings: Record<string, number> = {};
const statuses: Record<string, unknown> = {};

beforeAll(async () => {
  deployment = await EmulatorDeployment.start({ topology });
  const started = Date.now();
  await deployment.apply();
  timings["deploy all stacks"] = (Date.now() - started) / 1000;
  const outputs = await deployment.outputs([...REGION_ROLES.map((role) => STACK_NAMES.network(role)), STACK_NAMES.peering]);
  peering = outputs[STACK_NAMES.peering].peering_attachment_id as string;
  const of = (role: RegionRole) => {
    const network = outputs[STACK_NAMES.network(role)] as Record<string, any>;
    return { tables: network.transit_gateway_route_table_ids, management: network.vpc_attachment_id, workload: network.workload_attachment_id, connections: network.connection_attachment_ids };
  };
  ids = { primary: of("primary"), secondary: of("secondary") };
  // A copy, so --record and the runbook's commands never touch the repository's topology.json.
  topologyFile = path.join(mkdtempSync(path.join(os.tmpdir(), "regionpair-topology-")), "topology.json");
  writeFileSync(topologyFile, JSON.stringify(EXAMPLE, null, 2));
  // The commands run as the failover role, holding only its generated policy (IAM enforced in e2e).
  cliEnv = { ...deployment.roleEnvironment("failover"), REGIONPAIR_TOPOLOGY: topologyFile, CDKTF_OUTDIR: deployment.outdir };
});

afterAll(async () => {
  // Measured figures and what status printed, for the closing report.
  process.stdout.write(`failover timings (s): ${JSON.stringify(timings)}\nstatus in the fault cases: ${JSON.stringify(statuses, null, 1)}\n`);
  await deployment?.stop();
});

function attachmentOf(role: RegionRole, target: TransitTarget): string {
  switch (target.kind) {
    case "management-vpc":
      return ids[role].management;
    case "workload-vpc":
      return ids[role].workload;
    case "peering":
      return peering;
    case "connection":
      return ids[role].connections[target.name];
    case "blackhole":
      return "blackhole";
  }
}

/** Every route of a region's design as read from the API: `<id> → <attachment or blackhole>`. */
async function readBack(role: RegionRole): Promise<string[]> {
  const design = transitRoutes(topology, role);
  const lines: string[] = [];
  for (const [table, tableId] of Object.entries(ids[role].tables)) {
    const inTable = design.filter((r) => r.table === table);
    const read = await readRoutes(deployment.ec2(region[role]), tableId, inTable.map((r) => r.cidr));
    inTable.forEach((route, i) => {
      const state = read[i].state;
      lines.push(`${route.id} → ${state.kind === "attachment" ? state.attachmentId : state.kind}`);
    });
  }
  return lines.sort();
}

/** The same lines as the design says with `activeRegion` active. */
function designed(role: RegionRole, activeRegion: string): string[] {
  return transitRoutes(topology, role)
    .map((route) => `${route.id} → ${attachmentOf(role, targetWhen(route, region[role] === activeRegion))}`)
    .sort();
}

async function status(env: NodeJS.ProcessEnv) {
  const result = await runCli(["status", "--json"], { env, timeoutMs: 120_000 });
  return { code: result.code, document: JSON.parse(result.stdout) };
}

/**
 * What a plan of both routing stacks would change, as `stack: <kind> <address>` and
 * `stack: output <name> <actions>`: a changed output alone makes every later plan exit 2.
 */
async function routingPlanChanges(activeRegion: string, label: string): Promise<string[]> {
  const plans = await Promise.all(
    routingStacks.map(async (stack) => {
      const file = path.join(deployment.workspace.stackDir(stack), `${label}.tfplan`);
      await deployment.workspace.planToFile(stack, file, { vars: { active_region: activeRegion } });
      const plan = (await deployment.workspace.showJson(stack, file)) as PlanJson & { output_changes?: Record<string, { actions: string[] }> };
      const outputs = Object.entries(plan.output_changes ?? {}).filter(([, change]) => !change.actions.every((a) => a === "no-op"));
      return [...resourceChanges(plan).map((c) => `${stack}: ${c.kind} ${c.address}`), ...outputs.map(([name, change]) => `${stack}: output ${name} ${change.actions.join(",")}`)];
    }),
  );
  return plans.flat();
}

describe("the deployed pair", () => {
  test("GIVEN the pair just deployed WHEN planning both routing stacks again THEN nothing changes, outputs included", async () => {
    expect(await routingPlanChanges(region.primary, "after-deploy")).toEqual([]);
  });

  test("GIVEN the pair just deployed WHEN asking for the status THEN every workload CIDR goes to the primary, verdict ok, the secondary's copy fenced", async () => {
    expect(await readBack("primary")).toEqual(designed("primary", region.primary));
    expect(await readBack("secondary")).toEqual(designed("secondary", region.primary));
    const { code, document } = await status(cliEnv);
    expect(code).toBe(0);
    expect(document).toMatchObject({ verdict: "ok", complete: true, fence: { passiveRegion: region.secondary, fenced: true } });
    expect(document.regions.map((r: any) => [r.region, r.reachable, r.routes])).toEqual(
      REGION_ROLES.map((role) => [region[role], true, topology.workloads.map((w) => ({ cidr: w.cidr, routesTo: region.primary }))]),
    );
  });
});

describe("the failover command", () => {
  test("GIVEN both regions up WHEN failing over to the secondary while its tables are polled THEN both converge, no sample lacks a route, and every route reads back as designed", async () => {
    // Every 50 ms: often enough to see a gap of terraform's kind (seconds), light on the emulator.
    const watch = await watchRoutes({ topology, role: "secondary", toRegion: region.secondary, ec2: deployment.ec2(region.secondary), intervalMs: 50 });
    const result = await runCli(["failover", "--to", region.secondary, "--json"], { env: cliEnv, timeoutMs: 300_000 });
    const seen = await watch.stop();
    timings["failover, both up"] = result.seconds;
    expect({ exitCode: result.code, stderr: result.code ? result.stderr : "" }).toEqual({ exitCode: 0, stderr: "" });
    const report = JSON.parse(result.stdout);
    expect(report.regions.map((r: any) => [r.region, r.outcome, r.movedRoutesInPlan])).toEqual([
      [region.secondary, "converged", 0],
      [region.primary, "converged", 0],
    ]);
    expect(report.status).toMatchObject({ verdict: "ok", fence: { passiveRegion: region.primary, fenced: true } });
    // Zero gap: polled every 20 ms, no workload CIDR was ever without a route in the target.
    expect({ gapSamples: seen.gapSamples, gaps: seen.gaps }).toEqual({ gapSamples: 0, gaps: [] });
    expect(seen.samples).toBeGreaterThan(20);
    expect(seen.convergedAfterMs).toBeDefined();
    for (const role of REGION_ROLES) expect(await readBack(role)).toEqual(designed(role, region.secondary));
    // Terraform, as the failover role, also moved the fence's DHCP layer.
    const dhcp = async (role: RegionRole) => workloadDhcpKind(deployment.ec2(region[role]), topology, role);
    expect({ primary: await dhcp("primary"), secondary: await dhcp("secondary") }).toEqual({ primary: "fenced", secondary: "directory" });
  });

  test("GIVEN the flip WHEN planning both routing stacks THEN terraform's JSON plan holds no route change, nor any output change", async () => {
    expect(await routingPlanChanges(region.secondary, "after-flip")).toEqual([]);
  });

  test("GIVEN the target's API down WHEN failing over to the primary THEN exit 1, the secondary is not touched, and status reports the primary unreachable", async () => {
    const downEnv = { ...cliEnv, [regionEndpointEnv(region.primary)]: `http://127.0.0.1:${await closedPort()}` };
    const before = await readBack("secondary");
    const result = await runCli(["failover", "--to", region.primary, "--json"], { env: downEnv, timeoutMs: 300_000 });
    timings["failover, target down"] = result.seconds;
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.regions.map((r: any) => [r.region, r.outcome])).toEqual([
      [region.primary, "unreachable"],
      [region.secondary, "skipped"],
    ]);
    expect(report.regions[0].error).toMatchObject({ code: "ECONNREFUSED" });
    // Read back: the secondary still routes the workloads to its own copy, exactly as before.
    expect(await readBack("secondary")).toEqual(before);
    expect(before).toEqual(designed("secondary", region.secondary));

    const { code, document } = await status(downEnv);
    statuses["target (primary) down"] = document;
    expect(code).toBe(0);
    expect(document.regions.map((r: any) => [r.region, r.reachable])).toEqual([
      [region.primary, false],
      [region.secondary, true],
    ]);
    expect(document.regions[1].routes.map((r: any) => r.routesTo)).toEqual(topology.workloads.map(() => region.secondary));
    expect(document).toMatchObject({ complete: false, verdict: "drift" });
  });

  test("GIVEN the other region's API hung WHEN failing over to the primary THEN the primary converges, the secondary is unreachable, exit 0 with the JSON document, and status says so", async () => {
    const hung = await startHungEndpoint();
    try {
      const hungEnv = { ...cliEnv, [regionEndpointEnv(region.secondary)]: hung.url };
      const result = await runCli(["failover", "--to", region.primary, "--json", "--record"], { env: hungEnv, timeoutMs: 300_000 });
      timings["failover, other region hung"] = result.seconds;
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout);
      expect(report.regions.map((r: any) => [r.region, r.outcome])).toEqual([
        [region.primary, "converged"],
        [region.secondary, "unreachable"],
      ]);
      expect(report.regions[1].error.code).toMatch(/^(TimeoutError|AbortError)$/);
      expect(report.recorded).toBe(true);
      expect(hung.connections()).toBeGreaterThan(0);
      expect(await readBack("primary")).toEqual(designed("primary", region.primary));
      // The hung region kept its routes: it still sends the workloads to its own copy.
      expect(await readBack("secondary")).toEqual(designed("secondary", region.secondary));

      const { code, document } = await status(hungEnv);
      statuses["other (secondary) hung"] = document;
      expect(code).toBe(0);
      expect(document.regions.map((r: any) => [r.region, r.reachable])).toEqual([
        [region.primary, true],
        [region.secondary, false],
      ]);
      expect(document).toMatchObject({ verdict: "ok", complete: false, expectedActiveRegion: region.primary });
    } finally {
      await hung.close();
    }
  });
});

describe("the runbook's manual flip", () => {
  test("GIVEN docs/failover.md WHEN its cdktf commands run exactly as written (offline) THEN the target goes first and every route reads back flipped", async () => {
    const doc = readFileSync(path.join(PROJECT_ROOT, "docs", "failover.md"), "utf8");
    const block = /<!-- regionpair:manual-flip -->\n```sh\n([\s\S]*?)```/.exec(doc)![1];
    const commands = block.trim().split("\n");
    expect(commands).toEqual([
      `npx cdktf deploy routing-secondary --var active_region=${region.secondary} --ignore-missing-stack-dependencies --auto-approve`,
      `npx cdktf deploy routing-primary --var active_region=${region.secondary} --ignore-missing-stack-dependencies --auto-approve`,
    ]);
    // cdktf writes to the project's cdktf.out (build output, rebuilt by every synth); one left
    // initialized against an earlier emulator's state would make terraform init refuse.
    rmSync(path.join(PROJECT_ROOT, "cdktf.out"), { recursive: true, force: true });
    // As on an air-gapped runner: the documented addition, and the offline CLI configuration.
    // A pipeline deploys as the deploy role.
    const env: NodeJS.ProcessEnv = { ...process.env, ...cliEnv, ...deployment.roleEnvironment("deploy"), TF_CLI_CONFIG_FILE: deployment.workspace.env.TF_CLI_CONFIG_FILE, CHECKPOINT_DISABLE: "1", CDKTF_DISABLE_PLUGIN_CACHE_ENV: "true", CI: "true" };
    delete env.CDKTF_OUTDIR;
    const started = Date.now();
    for (const command of commands) {
      const run = spawnSync("bash", ["-c", `${command} --skip-provider-lock`], { cwd: PROJECT_ROOT, env, encoding: "utf8", timeout: 240_000 });
      expect({ command, code: run.status, error: run.status ? `${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}` : "" }).toEqual({ command, code: 0, error: "" });
    }
    timings["manual flip, two cdktf deploys"] = (Date.now() - started) / 1000;
    for (const role of REGION_ROLES) expect(await readBack(role)).toEqual(designed(role, region.secondary));
  });
});
