"""The transit gateway attachment of a Site-to-Site VPN connection lives and dies with it.

AWS behaviour: CreateVpnConnection with TransitGatewayId creates an attachment of resource type
"vpn" whose ResourceId is the VPN connection and whose ResourceOwnerId is the account. It gets no
tags (the connection's TagSpecifications tag the connection only; the attachment is tagged
afterwards with CreateTags). Like any new attachment it is associated with the gateway's default
association route table, and propagates to its default propagation route table, only when the
gateway's DefaultRouteTableAssociation / DefaultRouteTablePropagation are enabled. It can be
associated with a route table and be the target of static routes like other attachments.
DeleteVpnConnection deletes the attachment too: it goes to state "deleted" (and stays visible
for a while), loses its route table association and propagations, static routes to it become
blackholes, and it can no longer be associated or propagated (InvalidTransitGatewayAttachmentID
.NotFound).
References: Transit Gateway Guide, "Transit gateway VPN attachments" (the attachment is created
with the VPN connection) and "Transit gateway route tables" (default association and
propagation); EC2 API Reference, CreateVpnConnection, DeleteVpnConnection,
DescribeTransitGatewayAttachments, TransitGatewayRoute (State blackhole).

moto 5.2.1 instead remembers the gateway's default route table on the attachment whatever the
gateway's settings (without associating it), and on DeleteVpnConnection only sets the
attachment's state, leaving it associated with its route table (so
GetTransitGatewayRouteTableAssociations still lists it), propagating, and open to new
associations.
"""
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models.transit_gateway_attachments import TransitGatewayAttachmentBackend
from moto.ec2.models.transit_gateway_route_tables import TransitGatewayRouteTableBackend
from moto.ec2.responses.vpn_connections import VPNConnections

_GONE_STATES = {"deleting", "deleted", "failed", "rejected"}


def _enabled(options, key):
    return str(options.get(key, "enable")).lower() == "enable"


def _forget_routing(backend, attachment_id):
    """Drops an attachment's route table associations and propagations."""
    for table in backend.transit_gateways_route_tables.values():
        table.route_table_associations.pop(attachment_id, None)
        table.route_table_propagation = [
            p for p in table.route_table_propagation if p.transitGatewayAttachmentId != attachment_id
        ]
    backend.transit_gateway_associations.pop(attachment_id, None)
    backend.transit_gateway_propagations.pop(attachment_id, None)
    attachment = backend.transit_gateway_attachments.get(attachment_id)
    if attachment is not None:
        attachment._association_data = {}
        attachment.propagation = {}
        attachment.transit_gateway_route_table = None


def _refuse_deleted_vpn_attachment(backend, attachment_id):
    attachment = backend.transit_gateway_attachments.get(attachment_id)
    if attachment is not None and attachment.resource_type == "vpn" and attachment.state in _GONE_STATES:
        raise EC2ClientError(
            "InvalidTransitGatewayAttachmentID.NotFound",
            f"Transit Gateway Attachment {attachment_id} was deleted or does not exist.",
        )


def apply():
    original_create_attachment = TransitGatewayAttachmentBackend.create_transit_gateway_vpn_attachment
    original_delete_connection = VPNConnections.delete_vpn_connection
    original_associate = TransitGatewayRouteTableBackend.associate_transit_gateway_route_table
    original_propagate = TransitGatewayRouteTableBackend.enable_transit_gateway_route_table_propagation

    def create_transit_gateway_vpn_attachment(self, vpn_id, transit_gateway_id, tags=None):
        attachment = original_create_attachment(self, vpn_id, transit_gateway_id, tags)
        attachment.transit_gateway_route_table = None  # associated below, or not at all
        options = self.transit_gateways[transit_gateway_id].options
        association_table = options.get("AssociationDefaultRouteTableId")
        if _enabled(options, "DefaultRouteTableAssociation") and association_table in self.transit_gateways_route_tables:
            self.associate_transit_gateway_route_table(attachment.id, association_table)
            attachment.transit_gateway_route_table = self.transit_gateways_route_tables[association_table]
        propagation_table = options.get("PropagationDefaultRouteTableId")
        if _enabled(options, "DefaultRouteTablePropagation") and propagation_table in self.transit_gateways_route_tables:
            self.enable_transit_gateway_route_table_propagation(attachment.id, propagation_table)
        return attachment

    def delete_vpn_connection(self):
        result = original_delete_connection(self)
        connection_id = self._get_param("VpnConnectionId")
        backend = self.ec2_backend
        for attachment in list(backend.transit_gateway_attachments.values()):
            if attachment.resource_type == "vpn" and attachment.resource_id == connection_id:
                attachment.state = "deleted"
                _forget_routing(backend, attachment.id)
        return result

    def associate_transit_gateway_route_table(self, transit_gateway_attachment_id, transit_gateway_route_table_id):
        _refuse_deleted_vpn_attachment(self, transit_gateway_attachment_id)
        return original_associate(self, transit_gateway_attachment_id, transit_gateway_route_table_id)

    def enable_transit_gateway_route_table_propagation(self, transit_gateway_attachment_id, transit_gateway_route_table_id):
        _refuse_deleted_vpn_attachment(self, transit_gateway_attachment_id)
        return original_propagate(self, transit_gateway_attachment_id, transit_gateway_route_table_id)

    TransitGatewayAttachmentBackend.create_transit_gateway_vpn_attachment = create_transit_gateway_vpn_attachment
    VPNConnections.delete_vpn_connection = delete_vpn_connection
    TransitGatewayRouteTableBackend.associate_transit_gateway_route_table = associate_transit_gateway_route_table
    TransitGatewayRouteTableBackend.enable_transit_gateway_route_table_propagation = (
        enable_transit_gateway_route_table_propagation
    )
