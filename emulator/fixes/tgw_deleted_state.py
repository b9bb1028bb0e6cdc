"""Deleted transit gateways and transit gateway attachments stay visible with state "deleted".

AWS behaviour: DeleteTransitGateway and DeleteTransitGatewayVpcAttachment answer with state
"deleting"; the resource then goes to "deleted" and DescribeTransitGateways /
DescribeTransitGatewayVpcAttachments / DescribeTransitGatewayAttachments keep returning it, with
that state, for a while (filters such as state=available leave it out). A deleted attachment
loses its route table associations and propagations. A transit gateway can't be deleted while it
has attachments that are not deleted (IncorrectState "... has non-deleted Transit Gateway
Attachments"); once they are all deleted it can. Deleting an unknown attachment gives
InvalidTransitGatewayAttachmentID.NotFound. Deleted resources take no part in anything else:
a deleted gateway can't get new attachments, and a VPC that was attached can be attached again.
References: EC2 API Reference, DeleteTransitGateway, DeleteTransitGatewayVpcAttachment,
DescribeTransitGateways, DescribeTransitGatewayVpcAttachments (TransitGatewayState /
TransitGatewayAttachmentState); Transit Gateway Guide, "Delete a transit gateway" ("You can't
delete a transit gateway with existing attachments") and "VPC attachment lifecycle".

moto 5.2.1 instead removes a deleted transit gateway or VPC attachment at once (Describe no longer
knows it, so the Terraform provider's delete waiters, which poll for state "deleted", fail),
answers DeleteTransitGateway with state "available", deletes a transit gateway that still has
attachments, leaves a deleted peering attachment in its route table associations, ignores the
state filter of DescribeTransitGatewayAttachments, and fails with HTTP 500 (KeyError) on unknown
attachment ids. DeleteTransitGatewayRouteTable already keeps the table with state "deleted".
"""
import copy

from moto.ec2.exceptions import EC2ClientError, InvalidTransitGatewayID
from moto.ec2.models.transit_gateway import TransitGatewayBackend
from moto.ec2.models.transit_gateway_attachments import TransitGatewayAttachmentBackend
from moto.ec2.responses.transit_gateway_attachments import TransitGatewayAttachment as AttachmentResponse
from moto.ec2.responses.transit_gateways import TransitGateways as TransitGatewayResponse
from moto.ec2.utils import describe_tag_filter
from moto.utilities.utils import filter_resources

_GONE_STATES = {"deleting", "deleted", "failed", "rejected"}

# The filters moto supports for the live resources, applied the same way to deleted ones.
_TGW_FILTERS = (("transit-gateway-id", "id"), ("state", "state"), ("owner-id", "owner_id"))
_VPC_ATTACHMENT_FILTERS = (
    ("state", "state"),
    ("transit-gateway-attachment-id", "id"),
    ("transit-gateway-id", "transit_gateway_id"),
    ("vpc-id", "resource_id"),
)
_ATTACHMENT_FILTERS = (
    ("resource-id", "resource_id"),
    ("resource-type", "resource_type"),
    ("state", "state"),
    ("transit-gateway-attachment-id", "id"),
    ("transit-gateway-id", "transit_gateway_id"),
)


def _deleted(backend, kind):
    """The backend's deleted resources of one kind, by id (kept apart so nothing else sees them)."""
    return backend.__dict__.setdefault(f"_regionpair_deleted_{kind}", {})


def _not_found(attachment_id):
    return EC2ClientError(
        "InvalidTransitGatewayAttachmentID.NotFound",
        f"Transit Gateway Attachment {attachment_id} was deleted or does not exist.",
    )


def _matching(resources, ids, filters, attr_pairs):
    result = [r for r in resources if not ids or r.id in ids]
    if filters:
        result = describe_tag_filter(filters, filter_resources(result, filters, attr_pairs))
    return result


def _forget_routing(backend, attachment_id):
    """Drops an attachment's route table associations and propagations in one Region."""
    for table in backend.transit_gateways_route_tables.values():
        table.route_table_associations.pop(attachment_id, None)
        table.route_table_propagation = [
            p for p in table.route_table_propagation if p.transitGatewayAttachmentId != attachment_id
        ]
    backend.transit_gateway_associations.pop(attachment_id, None)
    backend.transit_gateway_propagations.pop(attachment_id, None)


def _in_state(resource, state):
    response = copy.copy(resource)
    response.state = state
    return response


def apply():
    original_delete_tgw = TransitGatewayBackend.delete_transit_gateway
    original_delete_vpc_attachment = TransitGatewayAttachmentBackend.delete_transit_gateway_vpc_attachment
    original_delete_peering = TransitGatewayAttachmentBackend.delete_transit_gateway_peering_attachment
    original_describe_tgws = TransitGatewayResponse.describe_transit_gateways
    original_describe_vpc_attachments = AttachmentResponse.describe_transit_gateway_vpc_attachments
    original_describe_attachments = AttachmentResponse.describe_transit_gateway_attachments

    def delete_transit_gateway(self, transit_gateway_id):
        if transit_gateway_id not in self.transit_gateways:
            raise InvalidTransitGatewayID(transit_gateway_id)
        blocking = [
            a.id
            for a in self.transit_gateway_attachments.values()
            if a.transit_gateway_id == transit_gateway_id and a.state not in _GONE_STATES
        ]
        if blocking:
            raise EC2ClientError(
                "IncorrectState",
                f"{transit_gateway_id} has non-deleted Transit Gateway Attachments: {', '.join(blocking)}",
            )
        transit_gateway = original_delete_tgw(self, transit_gateway_id)
        transit_gateway.state = "deleted"
        if getattr(transit_gateway, "default_route_table", None) is not None:
            transit_gateway.default_route_table.state = "deleted"
        _deleted(self, "transit_gateways")[transit_gateway_id] = transit_gateway
        return _in_state(transit_gateway, "deleting")

    def delete_transit_gateway_vpc_attachment(self, transit_gateway_attachment_id):
        attachment = self.transit_gateway_attachments.get(transit_gateway_attachment_id)
        if attachment is None or attachment.resource_type != "vpc":
            raise _not_found(transit_gateway_attachment_id)
        original_delete_vpc_attachment(self, transit_gateway_attachment_id)
        attachment.state = "deleted"
        _forget_routing(self, transit_gateway_attachment_id)
        _deleted(self, "attachments")[transit_gateway_attachment_id] = attachment
        return _in_state(attachment, "deleting")

    def delete_transit_gateway_peering_attachment(self, transit_gateway_attachment_id):
        if transit_gateway_attachment_id not in self.transit_gateway_attachments:
            raise _not_found(transit_gateway_attachment_id)
        attachment = original_delete_peering(self, transit_gateway_attachment_id)
        for backend in self._get_peering_attachment_backend_refs():
            if transit_gateway_attachment_id in backend.transit_gateway_attachments:
                _forget_routing(backend, transit_gateway_attachment_id)
        return attachment

    def describe_transit_gateways(self):
        result = original_describe_tgws(self)
        gone = _matching(
            _deleted(self.ec2_backend, "transit_gateways").values(),
            self._get_param("TransitGatewayIds", []),
            self._filters_from_querystring(),
            _TGW_FILTERS,
        )
        result.result["TransitGateways"] = list(result.result["TransitGateways"]) + gone
        return result

    def describe_transit_gateway_vpc_attachments(self):
        result = original_describe_vpc_attachments(self)
        gone = _matching(
            _deleted(self.ec2_backend, "attachments").values(),
            self._get_param("TransitGatewayAttachmentIds", []),
            self._filters_from_querystring(),
            _VPC_ATTACHMENT_FILTERS,
        )
        key = "TransitGatewayVpcAttachments"
        result.result[key] = list(result.result[key]) + gone
        return result

    def describe_transit_gateway_attachments(self):
        result = original_describe_attachments(self)
        filters = self._filters_from_querystring()
        gone = _matching(
            _deleted(self.ec2_backend, "attachments").values(),
            self._get_param("TransitGatewayAttachmentIds", []),
            filters,
            _ATTACHMENT_FILTERS,
        )
        key = "TransitGatewayAttachments"
        combined = list(result.result[key]) + gone
        if filters.get("state"):
            combined = [a for a in combined if a.state in filters["state"]]
        result.result[key] = combined
        return result

    TransitGatewayBackend.delete_transit_gateway = delete_transit_gateway
    TransitGatewayAttachmentBackend.delete_transit_gateway_vpc_attachment = delete_transit_gateway_vpc_attachment
    TransitGatewayAttachmentBackend.delete_transit_gateway_peering_attachment = delete_transit_gateway_peering_attachment
    TransitGatewayResponse.describe_transit_gateways = describe_transit_gateways
    AttachmentResponse.describe_transit_gateway_vpc_attachments = describe_transit_gateway_vpc_attachments
    AttachmentResponse.describe_transit_gateway_attachments = describe_transit_gateway_attachments
