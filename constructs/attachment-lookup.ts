import { Construct } from "constructs";
import { DataAwsEc2TransitGatewayVpcAttachment } from "@cdktf/provider-aws/lib/data-aws-ec2-transit-gateway-vpc-attachment";
import { DataAwsEc2TransitGatewayPeeringAttachment } from "@cdktf/provider-aws/lib/data-aws-ec2-transit-gateway-peering-attachment";
import { DataAwsEc2TransitGatewayVpnAttachment } from "@cdktf/provider-aws/lib/data-aws-ec2-transit-gateway-vpn-attachment";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { OnPremisesConnection } from "../config/topology-model";
import { NAME_SUFFIX, Naming } from "./naming";
import { LIVE_ATTACHMENT_STATES, byTags } from "./lookup-filters";

export interface AttachmentLookupProps {
  /** The provider of the region to look in; nothing is read from any other region. */
  readonly provider: AwsProvider;
  /** Names the network stack created them under (topology + region role). */
  readonly naming: Naming;
  /** Names of the pair-wide resources (the peering). */
  readonly pairNaming: Naming;
  /** Whether the region has a workload VPC. */
  readonly hasWorkloadVpc: boolean;
  /** This region's on-premises connections. */
  readonly connections: readonly OnPremisesConnection[];
}

/**
 * Finds every transit gateway attachment a region's routes point at, by the tags the network and
 * peering stacks set, through that region's provider only; an existing attachment named in the
 * topology is used by its id.
 */
export class AttachmentLookup extends Construct {
  readonly managementVpc: DataAwsEc2TransitGatewayVpcAttachment;
  readonly workloadVpc?: DataAwsEc2TransitGatewayVpcAttachment;
  readonly peering: DataAwsEc2TransitGatewayPeeringAttachment;
  /** Attachment id of each on-premises connection, by connection name. */
  readonly connections: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: AttachmentLookupProps) {
    super(scope, id);
    const { provider, naming } = props;
    const topology = naming.topologyName;
    const vpcAttachment = (lookupId: string, role: "management" | "workload") =>
      new DataAwsEc2TransitGatewayVpcAttachment(this, lookupId, {
        provider,
        filter: byTags(naming.name(NAME_SUFFIX.vpcAttachment(role)), topology, [LIVE_ATTACHMENT_STATES]),
      });
    this.managementVpc = vpcAttachment("vpc-attachment", "management");
    if (props.hasWorkloadVpc) this.workloadVpc = vpcAttachment("workload-attachment", "workload");
    this.peering = new DataAwsEc2TransitGatewayPeeringAttachment(this, "peering-attachment", {
      provider,
      filter: byTags(props.pairNaming.name(NAME_SUFFIX.peeringAttachment), topology, [LIVE_ATTACHMENT_STATES]),
    });
    const connections: Record<string, string> = {};
    for (const connection of props.connections) {
      connections[connection.name] =
        connection.kind === "attachment"
          ? connection.attachmentId
          : new DataAwsEc2TransitGatewayVpnAttachment(this, `vpn-${connection.name}`, {
              provider,
              filter: byTags(naming.name(NAME_SUFFIX.vpnAttachment(connection.name)), topology, [LIVE_ATTACHMENT_STATES]),
            }).id;
    }
    this.connections = connections;
  }
}
