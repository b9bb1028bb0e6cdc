import { Construct } from "constructs";
import { DataAwsEc2TransitGateway } from "@cdktf/provider-aws/lib/data-aws-ec2-transit-gateway";
import { DataAwsEc2TransitGatewayRouteTable } from "@cdktf/provider-aws/lib/data-aws-ec2-transit-gateway-route-table";
import { DataAwsEc2TransitGatewayVpcAttachment } from "@cdktf/provider-aws/lib/data-aws-ec2-transit-gateway-vpc-attachment";
import { DataAwsEc2TransitGatewayPeeringAttachment } from "@cdktf/provider-aws/lib/data-aws-ec2-transit-gateway-peering-attachment";
import { DataAwsRouteTable } from "@cdktf/provider-aws/lib/data-aws-route-table";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { NAME_SUFFIX, Naming, TAG_TOPOLOGY } from "./naming";

export interface RegionLookupProps {
  /** The provider of the region to look in; nothing is read from any other region. */
  readonly provider: AwsProvider;
  /** Names the resources were created under (topology + region role). */
  readonly naming: Naming;
  /** Names of the pair-wide resources (the peering). */
  readonly pairNaming: Naming;
  /** Zones whose VPC route tables to find. */
  readonly availabilityZones: readonly string[];
  /**
   * Also find the hub and the VPC attachment and route tables (the routing stack); the peering
   * stack only needs the hub and its route table.
   * @default true
   */
  readonly includeVpc?: boolean;
  /** @default true */
  readonly includePeering?: boolean;
}

function byTags(name: string, topology: string, extra: Array<{ name: string; values: string[] }> = []) {
  return [
    { name: "tag:Name", values: [name] },
    { name: `tag:${TAG_TOPOLOGY}`, values: [topology] },
    ...extra,
  ];
}

const AVAILABLE = [{ name: "state", values: ["available"] }];

/**
 * Finds what the network and peering stacks created in one region, by the tags they set, through
 * that region's provider only. This replaces remote state: a region's routing must plan and apply
 * while the other region, and any state stored there, is unreachable.
 */
export class RegionLookup extends Construct {
  readonly transitGateway: DataAwsEc2TransitGateway;
  readonly transitGatewayRouteTable: DataAwsEc2TransitGatewayRouteTable;
  readonly vpcAttachment?: DataAwsEc2TransitGatewayVpcAttachment;
  /** Only an accepted (available) peering is found: AWS refuses routes to one that is not. */
  readonly peeringAttachment?: DataAwsEc2TransitGatewayPeeringAttachment;
  /** VPC route tables by availability zone. */
  readonly vpcRouteTables: Readonly<Record<string, DataAwsRouteTable>>;

  constructor(scope: Construct, id: string, props: RegionLookupProps) {
    super(scope, id);
    const { provider, naming } = props;
    const topology = naming.topologyName;
    this.transitGateway = new DataAwsEc2TransitGateway(this, "transit-gateway", {
      provider,
      filter: byTags(naming.name(NAME_SUFFIX.transitGateway), topology, AVAILABLE),
    });
    this.transitGatewayRouteTable = new DataAwsEc2TransitGatewayRouteTable(this, "transit-gateway-route-table", {
      provider,
      filter: byTags(naming.name(NAME_SUFFIX.transitGatewayRouteTable), topology, [
        { name: "transit-gateway-id", values: [this.transitGateway.id] },
      ]),
    });
    if (props.includeVpc ?? true) {
      this.vpcAttachment = new DataAwsEc2TransitGatewayVpcAttachment(this, "vpc-attachment", {
        provider,
        filter: byTags(naming.name(NAME_SUFFIX.vpcAttachment), topology, AVAILABLE),
      });
      this.vpcRouteTables = Object.fromEntries(
        props.availabilityZones.map((zone) => [
          zone,
          new DataAwsRouteTable(this, `route-table-${zone}`, {
            provider,
            filter: byTags(naming.name(NAME_SUFFIX.routeTable(zone)), topology),
          }),
        ]),
      );
    } else {
      this.vpcRouteTables = {};
    }
    if (props.includePeering ?? true) {
      this.peeringAttachment = new DataAwsEc2TransitGatewayPeeringAttachment(this, "peering-attachment", {
        provider,
        filter: byTags(props.pairNaming.name(NAME_SUFFIX.peeringAttachment), topology, AVAILABLE),
      });
    }
  }
}
