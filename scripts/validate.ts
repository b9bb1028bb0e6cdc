/**
 * `regionpair validate`: checks the topology file the way synthesis does, without synthesizing.
 * `npm run synth` runs it before `cdktf synth`, because cdktf shows an app's error output twice
 * (logged as it arrives, then again in its failure report); validated here, each problem is
 * printed once, and cdktf never runs on an invalid topology.
 */
import { loadTopology, topologyPath } from "../config/topology";
import { Command, EXIT, parseOptions } from "./lib/cli";

const HELP = `Usage: npx regionpair validate

Checks the topology (topology.json, or the file named by REGIONPAIR_TOPOLOGY) as synthesis does:
every problem is listed with its field, the bad value and how to fix it. Nothing is synthesized.
Exit status 0 when it is valid, 1 when it is not.
`;

async function run(argv: readonly string[]): Promise<number> {
  if (!parseOptions(argv, {})) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const topology = loadTopology(topologyPath());
  process.stdout.write(`${topology.source}: valid (${topology.name}: ${topology.primary.region} and ${topology.secondary.region}, ${topology.activeRegion} active)\n`);
  return EXIT.ok;
}

export const command: Command = { summary: "check the topology file without synthesizing", help: HELP, run };
