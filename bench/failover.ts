/**
 * Benchmark of the failover's gap: deploys the example pair into a fresh emulator with 2 and
 * with 50 workloads, then flips it with each method while the target region's route tables are
 * polled (every 20 ms, SearchTransitGatewayRoutes):
 *
 * - `terraform`: `terraform apply -var active_region=…` per routing stack, target first;
 * - `cdktf`: `npx cdktf deploy routing-<target> --var …` then the other, as docs/failover.md says;
 * - `failover`: `regionpair failover --to …` (routes moved in place, then terraform).
 *
 * Prints per method and size the samples in which a workload CIDR had no route and the seconds
 * from the command's start until every moving route of the target pointed where it should; the
 * output ends with one JSON object per run, one per line.
 *
 * Usage: npm run bench:failover [-- --workloads 2,50]
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { PROJECT_ROOT, RegionRole, Topology, otherRole, parseTopology } from "../config/topology";
import { ACTIVE_REGION_VARIABLE } from "../stacks/active-region";
import { STACK_NAMES } from "../stacks/stack-names";
import { EmulatorDeployment } from "../scripts/lib/emulator-deployment";
import { WatchResult, watchRoutes } from "../scripts/failover/route-watch";
import { runCli } from "../__tests__/support/cli";

// The SDK's notice about future Node versions is not about this benchmark.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

type Method = "terraform" | "cdktf" | "failover";

interface Run {
  readonly method: Method;
  readonly workloads: number;
  readonly toRegion: string;
  readonly exitCode: number;
  readonly commandSeconds: number;
  readonly samples: number;
  readonly gapSamples: number;
  readonly routesMovedSeconds: number | null;
  readonly missingRoutes: readonly string[];
}

/** The example topology with `count` workloads (10.100.0.0/20, 10.101.0.0/20, …) and the quotas that needs. */
export function benchTopology(count: number): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const example = require(path.join(PROJECT_ROOT, "topology.json")) as Record<string, unknown>;
  const workloads = Array.from({ length: count }, (_, i) => ({ name: `w${String(i + 1).padStart(2, "0")}`, cidr: `10.${100 + i}.0.0/20` }));
  return {
    ...example,
    name: `bench-${count}`,
    activeRegion: (example.primary as { region: string }).region,
    workloads,
    // One VPC block per workload; the management VPC's route tables hold a route per workload.
    ...(count > 4 ? { quotas: { ipv4CidrBlocksPerVpc: Math.min(50, count), routesPerRouteTable: 50 + count } } : {}),
    state: { backend: "local" },
  };
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr = (stderr + chunk).slice(-4000)));
    child.once("error", reject);
    child.once("close", (code) => {
      if (code !== 0) process.stderr.write(`  ${command} ${args.join(" ")} exited ${code}:\n${stderr}\n`);
      resolve(code ?? 1);
    });
  });
}

async function flip(method: Method, deployment: EmulatorDeployment, topology: Topology, topologyFile: string, toRegion: string): Promise<number> {
  const target = (["primary", "secondary"] as RegionRole[]).find((role) => topology[role].region === toRegion)!;
  const order = [target, otherRole(target)].map((role) => STACK_NAMES.routing(role));
  const vars = { [ACTIVE_REGION_VARIABLE]: toRegion };
  const env = { ...deployment.environment, REGIONPAIR_TOPOLOGY: topologyFile, AWS_EC2_METADATA_DISABLED: "true", CI: "true" };
  switch (method) {
    case "terraform":
      for (const stack of order) await deployment.workspace.apply(stack, { vars });
      return 0;
    case "cdktf": {
      const output = path.join(deployment.workDir, "cdktf-bench.out");
      const cdktfEnv = { ...env, TF_CLI_CONFIG_FILE: deployment.workspace.env.TF_CLI_CONFIG_FILE, CHECKPOINT_DISABLE: "1", CDKTF_DISABLE_PLUGIN_CACHE_ENV: "true" };
      for (const stack of order) {
        const code = await run("npx", ["cdktf", "deploy", stack, "--var", `${ACTIVE_REGION_VARIABLE}=${toRegion}`, "--ignore-missing-stack-dependencies", "--auto-approve", "--skip-provider-lock", "--output", output], cdktfEnv);
        if (code !== 0) return code;
      }
      return 0;
    }
    case "failover":
      return (await runCli(["failover", "--to", toRegion, "--json"], { env: { ...env, CDKTF_OUTDIR: deployment.outdir }, timeoutMs: 1_800_000 })).code;
  }
}

async function measure(method: Method, deployment: EmulatorDeployment, topology: Topology, topologyFile: string, toRegion: string): Promise<Run> {
  const role = (["primary", "secondary"] as RegionRole[]).find((r) => topology[r].region === toRegion)!;
  const watch = await watchRoutes({ topology, role, toRegion, ec2: deployment.ec2(toRegion), intervalMs: 20 });
  const started = Date.now();
  const exitCode = await flip(method, deployment, topology, topologyFile, toRegion);
  const commandSeconds = (Date.now() - started) / 1000;
  // A little longer, so a route the command left to converge is still seen.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const seen: WatchResult = await watch.stop();
  const moved = seen.convergedAfterMs === undefined ? null : Math.max(0, (seen.startedAt + seen.convergedAfterMs - started) / 1000);
  return {
    method,
    workloads: topology.workloads.length,
    toRegion,
    exitCode,
    commandSeconds,
    samples: seen.samples,
    gapSamples: seen.gapSamples,
    routesMovedSeconds: moved === null ? null : Math.round(moved * 100) / 100,
    missingRoutes: seen.gaps,
  };
}

async function bench(count: number, log: (line: string) => void): Promise<Run[]> {
  const input = benchTopology(count);
  const topology = parseTopology(input, `bench-${count}.json`);
  const dir = mkdtempSync(path.join(os.tmpdir(), "regionpair-bench-failover-"));
  const topologyFile = path.join(dir, "topology.json");
  writeFileSync(topologyFile, JSON.stringify(input, null, 2));
  // The emulated account has the quota the topology declares (read when the emulator starts).
  process.env.REGIONPAIR_EMULATOR_IPV4_CIDR_BLOCKS_PER_VPC = String(topology.quotas.ipv4CidrBlocksPerVpc);
  const deployment = await EmulatorDeployment.start({ topology, log: (line) => log(`  ${line}`) });
  const runs: Run[] = [];
  try {
    const deployStarted = Date.now();
    await deployment.apply();
    log(`  ${count} workloads deployed in ${((Date.now() - deployStarted) / 1000).toFixed(0)} s`);
    const regions = [topology.secondary.region, topology.primary.region];
    const methods: Method[] = ["terraform", "cdktf", "failover"];
    for (const [i, method] of methods.entries()) {
      const toRegion = regions[i % 2];
      const result = await measure(method, deployment, topology, topologyFile, toRegion);
      log(`  ${method} → ${toRegion}: exit ${result.exitCode}, ${result.gapSamples} of ${result.samples} samples with a gap, routes moved after ${result.routesMovedSeconds ?? "never"} s`);
      runs.push(result);
    }
  } finally {
    await deployment.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return runs;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { workloads: { type: "string", default: "2,50" } } });
  const sizes = values.workloads!.split(",").map(Number);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const runs: Run[] = [];
  for (const size of sizes) {
    log(`failover benchmark: ${size} workloads`);
    runs.push(...(await bench(size, log)));
  }
  const header = `${"method".padEnd(10)} ${"workloads".padStart(9)} ${"gap samples".padStart(12)} ${"samples".padStart(8)} ${"routes moved (s)".padStart(17)} ${"command (s)".padStart(12)}`;
  process.stdout.write(`\nfailover gap benchmark (target region polled every 20 ms)\n${header}\n`);
  for (const r of runs) {
    process.stdout.write(
      `${r.method.padEnd(10)} ${String(r.workloads).padStart(9)} ${String(r.gapSamples).padStart(12)} ${String(r.samples).padStart(8)} ${String(r.routesMovedSeconds ?? "never").padStart(17)} ${r.commandSeconds.toFixed(1).padStart(12)}${r.exitCode ? `  (exit ${r.exitCode})` : ""}\n`,
    );
  }
  process.stdout.write("\n");
  for (const r of runs) {
    process.stdout.write(`${JSON.stringify({ method: r.method, workloads: r.workloads, gapSamples: r.gapSamples, routesMovedSeconds: r.routesMovedSeconds, samples: r.samples, commandSeconds: r.commandSeconds, exitCode: r.exitCode })}\n`);
  }
  if (runs.some((r) => r.exitCode !== 0)) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exitCode = 1;
  });
}
