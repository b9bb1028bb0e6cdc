import { Construct } from "constructs";
import { CustomerGateway } from "@cdktf/provider-aws/lib/customer-gateway";
import { VpnConnection as VpnConnectionResource } from "@cdktf/provider-aws/lib/vpn-connection";
import { Ec2Tag } from "@cdktf/provider-aws/lib/ec2-tag";
import type { OnPremisesConnection, RegionRole } from "../config/topology-model";
import { NAME_SUFFIX, Naming, TAG_CONNECTION, TAG_REGION_ROLE, TAG_TOPOLOGY } from "./naming";
import { TransitHub } from "./transit-hub";

export interface OnPremisesConnectionsProps {
  readonly hub: TransitHub;
  /** This region's connections. */
  readonly connections: readonly OnPremisesConnection[];
  readonly role: RegionRole;
}

/** CreateCustomerGateway takes ASNs above 2^31 - 1 in a field of their own. */
const LARGEST_BGP_ASN = 2_147_483_647;

/**
 * How on-premises users enter this region's transit gateway: a site-to-site VPN created here
 * (customer gateway + VPN connection on the transit gateway), or an attachment made elsewhere
 * (a Direct Connect gateway, another VPN or VPC), given by id. Each is associated with the
 * `clients` route table, which routes the workload CIDRs to the active copy.
 */
export class OnPremisesConnections extends Construct {
  /** The transit gateway attachment of each connection, by connection name. */
  readonly attachmentIds: Readonly<Record<string, string>>;
  readonly vpnConnections: Readonly<Record<string, VpnConnectionResource>>;

  constructor(scope: Construct, id: string, props: OnPremisesConnectionsProps) {
    super(scope, id);
    const naming = Naming.of(this);
    const attachmentIds: Record<string, string> = {};
    const vpns: Record<string, VpnConnectionResource> = {};
    for (const connection of props.connections) {
      const connectionTag = { [TAG_CONNECTION]: connection.name };
      if (connection.kind === "attachment") {
        attachmentIds[connection.name] = connection.attachmentId;
      } else {
        const customerGateway = new CustomerGateway(this, `${connection.name}-customer-gateway`, {
          type: "ipsec.1",
          ipAddress: connection.customerGatewayIp,
          ...(connection.bgpAsn > LARGEST_BGP_ASN ? { bgpAsnExtended: String(connection.bgpAsn) } : { bgpAsn: String(connection.bgpAsn) }),
          tags: { ...naming.nameTag(NAME_SUFFIX.customerGateway(connection.name)), ...connectionTag },
        });
        const vpn = new VpnConnectionResource(this, `${connection.name}-vpn`, {
          type: "ipsec.1",
          customerGatewayId: customerGateway.id,
          transitGatewayId: props.hub.transitGateway.id,
          staticRoutesOnly: connection.staticRoutesOnly,
          tags: { ...naming.nameTag(NAME_SUFFIX.vpnConnection(connection.name)), ...connectionTag },
        });
        // AWS creates the VPN's transit gateway attachment itself and copies no tags to it; the
        // routing stack finds it by these.
        const attachmentTags = {
          Name: naming.name(NAME_SUFFIX.vpnAttachment(connection.name)),
          [TAG_TOPOLOGY]: naming.topologyName,
          [TAG_REGION_ROLE]: props.role,
          ...connectionTag,
        };
        for (const [key, value] of Object.entries(attachmentTags)) {
          new Ec2Tag(this, `${connection.name}-attachment-tag-${key.replace(/[^a-zA-Z0-9-]/g, "-")}`, {
            resourceId: vpn.transitGatewayAttachmentId,
            key,
            value,
          });
        }
        attachmentIds[connection.name] = vpn.transitGatewayAttachmentId;
        vpns[connection.name] = vpn;
      }
      props.hub.associate(`connection-${connection.name}-association`, attachmentIds[connection.name], "clients");
    }
    this.attachmentIds = attachmentIds;
    this.vpnConnections = vpns;
  }
}
