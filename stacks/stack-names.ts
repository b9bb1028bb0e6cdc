/**
 * Stack names are a contract with state: each names a state file (or S3 key) and a folder under
 * cdktf.out/stacks. Renaming one orphans its state.
 */
import type { RegionRole } from "../config/topology";

export const STACK_NAMES = {
  network: (role: RegionRole) => `network-${role}`,
  peering: "peering",
  routing: (role: RegionRole) => `routing-${role}`,
  /**
   * The optional iam stack (topology `iam`): the pipelines' roles. Not in DEPLOY_STAGES: an
   * administrator applies it (`cdktf deploy iam`); the deploy role may only read it.
   */
  iam: "iam",
} as const;

/**
 * Deployment stages: the stacks within a stage are independent (one per region) and may run in
 * parallel; each stage needs the ones before it. Destroy runs them in reverse.
 */
export const DEPLOY_STAGES: readonly (readonly string[])[] = [
  [STACK_NAMES.network("primary"), STACK_NAMES.network("secondary")],
  [STACK_NAMES.peering],
  [STACK_NAMES.routing("primary"), STACK_NAMES.routing("secondary")],
];

/** Every stack, in deployment order. */
export const ALL_STACKS: readonly string[] = DEPLOY_STAGES.flat();

/** The selected stacks plus every stack of the stages before theirs, in deployment order. */
export function stacksWithPrerequisites(selected: readonly string[]): string[] {
  const lastStage = Math.max(...selected.map((stack) => DEPLOY_STAGES.findIndex((stage) => stage.includes(stack))));
  return DEPLOY_STAGES.flatMap((stage, index) => (index < lastStage ? stage : stage.filter((stack) => selected.includes(stack))));
}
