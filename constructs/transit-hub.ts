import { Construct } from "constructs";
import { Ec2TransitGateway } from "@cdktf/provider-aws/lib/ec2-transit-gateway";
import { Ec2TransitGatewayRouteTable } from "@cdktf/provider-aws/lib/ec2-transit-gateway-route-table";
import { Ec2TransitGatewayVpcAttachment } from "@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment";
import { Ec2TransitGatewayRouteTableAssociation } from "@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-association";
import { TRANSIT_ROUTE_TABLES, TransitRouteTable } from "../config/transit-routes";
import { NAME_SUFFIX, Naming, TAG_ROUTE_TABLE } from "./naming";
import { PrivateVpc } from "./private-vpc";

export interface TransitHubProps {
  /**
   * Private ASN on the Amazon side; peered transit gateways should differ.
   * @default 64512
   */
  readonly amazonSideAsn?: number;
}

/**
 * A transit gateway with one route table per kind of ingress (clients, peering, workload; see
 * config/transit-routes.ts) and no default association or propagation.
 *
 * Routing is static and explicit: failover works by replacing a few static routes, and a
 * propagated or default-associated route would silently keep sending traffic to the old region
 * or around the fence.
 */
export class TransitHub extends Construct {
  readonly transitGateway: Ec2TransitGateway;
  readonly routeTables: Readonly<Record<TransitRouteTable, Ec2TransitGatewayRouteTable>>;

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
    this.routeTables = Object.fromEntries(
      TRANSIT_ROUTE_TABLES.map((table) => [
        table,
        new Ec2TransitGatewayRouteTable(this, `route-table-${table}`, {
          transitGatewayId: this.transitGateway.id,
          tags: { ...naming.nameTag(NAME_SUFFIX.transitGatewayRouteTable(table)), [TAG_ROUTE_TABLE]: table },
        }),
      ]),
    ) as Record<TransitRouteTable, Ec2TransitGatewayRouteTable>;
  }

  /**
   * Attaches the VPC through its attachment subnets (one per zone) and associates the attachment
   * with `table`: the management VPC is a client, the workload VPC has its own table.
   */
  attachVpc(vpc: PrivateVpc, table: TransitRouteTable): Ec2TransitGatewayVpcAttachment {
    const id = vpc.role === "management" ? "vpc-attachment" : `${vpc.role}-attachment`;
    const attachment = new Ec2TransitGatewayVpcAttachment(this, id, {
      transitGatewayId: this.transitGateway.id,
      vpcId: vpc.vpcId,
      subnetIds: vpc.attachmentSubnets.map((subnet) => subnet.id),
      dnsSupport: "enable",
      transitGatewayDefaultRouteTableAssociation: false,
      transitGatewayDefaultRouteTablePropagation: false,
      tags: Naming.of(this).nameTag(NAME_SUFFIX.vpcAttachment(vpc.role)),
    });
    this.associate(`${id}-association`, attachment.id, table);
    return attachment;
  }

  /** Associates an attachment (a VPN's, or one made elsewhere) with one of the hub's route tables. */
  associate(id: string, attachmentId: string, table: TransitRouteTable): Ec2TransitGatewayRouteTableAssociation {
    return new Ec2TransitGatewayRouteTableAssociation(this, id, {
      transitGatewayAttachmentId: attachmentId,
      transitGatewayRouteTableId: this.routeTables[table].id,
    });
  }
}
