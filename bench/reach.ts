/**
 * Benchmark of `reachReport`, the pure part of `regionpair reach` (the EC2 reads are not timed):
 * - the example topology (topology.json), from EC2 answers shaped as the deployed pair gives
 *   them (the unit tests' fixture), translated by the reader's own code;
 * - 50 workloads and 4 clients (a management VPC and a VPN per region), hand-built.
 * Each run gets a fresh model object, so the network index is rebuilt as in a real run; a second
 * figure reuses the model (index built once). `npm run bench:reach`; the last line is one JSON object.
 */
import { performance } from "node:perf_hooks";
import { REGION_ROLES, loadTopology } from "../config/topology";
import { labelsFromAnswers, regionFromAnswers } from "../scripts/reach/network-from-ec2";
import { NetworkModel } from "../scripts/reach/network-model";
import { ReachSpec, reachReport } from "../scripts/reach/reach-report";
import { buildReachSpec } from "../scripts/reach/reach-spec";
import { deployedPairAnswers } from "../__tests__/unit/scripts/reach/ec2-answers";
import { buildPair, clients, workloads } from "../__tests__/unit/scripts/reach/network-builders";

const RUNS = Number(process.env.BENCH_RUNS ?? 200);

interface Figures {
  readonly workloads: number;
  readonly clients: number;
  readonly rows: number;
  readonly runs: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly meanMs: number;
  /** With the model (and so its index) reused. */
  readonly warmMedianMs: number;
  readonly exitCode: number;
}

function time(model: NetworkModel, spec: ReachSpec): Figures {
  const fresh = (): NetworkModel => ({ regions: [...model.regions] });
  reachReport(fresh(), spec); // load and JIT before timing
  const cold: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const input = fresh();
    const started = performance.now();
    reachReport(input, spec);
    cold.push(performance.now() - started);
  }
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    reachReport(model, spec);
    warm.push(performance.now() - started);
  }
  const report = reachReport(model, spec);
  const sorted = [...cold].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return {
    workloads: spec.workloads.length,
    clients: spec.clients.length,
    rows: report.rows.length,
    runs: RUNS,
    medianMs: round(sorted[Math.floor(RUNS / 2)]),
    p95Ms: round(sorted[Math.floor(RUNS * 0.95)]),
    meanMs: round(cold.reduce((a, b) => a + b, 0) / RUNS),
    warmMedianMs: round([...warm].sort((a, b) => a - b)[Math.floor(RUNS / 2)]),
    exitCode: report.exitCode,
  };
}

function exampleCase(): { model: NetworkModel; spec: ReachSpec } {
  const topology = loadTopology();
  const answers = deployedPairAnswers(topology, "primary");
  const model: NetworkModel = { regions: REGION_ROLES.map((role) => regionFromAnswers(topology[role].region, answers[role])) };
  const labels = new Map(REGION_ROLES.map((role) => [topology[role].region, labelsFromAnswers(topology, role, answers[role])]));
  return { model, spec: buildReachSpec(topology, labels) };
}

function main(): void {
  const example = exampleCase();
  const fifty = workloads(50);
  const results = {
    example: time(example.model, example.spec),
    workloads50Clients4: time(buildPair({ workloads: fifty }), { clients: clients(), workloads: fifty }),
  };
  process.stdout.write(`reachReport benchmark (${RUNS} runs each, fresh model per run)\n`);
  for (const [name, f] of Object.entries(results)) {
    process.stdout.write(
      `  ${name.padEnd(20)} ${String(f.workloads).padStart(2)} workload(s) × ${f.clients} clients = ${String(f.rows).padStart(3)} rows: ` +
        `median ${f.medianMs} ms, p95 ${f.p95Ms} ms, mean ${f.meanMs} ms; model reused: median ${f.warmMedianMs} ms (exit code ${f.exitCode})\n`,
    );
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

main();
