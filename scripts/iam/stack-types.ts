/**
 * The resource and data source types of the synthesized stacks, which the deploy, plan and
 * failover roles are generated from. Synthesized for real AWS into a throwaway folder: the types
 * do not depend on the target, nor the iam stack's on its policies (empty ones here, since the
 * real ones are generated from these types).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import type { Topology } from "../../config/topology";
import { AWS_TARGET } from "../../config/target";
import { buildRegionPair } from "../../stacks/region-pair";
import { SynthesizedTypes } from "./terraform-actions";

export type StackTypes = Readonly<Record<string, SynthesizedTypes>>;

const cache = new WeakMap<Topology, StackTypes>();

export function synthesizedStackTypes(topology: Topology): StackTypes {
  const cached = cache.get(topology);
  if (cached) return cached;
  const outdir = mkdtempSync(path.join(os.tmpdir(), "regionpair-iam-"));
  try {
    const app = new App({ outdir, stackTraces: false });
    buildRegionPair(app, topology, AWS_TARGET, { rolePolicy: () => ({ Version: "2012-10-17", Statement: [] }) });
    app.synth();
    const types: Record<string, SynthesizedTypes> = {};
    for (const stack of readdirSync(path.join(outdir, "stacks"))) {
      const json = JSON.parse(readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as { resource?: object; data?: object };
      types[stack] = { resources: Object.keys(json.resource ?? {}).sort(), dataSources: Object.keys(json.data ?? {}).sort() };
    }
    cache.set(topology, types);
    return types;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The union of the types of the named stacks. */
export function typesOf(types: StackTypes, stacks: readonly string[]): SynthesizedTypes {
  const pick = (key: keyof SynthesizedTypes) => [...new Set(stacks.flatMap((stack) => types[stack]?.[key] ?? []))].sort();
  return { resources: pick("resources"), dataSources: pick("dataSources") };
}
