import { App } from "cdktf";
import type { Topology } from "../config/topology";
import type { DeploymentTarget } from "../config/target";
import { RegionPairStacks, buildRegionPair } from "./region-pair";

export interface SynthesizeOptions {
  readonly topology: Topology;
  readonly target: DeploymentTarget;
  /** @default $CDKTF_OUTDIR or cdktf.out */
  readonly outdir?: string;
}

/** Builds and synthesizes the app in-process (what `cdktf synth` does by running main.ts). */
export function synthesize(options: SynthesizeOptions): { app: App; stacks: RegionPairStacks } {
  const app = new App({ outdir: options.outdir, stackTraces: false });
  const stacks = buildRegionPair(app, options.topology, options.target);
  app.synth();
  return { app, stacks };
}
