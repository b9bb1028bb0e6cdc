import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { Ec2TransitGatewayPeeringAttachment } from "@cdktf/provider-aws/lib/ec2-transit-gateway-peering-attachment";
import { Ec2TransitGatewayPeeringAttachmentAccepter } from "@cdktf/provider-aws/lib/ec2-transit-gateway-peering-attachment-accepter";
import { Ec2TransitGatewayRouteTableAssociation } from "@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-association";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { REGION_ROLES, RegionRole, Topology } from "../config/topology-model";
import { DeploymentTarget } from "../config/target";
import { NAME_SUFFIX, Naming } from "../constructs/naming";
import { TransitGatewayLookup } from "../constructs/transit-gateway-lookup";
import { configureStateBackend, regionProvider } from "./aws-provider";
import { declareActiveRegion } from "./active-region";

export interface PeeringStackProps {
  readonly topology: Topology;
  readonly target: DeploymentTarget;
}

/**
 * The transit gateway peering: requested from the primary region, accepted in the secondary,
 * and associated with each region's `peering` transit gateway route table. The only stack that talks to
 * both regions, so it is set up while both are healthy; failover never needs it. Its state is
 * kept with the primary (the requester).
 */
export class PeeringStack extends TerraformStack {
  readonly attachment: Ec2TransitGatewayPeeringAttachment;
  readonly accepter: Ec2TransitGatewayPeeringAttachmentAccepter;

  constructor(scope: Construct, name: string, props: PeeringStackProps) {
    super(scope, name);
    const { topology, target } = props;
    const pairNaming = Naming.attach(this, new Naming(topology.name));
    configureStateBackend(this, name, { state: topology.state, layout: topology.primary, target });
    declareActiveRegion(this, topology, false);

    const providers = Object.fromEntries(
      REGION_ROLES.map((role) => [
        role,
        // The same tags on both sides of the peering: it belongs to the pair, not to a region.
        regionProvider(this, `aws-${role}`, { region: topology[role].region, accountId: topology[role].accountId, alias: role, defaultTags: pairNaming.pairTags(), target }),
      ]),
    ) as Record<RegionRole, ReturnType<typeof regionProvider>>;

    const hubs = Object.fromEntries(
      REGION_ROLES.map((role) => [
        role,
        new TransitGatewayLookup(this, `${role}-lookup`, { provider: providers[role], naming: new Naming(topology.name, role) }),
      ]),
    ) as Record<RegionRole, TransitGatewayLookup>;

    const accepterAccount = new DataAwsCallerIdentity(this, "accepter-account", { provider: providers.secondary });
    const tags = pairNaming.nameTag(NAME_SUFFIX.peeringAttachment);

    this.attachment = new Ec2TransitGatewayPeeringAttachment(this, "attachment", {
      provider: providers.primary,
      transitGatewayId: hubs.primary.transitGateway.id,
      peerTransitGatewayId: hubs.secondary.transitGateway.id,
      peerRegion: topology.secondary.region,
      peerAccountId: accepterAccount.accountId,
      tags,
    });
    this.accepter = new Ec2TransitGatewayPeeringAttachmentAccepter(this, "accepter", {
      provider: providers.secondary,
      transitGatewayAttachmentId: this.attachment.id,
      tags,
    });

    // AWS refuses to associate (or route to) a peering attachment until it is accepted. Traffic
    // from the other region is routed by the `peering` table, which never sends it back.
    for (const role of REGION_ROLES) {
      new Ec2TransitGatewayRouteTableAssociation(this, `${role}-association`, {
        provider: providers[role],
        transitGatewayAttachmentId: this.accepter.transitGatewayAttachmentId,
        transitGatewayRouteTableId: hubs[role].routeTables.peering.id,
        dependsOn: [this.accepter],
      });
    }

    new TerraformOutput(this, "peering_attachment_id", { value: this.accepter.transitGatewayAttachmentId });
  }
}
