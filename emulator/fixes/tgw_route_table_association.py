"""A transit gateway attachment is associated with at most one transit gateway route table.

AWS behaviour: AssociateTransitGatewayRouteTable fails with Resource.AlreadyAssociated while the
attachment is associated with any route table ("Transit Gateway Attachment ... is already
associated to a route table"); DisassociateTransitGatewayRouteTable removes the attachment's
association with that route table (the response shows state "disassociating") and fails with
InvalidAssociation.NotFound when the attachment is not associated with it; unknown route tables
or attachments give InvalidRouteTableID.NotFound / InvalidTransitGatewayAttachmentID.NotFound.
DescribeTransitGatewayAttachments reports the current association (or none) in Association.
References: EC2 API Reference, AssociateTransitGatewayRouteTable,
DisassociateTransitGatewayRouteTable, TransitGatewayAttachmentAssociation; Transit Gateway Guide,
"How transit gateways work" > Associations (an attachment is associated with one route table);
the error codes are the ones AWS returns, as handled by the AWS CloudFormation resource provider
and the Terraform AWS provider (errCodeInvalidAssociationNotFound).

moto 5.2.1 instead keys associations by attachment only, so a second association silently
leaves the attachment in two tables, disassociating an attachment that moto associated by
itself raises KeyError (HTTP 500) and the wrong table may be disassociated, and
DescribeTransitGatewayAttachments always reports the gateway's default route table.
"""
from moto.ec2.exceptions import EC2ClientError, InvalidRouteTableIdError
from moto.ec2.models.transit_gateway_attachments import TransitGatewayAttachment
from moto.ec2.models.transit_gateway_route_tables import TransitGatewayRouteTableBackend


def _live_table(backend, route_table_id):
    table = backend.transit_gateways_route_tables.get(route_table_id)
    if table is None or table.state == "deleted":
        raise InvalidRouteTableIdError(route_table_id)
    return table


def _associated_table(backend, attachment_id):
    for table in backend.transit_gateways_route_tables.values():
        if attachment_id in table.route_table_associations:
            return table
    return None


def apply():
    original_associate = TransitGatewayRouteTableBackend.associate_transit_gateway_route_table

    def associate_transit_gateway_route_table(self, transit_gateway_attachment_id, transit_gateway_route_table_id):
        _live_table(self, transit_gateway_route_table_id)
        if transit_gateway_attachment_id not in self.transit_gateway_attachments:
            raise EC2ClientError(
                "InvalidTransitGatewayAttachmentID.NotFound",
                f"Transit Gateway Attachment {transit_gateway_attachment_id} was deleted or does not exist.",
            )
        if _associated_table(self, transit_gateway_attachment_id) is not None:
            raise EC2ClientError(
                "Resource.AlreadyAssociated",
                f"Transit Gateway Attachment {transit_gateway_attachment_id} is already associated to a route table.",
            )
        return original_associate(self, transit_gateway_attachment_id, transit_gateway_route_table_id)

    def disassociate_transit_gateway_route_table(self, tgw_attach_id, tgw_rt_id):
        table = _live_table(self, tgw_rt_id)
        entry = table.route_table_associations.pop(tgw_attach_id, None)
        if entry is None:
            raise EC2ClientError(
                "InvalidAssociation.NotFound",
                f"Association {tgw_attach_id} to route table {tgw_rt_id} does not exist.",
            )
        relation = self.transit_gateway_associations.get(tgw_attach_id)
        if relation is not None and relation.transit_gateway_route_table_id == tgw_rt_id:
            del self.transit_gateway_associations[tgw_attach_id]
        attachment = self.transit_gateway_attachments.get(tgw_attach_id)
        if attachment is not None:
            attachment._association_data = {}
            if getattr(attachment, "transit_gateway_route_table", None) is table:
                attachment.transit_gateway_route_table = None
        return {
            "TransitGatewayRouteTableId": tgw_rt_id,
            "TransitGatewayAttachmentId": tgw_attach_id,
            "ResourceId": entry.resourceId,
            "ResourceType": entry.resourceType,
            "State": "disassociating",
        }

    def association(self):
        table = _associated_table(self.ec2_backend, self.id)
        if table is None:
            return None
        return {"State": "associated", "TransitGatewayRouteTableId": table.id}

    TransitGatewayRouteTableBackend.associate_transit_gateway_route_table = associate_transit_gateway_route_table
    TransitGatewayRouteTableBackend.disassociate_transit_gateway_route_table = disassociate_transit_gateway_route_table
    TransitGatewayAttachment.association = property(association)
