import { TopologyError, loadTopology } from "./config/topology";
import { deploymentTarget } from "./config/target";
import { synthesize } from "./stacks/app";

try {
  synthesize({ topology: loadTopology(), target: deploymentTarget() });
} catch (error) {
  if (!(error instanceof TopologyError)) throw error;
  // Once, on stderr, exit 1. (`cdktf synth` logs an app's stderr as it comes and repeats it in
  // its failure report; `npm run synth` runs `regionpair validate` first so that cdktf never
  // runs on an invalid topology.)
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
