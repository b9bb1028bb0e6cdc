/** Synthesizes the whole app for a topology with cdktf's Testing helpers, for assertions on JSON. */
import { Testing, TerraformStack } from "cdktf";
import type { Topology } from "../../config/topology";
import { AWS_TARGET, DeploymentTarget } from "../../config/target";
import { RegionPairStacks, buildRegionPair } from "../../stacks/region-pair";
import { topologyWith } from "./topologies";

export interface SynthesizedPair {
  readonly stacks: RegionPairStacks;
  /** Synthesized JSON text per stack, for cdktf's matchers. */
  readonly text: (stack: TerraformStack) => string;
  /** Parsed synthesized JSON per stack. */
  readonly json: (stack: TerraformStack) => any;
}

export function synthPair(topology: Topology = topologyWith(), target: DeploymentTarget = AWS_TARGET): SynthesizedPair {
  const app = Testing.app();
  const stacks = buildRegionPair(app, topology, target);
  const cache = new Map<TerraformStack, string>();
  const text = (stack: TerraformStack) => {
    if (!cache.has(stack)) cache.set(stack, Testing.synth(stack));
    return cache.get(stack)!;
  };
  return { stacks, text, json: (stack) => JSON.parse(text(stack)) };
}

/** The resources of one type in a synthesized stack, as a list of their bodies. */
export function resourcesOfType(json: any, type: string): any[] {
  return Object.values(json.resource?.[type] ?? {});
}

/** Every resource type in a synthesized stack. */
export function resourceTypes(json: any): string[] {
  return Object.keys(json.resource ?? {});
}
