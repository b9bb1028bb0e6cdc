import { Construct } from "constructs";
import { DataAwsEc2TransitGateway } from "@cdktf/provider-aws/lib/data-aws-ec2-transit-gateway";
import { DataAwsEc2TransitGatewayRouteTable } from "@cdktf/provider-aws/lib/data-aws-ec2-transit-gateway-route-table";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TRANSIT_ROUTE_TABLES, TransitRouteTable } from "../config/transit-routes";
import { NAME_SUFFIX, Naming } from "./naming";
import { AVAILABLE, byTags } from "./lookup-filters";

export interface TransitGatewayLookupProps {
  /** The provider of the region to look in; nothing is read from any other region. */
  readonly provider: AwsProvider;
  /** Names the network stack created them under (topology + region role). */
  readonly naming: Naming;
}

/**
 * Finds a region's transit gateway and its route tables by the tags the network stack set,
 * through that region's provider only. This replaces remote state: a region's routing must plan
 * and apply while the other region, and any state stored there, is unreachable.
 */
export class TransitGatewayLookup extends Construct {
  readonly transitGateway: DataAwsEc2TransitGateway;
  readonly routeTables: Readonly<Record<TransitRouteTable, DataAwsEc2TransitGatewayRouteTable>>;

  constructor(scope: Construct, id: string, props: TransitGatewayLookupProps) {
    super(scope, id);
    const { provider, naming } = props;
    this.transitGateway = new DataAwsEc2TransitGateway(this, "transit-gateway", {
      provider,
      filter: byTags(naming.name(NAME_SUFFIX.transitGateway), naming.topologyName, [AVAILABLE]),
    });
    this.routeTables = Object.fromEntries(
      TRANSIT_ROUTE_TABLES.map((table) => [
        table,
        new DataAwsEc2TransitGatewayRouteTable(this, `route-table-${table}`, {
          provider,
          filter: byTags(naming.name(NAME_SUFFIX.transitGatewayRouteTable(table)), naming.topologyName, [
            { name: "transit-gateway-id", values: [this.transitGateway.id] },
          ]),
        }),
      ]),
    ) as Record<TransitRouteTable, DataAwsEc2TransitGatewayRouteTable>;
  }
}
