/**
 * Synthesis benchmark: loads the topology and synthesizes the whole app in-process, several times,
 * and prints the figures plus the resource count of each stack. `npm run bench:synth`.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { loadTopology } from "../config/topology";
import { AWS_TARGET } from "../config/target";
import { ALL_STACKS } from "../stacks/stack-names";

const RUNS = Number(process.env.BENCH_RUNS ?? 10);

async function main(): Promise<void> {
  const importStart = performance.now();
  const { synthesize } = await import("../stacks/app");
  const importMs = performance.now() - importStart;
  const outdir = mkdtempSync(path.join(os.tmpdir(), "regionpair-bench-"));
  const times: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      synthesize({ topology: loadTopology(), target: AWS_TARGET, outdir });
      times.push(performance.now() - started);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    process.stdout.write(`synth benchmark (${RUNS} runs, example topology, in-process)\n`);
    process.stdout.write(`  first import of constructs + provider classes: ${importMs.toFixed(0)} ms\n`);
    process.stdout.write(`  whole-app synth: first ${times[0].toFixed(0)} ms, median ${sorted[Math.floor(RUNS / 2)].toFixed(0)} ms, mean ${mean.toFixed(0)} ms, min ${sorted[0].toFixed(0)} ms\n`);
    process.stdout.write("  resources per stack:\n");
    let total = 0;
    for (const stack of ALL_STACKS) {
      const json = JSON.parse(readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
      const resources = Object.values(json.resource ?? {}).reduce((n: number, byName) => n + Object.keys(byName as object).length, 0);
      const dataSources = Object.values(json.data ?? {}).reduce((n: number, byName) => n + Object.keys(byName as object).length, 0);
      total += resources;
      process.stdout.write(`    ${stack.padEnd(18)} ${String(resources).padStart(3)} resources, ${dataSources} data sources\n`);
    }
    process.stdout.write(`    ${"total".padEnd(18)} ${String(total).padStart(3)} resources\n`);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

void main();
