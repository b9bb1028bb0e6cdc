import { Construct } from "constructs";
import { Ec2TransitGateway } from "@cdktf/provider-aws/lib/ec2-transit-gateway";
import { Ec2TransitGatewayRouteTable } from "@cdktf/provider-aws/lib/ec2-transit-gateway-route-table";
import { Ec2TransitGatewayVpcAttachment } from "@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment";
import { Ec2TransitGatewayRouteTableAssociation } from "@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-association";
import { NAME_SUFFIX, Naming } from "./naming";
import { PrivateVpc } from "./private-vpc";

export interface TransitHubProps {
  /**
   * Private ASN on the Amazon side; peered transit gateways should differ.
   * @default 64512
   */
  readonly amazonSideAsn?: number;
}

/**
 * A transit gateway with its own route table and no default association or propagation.
 *
 * Routing is static and explicit: failover works by replacing a few static routes, and a
 * propagated or default-associated route would silently keep sending traffic to the old region.
 */
export class TransitHub extends Construct {
  readonly transitGateway: Ec2TransitGateway;
  readonly routeTable: Ec2TransitGatewayRouteTable;

  constructor(scope: Construct, id: string, props: TransitHubProps = {}) {
    super(scope, id);
    const naming = Naming.of(this);
    this.transitGateway = new Ec2TransitGateway(this, "transit-gateway", {
      description: naming.name(NAME_SUFFIX.transitGateway),
      amazonSideAsn: props.amazonSideAsn ?? 64512,
      defaultRouteTableAssociation: "disable",
      defaultRouteTablePropagation: "disable",
      dnsSupport: "enable",
      autoAcceptSharedAttachments: "disable",
      vpnEcmpSupport: "enable",
      tags: naming.nameTag(NAME_SUFFIX.transitGateway),
    });
    this.routeTable = new Ec2TransitGatewayRouteTable(this, "route-table", {
      transitGatewayId: this.transitGateway.id,
      tags: naming.nameTag(NAME_SUFFIX.transitGatewayRouteTable),
    });
  }

  /** Attaches the VPC through one management subnet per zone, associated with this hub's route table. */
  attachVpc(vpc: PrivateVpc): Ec2TransitGatewayVpcAttachment {
    const attachment = new Ec2TransitGatewayVpcAttachment(this, "vpc-attachment", {
      transitGatewayId: this.transitGateway.id,
      vpcId: vpc.vpcId,
      subnetIds: vpc.managementSubnets.map((subnet) => subnet.id),
      dnsSupport: "enable",
      transitGatewayDefaultRouteTableAssociation: false,
      transitGatewayDefaultRouteTablePropagation: false,
      tags: Naming.of(this).nameTag(NAME_SUFFIX.vpcAttachment),
    });
    new Ec2TransitGatewayRouteTableAssociation(this, "vpc-attachment-association", {
      transitGatewayAttachmentId: attachment.id,
      transitGatewayRouteTableId: this.routeTable.id,
    });
    return attachment;
  }
}
