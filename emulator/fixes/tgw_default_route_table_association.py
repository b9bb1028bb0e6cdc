"""A transit gateway's default route table association and propagation settings decide what
happens to a new attachment.

AWS behaviour: a new VPC attachment is associated with the transit gateway's default association
route table only when the gateway has DefaultRouteTableAssociation=enable, and propagates to the
default propagation route table only when DefaultRouteTablePropagation=enable; with both
disabled AWS creates no default route table at all ("Either DefaultRouteTableAssociation or
DefaultRouteTablePropagation must be set to enable for AWS Transit Gateway to create the default
transit gateway route table"), so Options carries no AssociationDefaultRouteTableId /
PropagationDefaultRouteTableId. The per-attachment Options of the request (DnsSupport,
Ipv6Support, ApplianceModeSupport, SecurityGroupReferencingSupport) are kept as given.
References: EC2 API Reference, CreateTransitGateway / TransitGatewayRequestOptions and
TransitGatewayOptions; CreateTransitGatewayVpcAttachment; Transit Gateway Guide, "Transit gateway
route tables" (default route table, associations, route propagation).

moto 5.2.1 instead always creates a default route table, writes every new VPC attachment into
that table's association list whatever the gateway's settings (without registering the
association, so DisassociateTransitGatewayRouteTable then fails with HTTP 500 KeyError), and
never propagates.
"""
from moto.ec2.exceptions import DuplicateTransitGatewayAttachmentError, InvalidTransitGatewayID
from moto.ec2.models.transit_gateway import TransitGatewayBackend
from moto.ec2.models.transit_gateway_attachments import (
    TransitGatewayAttachmentBackend,
    TransitGatewayVpcAttachment,
)

# Attachments in these states no longer count as "non-deleted" for the duplicate check.
_GONE_STATES = {"deleting", "deleted", "failed", "rejected"}


def _enabled(options, key):
    return str(options.get(key, "enable")).lower() == "enable"


def apply():
    original_create_transit_gateway = TransitGatewayBackend.create_transit_gateway

    def create_transit_gateway(self, description, options=None, tags=None):
        transit_gateway = original_create_transit_gateway(self, description, options=options, tags=tags)
        opts = transit_gateway.options
        if not _enabled(opts, "DefaultRouteTableAssociation") and not _enabled(opts, "DefaultRouteTablePropagation"):
            # moto's constructor always makes one; AWS makes none in this case.
            self.transit_gateways_route_tables.pop(transit_gateway.default_route_table.id, None)
            transit_gateway.default_route_table = None
            opts.pop("AssociationDefaultRouteTableId", None)
            opts.pop("PropagationDefaultRouteTableId", None)
        return transit_gateway

    def create_transit_gateway_vpc_attachment(self, transit_gateway_id, vpc_id, subnet_ids, tags=None, options=None):
        transit_gateway = self.transit_gateways.get(transit_gateway_id)
        if transit_gateway is None:
            raise InvalidTransitGatewayID(
                transit_gateway_id, f"Transit Gateway {transit_gateway_id} was deleted or does not exist."
            )
        same_vpc = self.describe_transit_gateway_vpc_attachments(
            filters={"transit-gateway-id": [transit_gateway_id], "vpc-id": [vpc_id]}
        )
        if [a for a in same_vpc if a.state not in _GONE_STATES]:
            raise DuplicateTransitGatewayAttachmentError(transit_gateway_id)

        attachment = TransitGatewayVpcAttachment(
            self, transit_gateway=transit_gateway, tags=tags, vpc_id=vpc_id, subnet_ids=subnet_ids, options=options
        )
        attachment.transit_gateway_route_table = None  # associated below, or not at all
        self.transit_gateway_attachments[attachment.id] = attachment

        opts = transit_gateway.options
        association_table = opts.get("AssociationDefaultRouteTableId")
        if _enabled(opts, "DefaultRouteTableAssociation") and association_table in self.transit_gateways_route_tables:
            self.associate_transit_gateway_route_table(attachment.id, association_table)
            attachment.transit_gateway_route_table = self.transit_gateways_route_tables[association_table]
        propagation_table = opts.get("PropagationDefaultRouteTableId")
        if _enabled(opts, "DefaultRouteTablePropagation") and propagation_table in self.transit_gateways_route_tables:
            self.enable_transit_gateway_route_table_propagation(attachment.id, propagation_table)
        return attachment

    TransitGatewayBackend.create_transit_gateway = create_transit_gateway
    TransitGatewayAttachmentBackend.create_transit_gateway_vpc_attachment = create_transit_gateway_vpc_attachment
