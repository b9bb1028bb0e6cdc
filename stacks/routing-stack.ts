import { TerraformOutput, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { otherRole } from "../config/topology";
import { Naming } from "../constructs/naming";
import { RegionLookup } from "../constructs/region-lookup";
import { FailoverRoutes } from "../constructs/failover-routes";
import { RegionalStack, RegionalStackProps } from "./regional-stack";

/** The Terraform variable a failover changes. */
export const ACTIVE_REGION_VARIABLE = "active_region";

/**
 * One region's failover routing. It uses only its own region's provider and state and finds the
 * network and peering by tag in its own region, so it plans and applies while the other region's
 * API is down. `active_region` decides where the workload CIDRs are routed.
 */
export class RoutingStack extends RegionalStack {
  readonly activeRegion: TerraformVariable;
  readonly routes: FailoverRoutes;

  constructor(scope: Construct, name: string, props: RegionalStackProps) {
    super(scope, name, props);
    const { topology, plan } = this;
    const regions = [topology.primary.region, topology.secondary.region];

    this.activeRegion = new TerraformVariable(this, ACTIVE_REGION_VARIABLE, {
      type: "string",
      default: topology.activeRegion,
      description: `The region whose copy of the workload CIDRs is routed: ${regions.join(" or ")}. Changing it is a failover.`,
      validation: [
        {
          condition: `\${contains(${JSON.stringify(regions)}, var.${ACTIVE_REGION_VARIABLE})}`,
          errorMessage: `${ACTIVE_REGION_VARIABLE} must be one of the pair's regions: ${regions.map((r) => `"${r}"`).join(" or ")}.`,
        },
      ],
    });

    const lookup = new RegionLookup(this, "lookup", {
      provider: this.provider,
      naming: this.naming,
      pairNaming: new Naming(topology.name),
      availabilityZones: plan.availabilityZones,
    });

    this.routes = new FailoverRoutes(this, "routes", {
      lookup,
      localManagementCidr: plan.managementCidr,
      remoteManagementCidr: topology[otherRole(plan.role)].managementCidr,
      workloads: topology.workloads,
      region: plan.region,
      activeRegion: this.activeRegion,
    });

    // Outputs and variables are separate namespaces in Terraform, but not as construct ids.
    new TerraformOutput(this, "active-region-output", { value: this.activeRegion.stringValue }).overrideLogicalId(ACTIVE_REGION_VARIABLE);
    new TerraformOutput(this, "region", { value: plan.region });
    new TerraformOutput(this, "workload_route_targets", {
      value: Object.fromEntries(
        Object.entries(this.routes.workloadRoutes).map(([workload, route]) => [workload, route.transitGatewayAttachmentId]),
      ),
    });
  }
}
