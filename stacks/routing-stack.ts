import { Op, TerraformOutput, TerraformVariable, Token, conditional } from "cdktf";
import { Construct } from "constructs";
import { TRANSIT_ROUTE_TABLES, TransitRouteTable, movesOnFailover, transitRoutes } from "../config/transit-routes";
import { Naming } from "../constructs/naming";
import { TransitGatewayLookup } from "../constructs/transit-gateway-lookup";
import { AttachmentLookup } from "../constructs/attachment-lookup";
import { FailoverRoutes } from "../constructs/failover-routes";
import { WorkloadDhcpAssociation } from "../constructs/workload-dhcp-association";
import { RegionalStack, RegionalStackProps } from "./regional-stack";
import { ACTIVE_REGION_VARIABLE, declareActiveRegion } from "./active-region";

/**
 * One region's failover routing: every static route of its transit gateway route tables. It uses
 * only its own region's provider and state and finds the network and peering by tag in its own
 * region, so it plans and applies while the other region's API is down. `active_region` decides
 * where the workload CIDRs go and which copy is fenced (its routes, and its workload VPC's DHCP
 * options).
 */
export class RoutingStack extends RegionalStack {
  readonly activeRegion: TerraformVariable;
  readonly routes: FailoverRoutes;
  readonly workloadDhcp?: WorkloadDhcpAssociation;

  constructor(scope: Construct, name: string, props: RegionalStackProps) {
    super(scope, name, props);
    const { topology, layout } = this;
    this.activeRegion = declareActiveRegion(this, topology, true);

    const transitGateway = new TransitGatewayLookup(this, "transit-gateway", { provider: this.provider, naming: this.naming });
    const attachments = new AttachmentLookup(this, "attachments", {
      provider: this.provider,
      naming: this.naming,
      pairNaming: new Naming(topology.name),
      hasWorkloadVpc: topology.workloads.length > 0,
      connections: layout.connections,
    });
    const design = transitRoutes(topology, layout.role);
    this.routes = new FailoverRoutes(this, "routes", {
      routes: design,
      routeTableIds: Object.fromEntries(TRANSIT_ROUTE_TABLES.map((table) => [table, transitGateway.routeTables[table].id])) as Record<TransitRouteTable, string>,
      targets: {
        managementVpc: attachments.managementVpc.id,
        workloadVpc: attachments.workloadVpc?.id,
        peering: attachments.peering.id,
        connections: attachments.connections,
      },
      region: layout.region,
      activeRegion: this.activeRegion,
    });

    if (topology.workloads.length) {
      this.workloadDhcp = new WorkloadDhcpAssociation(this, "workload-dhcp", {
        provider: this.provider,
        naming: this.naming,
        region: layout.region,
        activeRegion: this.activeRegion,
      });
    }

    // Outputs and variables are separate namespaces in Terraform, but not as construct ids.
    new TerraformOutput(this, "active-region-output", { value: this.activeRegion.stringValue }).overrideLogicalId(ACTIVE_REGION_VARIABLE);
    new TerraformOutput(this, "region", { value: layout.region });
    new TerraformOutput(this, "moving_route_targets", {
      description: "Where each route that moves on failover points now (an attachment id; empty for a blackhole).",
      value: Object.fromEntries(
        // A blackhole's attachment is null when planned and "" once read back: always "", so the
        // plan after an apply shows no output change.
        design.filter(movesOnFailover).map((route) => {
          const attachment = this.routes.routes[route.id].transitGatewayAttachmentId;
          return [route.id, conditional(Op.eq(attachment, Token.nullValue()), "", attachment)];
        }),
      ),
    });
  }
}
