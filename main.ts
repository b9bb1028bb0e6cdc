import { TopologyError, loadTopology } from "./config/topology";
import { deploymentTarget } from "./config/target";
import { synthesize } from "./stacks/app";

try {
  synthesize({ topology: loadTopology(), target: deploymentTarget() });
} catch (error) {
  if (!(error instanceof TopologyError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
