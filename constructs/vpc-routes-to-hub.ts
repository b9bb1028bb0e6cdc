import { Construct } from "constructs";
import { Route } from "@cdktf/provider-aws/lib/route";
import { Ec2TransitGatewayVpcAttachment } from "@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment";
import { cidrSlug } from "../config/transit-routes";
import { PrivateVpc } from "./private-vpc";
import { TransitHub } from "./transit-hub";

export interface VpcRoutesToHubProps {
  readonly vpc: PrivateVpc;
  readonly hub: TransitHub;
  /** The VPC's attachment to the hub: AWS refuses a route to a transit gateway the VPC is not attached to. */
  readonly attachment: Ec2TransitGatewayVpcAttachment;
  /** CIDRs every route table of the VPC sends to the transit gateway. */
  readonly destinations: readonly string[];
}

/**
 * A VPC's routes to its transit gateway, in every zone's route table. They never change on a
 * failover: where the traffic goes next is the transit gateway's decision.
 */
export class VpcRoutesToHub extends Construct {
  readonly routes: readonly Route[];

  constructor(scope: Construct, id: string, props: VpcRoutesToHubProps) {
    super(scope, id);
    this.routes = props.vpc.routeTables.flatMap((table, zoneIndex) =>
      props.destinations.map(
        (cidr) =>
          new Route(this, `${props.vpc.availabilityZones[zoneIndex]}-${cidrSlug(cidr)}`, {
            routeTableId: table.id,
            destinationCidrBlock: cidr,
            transitGatewayId: props.hub.transitGateway.id,
            dependsOn: [props.attachment],
          }),
      ),
    );
  }
}
