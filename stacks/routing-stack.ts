import { TerraformOutput, TerraformVariable } from "cdktf";
import { ACTIVE_REGION_VARIABLE, declareActiveRegion } from "./active-region";
import { Construct } from "constructs";
import { otherRole } from "../config/topology";
import { Naming } from "../constructs/naming";
import { RegionLookup } from "../constructs/region-lookup";
import { FailoverRoutes } from "../constructs/failover-routes";
import { RegionalStack, RegionalStackProps } from "./regional-stack";

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

    this.activeRegion = declareActiveRegion(this, topology, true);

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
