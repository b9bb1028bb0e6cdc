import { Fn, Op, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { Ec2TransitGatewayRoute } from "@cdktf/provider-aws/lib/ec2-transit-gateway-route";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RegionLookup } from "./region-lookup";

export interface FailoverRoutesProps {
  /** What the network and peering stacks created in this region. */
  readonly lookup: RegionLookup;
  /** This region's management VPC CIDR. */
  readonly localManagementCidr: string;
  /** The other region's management VPC CIDR. */
  readonly remoteManagementCidr: string;
  /** Workload CIDRs, present in both regions; only the active region's copy is routed. */
  readonly workloads: ReadonlyArray<{ readonly name: string; readonly cidr: string }>;
  /** This region's code. */
  readonly region: string;
  /** The variable naming the active region (one of the pair's two regions). */
  readonly activeRegion: TerraformVariable;
}

/**
 * One region's static routes between the pair. Management CIDRs always route to their own
 * region. Each workload CIDR routes to the local VPC attachment in the active region and over the
 * peering in the other, so a failover is one variable change that replaces only these routes.
 */
export class FailoverRoutes extends Construct {
  /** The transit gateway routes for the workload CIDRs, by workload name: the ones a failover replaces. */
  readonly workloadRoutes: Readonly<Record<string, Ec2TransitGatewayRoute>>;

  constructor(scope: Construct, id: string, props: FailoverRoutesProps) {
    super(scope, id);
    const { lookup } = props;
    if (!lookup.vpcAttachment || !lookup.peeringAttachment) {
      throw new Error(`FailoverRoutes ${id}: the lookup must include the VPC and the peering attachments.`);
    }
    const routeTableId = lookup.transitGatewayRouteTable.id;

    // No propagation anywhere: without this route, traffic arriving over the peering could not
    // reach the local VPC.
    new Ec2TransitGatewayRoute(this, "local-management", {
      transitGatewayRouteTableId: routeTableId,
      destinationCidrBlock: props.localManagementCidr,
      transitGatewayAttachmentId: lookup.vpcAttachment.id,
    });
    new Ec2TransitGatewayRoute(this, "remote-management", {
      transitGatewayRouteTableId: routeTableId,
      destinationCidrBlock: props.remoteManagementCidr,
      transitGatewayAttachmentId: lookup.peeringAttachment.id,
    });

    const workloadRoutes: Record<string, Ec2TransitGatewayRoute> = {};
    for (const workload of props.workloads) {
      // The attachment id is ForceNew in the provider: a flip replaces this route (delete, then
      // create), which is why a failover plan lists exactly these resources.
      workloadRoutes[workload.name] = new Ec2TransitGatewayRoute(this, `workload-${workload.name}`, {
        transitGatewayRouteTableId: routeTableId,
        destinationCidrBlock: workload.cidr,
        transitGatewayAttachmentId: Fn.conditional(
          Op.eq(props.activeRegion.stringValue, props.region),
          lookup.vpcAttachment.id,
          lookup.peeringAttachment.id,
        ),
      });
    }
    this.workloadRoutes = workloadRoutes;

    // The VPC sends the other region's management CIDR to the transit gateway. Workload CIDRs
    // are VPC-local in both regions and cannot be routed elsewhere from inside the VPC.
    Object.entries(lookup.vpcRouteTables).forEach(([zone, table]) => {
      new Route(this, `vpc-remote-management-${zone}`, {
        routeTableId: table.id,
        destinationCidrBlock: props.remoteManagementCidr,
        transitGatewayId: lookup.transitGateway.id,
      });
    });
  }
}
