import { TerraformStack, TerraformVariable } from "cdktf";
import type { Topology } from "../config/topology";

/** The Terraform variable a failover changes. */
export const ACTIVE_REGION_VARIABLE = "active_region";

/**
 * Declares `active_region`, validated to be one of the pair's regions. Every stack declares it,
 * although only the routing stacks use it, because terraform rejects `-var` for an undeclared
 * variable and `cdktf deploy '*' --var active_region=…` passes it to every stack.
 */
export function declareActiveRegion(stack: TerraformStack, topology: Topology, usedHere: boolean): TerraformVariable {
  const regions = [topology.primary.region, topology.secondary.region];
  return new TerraformVariable(stack, ACTIVE_REGION_VARIABLE, {
    type: "string",
    default: topology.activeRegion,
    description: usedHere
      ? `The region whose copy of the workload CIDRs is routed: ${regions.join(" or ")}. Changing it is a failover.`
      : `Not used by this stack; declared so a whole-app deploy can pass it. The routing stacks route the workload CIDRs to this region (${regions.join(" or ")}).`,
    validation: [
      {
        condition: `\${contains(${JSON.stringify(regions)}, var.${ACTIVE_REGION_VARIABLE})}`,
        errorMessage: `${ACTIVE_REGION_VARIABLE} must be one of the pair's regions: ${regions.map((r) => `"${r}"`).join(" or ")}.`,
      },
    ],
  });
}
