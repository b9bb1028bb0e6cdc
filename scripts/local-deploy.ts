/**
 * `npm start`: deploy the topology into a local AWS emulator, print every stack's outputs, stop
 * the emulator. Nothing touches AWS and nothing keeps running afterwards.
 */
import { loadTopology } from "../config/topology";
import { ALL_STACKS, stacksWithPrerequisites } from "../stacks/stack-names";
import { Command, EXIT, UsageError, parseOptions } from "./lib/cli";
import { EmulatorDeployment } from "./lib/emulator-deployment";

const HELP = `Usage: npm start [-- options]   (or: npx regionpair local-deploy [options])

Deploys the topology (topology.json, or the file named by REGIONPAIR_TOPOLOGY) into a local AWS
emulator: starts a patched moto_server on a free 127.0.0.1 port, synthesizes the app against it,
runs terraform offline from the local provider mirror for every stack in order (networks,
peering, routing), prints the stack outputs, then stops the emulator. AWS is never contacted.

Options:
  --stack <name>   deploy only this stack and what it needs (repeatable): ${ALL_STACKS.join(", ")}
  --json           print the outputs as one JSON document
  --keep-workdir   keep the temporary folder (synthesized stacks, state, emulator log)
  -h, --help       show this help

Needs: terraform >= 1.10, the hashicorp/aws provider in a local mirror (REGIONPAIR_PROVIDER_MIRROR
to name it), and a Python with moto (pip install 'moto[server]==5.2.1'; REGIONPAIR_PYTHON to name
the interpreter).
`;

/** `name = value` lines, nested maps flattened with dots. */
export function formatOutputs(outputs: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(outputs).flatMap(([name, value]) =>
    value !== null && typeof value === "object" && !Array.isArray(value)
      ? formatOutputs(value as Record<string, unknown>, `${prefix}${name}.`)
      : [`  ${prefix}${name} = ${Array.isArray(value) ? value.join(", ") : String(value)}`],
  );
}

async function run(argv: readonly string[]): Promise<number> {
  const parsed = parseOptions(argv, {
    stack: { type: "string", multiple: true },
    json: { type: "boolean" },
    "keep-workdir": { type: "boolean" },
  });
  if (!parsed) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const unknown = (parsed.values.stack ?? []).filter((stack) => !ALL_STACKS.includes(stack));
  if (unknown.length) throw new UsageError(`unknown stack '${unknown[0]}'; stacks: ${ALL_STACKS.join(", ")}`);
  const stacks = parsed.values.stack?.length ? stacksWithPrerequisites(parsed.values.stack) : [...ALL_STACKS];
  const topology = loadTopology();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const started = Date.now();
  log(`regionpair: deploying ${topology.name} (${topology.primary.region} + ${topology.secondary.region}) into a local emulator`);

  const deployment = await EmulatorDeployment.start({ topology, keepWorkDir: parsed.values["keep-workdir"], log: (line) => log(`  ${line}`) });
  try {
    log(`  emulator on ${deployment.emulator.endpoint} (pid ${deployment.emulator.pid})`);
    if (parsed.values["keep-workdir"]) log(`  work folder (kept afterwards): ${deployment.workDir}`);
    await deployment.apply(stacks);
    const outputs = await deployment.outputs(stacks);
    if (parsed.values.json) {
      process.stdout.write(`${JSON.stringify(outputs, null, 2)}\n`);
    } else {
      for (const stack of stacks) process.stdout.write(`\n${stack}\n${formatOutputs(outputs[stack]).join("\n")}\n`);
    }
    log(`\nregionpair: ${stacks.length} stacks deployed in ${((Date.now() - started) / 1000).toFixed(1)} s; stopping the emulator (its resources go with it).`);
    return EXIT.ok;
  } finally {
    await deployment.stop();
  }
}

export const command: Command = { summary: "deploy into a local emulator", help: HELP, run };
