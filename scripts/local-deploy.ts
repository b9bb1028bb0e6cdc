/**
 * `npm start`: what regionpair is for, on a laptop. Deploys the topology into a local AWS
 * emulator, traces that every client reaches the active copy of every workload and that the
 * passive copy is fenced, fails over to the other region with the failover command, traces
 * again, and stops the emulator. Nothing touches AWS; nothing keeps running unless --keep says so.
 */
import * as path from "node:path";
import { loadTopology, otherRole, roleOfRegion } from "../config/topology";
import { STATE_DIR_ENV } from "../config/target";
import { ALL_STACKS, stacksWithPrerequisites } from "../stacks/stack-names";
import { Command, EXIT, ExternalError, UsageError, parseOptions } from "./lib/cli";
import { EmulatorDeployment } from "./lib/emulator-deployment";
import { findProviderMirror } from "./lib/terraform";
import { failover } from "./failover";
import { verifyReach } from "./reach";
import { DemoResult, DemoStep, demoJson, demoSucceeded, formatFailover, formatOutputs, formatStep } from "./local-deploy/demo";
import { keptEnvironment, keptPaths, localDir, readKeptEmulator, runningKeptEmulator, stopKeptEmulator, writeKeptEmulator } from "./local-deploy/kept-emulator";

const HELP = `Usage: npm start [-- options]   (or: npx regionpair local-deploy [options])

Shows what regionpair does, against a local AWS emulator (AWS is never contacted):
  1. starts a patched moto_server on a free 127.0.0.1 port and deploys the topology into it
     (topology.json, or the file named by REGIONPAIR_TOPOLOGY): networks, peering, routing;
  2. traces, from both regions' read-back, that every client reaches the copy of every
     workload in the active region and that the passive copy is fenced ('regionpair reach');
  3. fails over to the other region ('regionpair failover');
  4. traces again: now the other copy answers and the first one is fenced;
then prints the stack outputs and both reach tables, and stops the emulator.

Exit status: 0 when every client reached the active copy both times and nothing failed; 1
otherwise; 2 on bad usage.

Options:
  --stack <name>   deploy only this stack and what it needs (repeatable), print its outputs and
                   skip the reach and failover steps: ${ALL_STACKS.join(", ")}
  --json           print one JSON document: outputs, the failover, and the reach rows before
                   and after ({ client, destination, verdict, region })
  --keep           leave the emulator running and write shell exports to
                   <local dir>/env: 'source' it, then failover, reach, plan and cdktf use the
                   emulator (cdktf needs --output "$CDKTF_OUTDIR" --skip-provider-lock)
  --stop           stop the emulator --keep left running and remove what it wrote
  --keep-workdir   keep the temporary folder (synthesized stacks, state, emulator log)
  -h, --help       show this help

The local dir is .regionpair/local in the project (REGIONPAIR_LOCAL_DIR to choose another).
Needs: terraform >= 1.10, the hashicorp/aws provider in a local mirror (REGIONPAIR_PROVIDER_MIRROR
to name it), and a Python with moto (pip install 'moto[server]==5.2.1'; REGIONPAIR_PYTHON to name
the interpreter).
`;

const FAILOVER_TIMEOUT_MS = 300_000;

async function stop(): Promise<number> {
  const dir = localDir();
  const recorded = readKeptEmulator(dir);
  const { stopped, removed } = await stopKeptEmulator(dir);
  if (stopped) process.stderr.write(`regionpair: stopped the kept emulator (pid ${stopped.pid}, ${stopped.endpoint}) and removed ${dir}\n`);
  else if (recorded) process.stderr.write(`regionpair: the kept emulator (pid ${recorded.pid}) was no longer running; removed ${dir}\n`);
  else process.stderr.write(`regionpair: no emulator kept by 'local-deploy --keep'${removed ? `; removed ${dir}` : ` (nothing in ${dir})`}\n`);
  return EXIT.ok;
}

async function run(argv: readonly string[]): Promise<number> {
  const parsed = parseOptions(argv, {
    stack: { type: "string", multiple: true },
    json: { type: "boolean" },
    keep: { type: "boolean" },
    stop: { type: "boolean" },
    "keep-workdir": { type: "boolean" },
  });
  if (!parsed) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const options = parsed.values;
  if (options.stop) {
    const other = ["stack", "json", "keep", "keep-workdir"].filter((name) => options[name as keyof typeof options] !== undefined);
    if (other.length) throw new UsageError(`--stop takes no other option (got --${other.join(", --")})`);
    return stop();
  }
  if (options.keep && options["keep-workdir"]) throw new UsageError("--keep already keeps its folder; drop --keep-workdir");
  const unknown = (options.stack ?? []).filter((stack) => !ALL_STACKS.includes(stack));
  if (unknown.length) throw new UsageError(`unknown stack '${unknown[0]}'; stacks: ${ALL_STACKS.join(", ")}`);
  const stacks = options.stack?.length ? stacksWithPrerequisites(options.stack) : [...ALL_STACKS];
  const topology = loadTopology();

  const keepDir = options.keep ? localDir() : undefined;
  if (keepDir) {
    const running = runningKeptEmulator(keepDir);
    if (running) {
      throw new ExternalError(
        `an emulator kept by 'local-deploy --keep' is already running (pid ${running.pid}, ${running.endpoint}); nothing was changed`,
        "LocalEmulatorRunning",
        `use it: source ${keptPaths(keepDir).envFile}; or end it first: npx regionpair local-deploy --stop`,
      );
    }
    // Left by a kept emulator that has since died (a reboot): start afresh.
    await stopKeptEmulator(keepDir);
  }

  const log = (line: string) => process.stderr.write(`${line}\n`);
  const say = (text: string) => {
    if (!options.json) process.stdout.write(text);
  };
  const color = process.stdout.isTTY === true;
  const started = Date.now();
  log(`regionpair: deploying ${topology.name} (${topology.primary.region} + ${topology.secondary.region}) into a local emulator`);

  const deployment = await EmulatorDeployment.start({
    topology,
    keepWorkDir: options["keep-workdir"] || options.keep,
    log: (line) => log(`  ${line}`),
    ...(keepDir ? { workDir: keepDir, detachable: true } : {}),
  });
  let kept = false;
  try {
    log(`  emulator on ${deployment.emulator.endpoint} (pid ${deployment.emulator.pid})`);
    if (options["keep-workdir"]) log(`  work folder (kept afterwards): ${deployment.workDir}`);
    await deployment.apply(stacks);
    const outputs = await deployment.outputs(stacks);
    for (const stack of stacks) say(`\n${stack}\n${formatOutputs(outputs[stack]).join("\n")}\n`);

    const everyStack = stacks.length === ALL_STACKS.length;
    const result: DemoResult = { topology: topology.name, outputs, ...(everyStack && topology.workloads.length > 0 ? { demo: await demo(deployment, say, color, log) } : {}) };
    if (!result.demo) log(`regionpair: reach and failover skipped: ${everyStack ? "the topology has no workloads to fail over" : "they need every stack (drop --stack)"}`);
    if (options.json) process.stdout.write(`${JSON.stringify(demoJson(result), null, 2)}\n`);

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const verdict = !result.demo ? "" : demoSucceeded(result) ? "; every client reached the active copy before and after the failover" : "; NOT every client reached the active copy (see above)";
    if (keepDir) {
      const paths = keep(deployment, topology.source, keepDir);
      kept = true;
      log(`\nregionpair: ${stacks.length} stacks deployed in ${seconds} s${verdict}.`);
      log(`The emulator keeps running (pid ${deployment.emulator.pid}, ${deployment.emulator.endpoint}). To use it:\n  source ${shortPath(paths.envFile)}\n  npx regionpair reach\nStop it with: npx regionpair local-deploy --stop`);
    } else {
      log(`\nregionpair: ${stacks.length} stacks deployed in ${seconds} s${verdict}; stopping the emulator (its resources go with it).`);
    }
    return demoSucceeded(result) ? EXIT.ok : EXIT.failure;
  } finally {
    if (!kept) await deployment.stop();
  }
}

/** Relative to the working folder when inside it, so the line can be pasted from where it was run. */
function shortPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") ? relative : file;
}

/** Trace, fail over to the other region, trace again. */
async function demo(deployment: EmulatorDeployment, say: (text: string) => void, color: boolean, log: (line: string) => void): Promise<NonNullable<DemoResult["demo"]>> {
  const { topology } = deployment;
  const first = topology.activeRegion;
  const second = topology[otherRole(roleOfRegion(topology, first)!)].region;

  log(`regionpair: tracing reach with ${first} active`);
  const before: DemoStep = { activeRegion: first, reach: await verifyReach(topology, deployment.target, first) };
  say(formatStep("reach before the failover", before, color));

  log(`regionpair: failing over to ${second}`);
  const failoverResults = await failover({
    topology,
    target: deployment.target,
    toRegion: second,
    outdir: deployment.outdir,
    dryRun: false,
    timeoutMs: FAILOVER_TIMEOUT_MS,
    log: (line) => log(`  ${line}`),
  });
  say(formatFailover(second, failoverResults));

  log(`regionpair: tracing reach with ${second} active`);
  const after: DemoStep = { activeRegion: second, reach: await verifyReach(topology, deployment.target, second) };
  say(formatStep("reach after the failover", after, color));
  return { before, failover: failoverResults, after };
}

/** Leaves the emulator running and writes what points other commands at it. */
function keep(deployment: EmulatorDeployment, topologyFile: string, dir: string) {
  const paths = keptPaths(dir);
  const environment = deployment.environment;
  const variables = keptEnvironment({
    endpoint: deployment.emulator.endpoint,
    stateDir: environment[STATE_DIR_ENV]!,
    outdir: deployment.outdir,
    topologyFile: path.resolve(topologyFile),
    cliConfigFile: paths.cliConfigFile,
    localDir: dir,
  });
  writeKeptEmulator(dir, { pid: deployment.emulator.pid, endpoint: deployment.emulator.endpoint, topologyFile: path.resolve(topologyFile), startedAt: new Date().toISOString() }, variables, findProviderMirror());
  deployment.release();
  return paths;
}

export const command: Command = { summary: "deploy into a local emulator, trace, fail over, trace again", help: HELP, run };
