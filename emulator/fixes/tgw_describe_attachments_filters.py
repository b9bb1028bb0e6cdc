"""DescribeTransitGatewayAttachments applies every filter AWS documents for it, tags included.

AWS behaviour: the call takes the filters association.state,
association.transit-gateway-route-table-id, resource-id, resource-owner-id, resource-type, state,
transit-gateway-attachment-id, transit-gateway-id and transit-gateway-owner-id, plus the tag
filters every EC2 Describe call takes (tag:<key> matches an attachment with that tag and one of
the values; tag-key one that has the key at all). Filters are ANDed, a filter's values ORed. This
is how the Terraform data source aws_ec2_transit_gateway_vpn_attachment finds an attachment by
its tags (filter tag:Name), since a VPN attachment is created implicitly and has no other name.
References: EC2 API Reference, DescribeTransitGatewayAttachments (Filter.N) and Filter
("tag:<key>", "tag-key"); EC2 User Guide, "Filter resources by tag".

moto 5.2.1 instead applies only resource-id, resource-type and transit-gateway-id and silently
ignores everything else, tag filters included, so a lookup by tag returns every attachment of
the Region (Terraform then fails with "multiple EC2 Transit Gateway VPN Attachments matched").
"""
from moto.ec2.exceptions import FilterNotImplementedError
from moto.ec2.models.transit_gateway_attachments import TransitGatewayAttachmentBackend


def _tags(attachment):
    return {tag["key"]: tag["value"] for tag in attachment.get_tags()}


def _association(attachment):
    return attachment.association or {}


_ATTRIBUTES = {
    "association.state": lambda a: [_association(a).get("State")],
    "association.transit-gateway-route-table-id": lambda a: [_association(a).get("TransitGatewayRouteTableId")],
    "resource-id": lambda a: [a.resource_id],
    "resource-owner-id": lambda a: [a.resource_owner_id],
    "resource-type": lambda a: [a.resource_type],
    "state": lambda a: [a.state],
    "transit-gateway-attachment-id": lambda a: [a.id],
    "transit-gateway-id": lambda a: [a.transit_gateway_id],
    "transit-gateway-owner-id": lambda a: [a.transit_gateway_owner_id],
    "tag-key": lambda a: list(_tags(a)),
}


def _values_of(attachment, name):
    if name.startswith("tag:"):
        return [_tags(attachment).get(name[len("tag:"):])]
    if name not in _ATTRIBUTES:
        raise FilterNotImplementedError(name, "DescribeTransitGatewayAttachments")
    return _ATTRIBUTES[name](attachment)


def apply():
    def describe_transit_gateway_attachments(self, transit_gateways_attachment_ids=None, filters=None):
        attachments = list(self.transit_gateway_attachments.values())
        if transit_gateways_attachment_ids:
            attachments = [a for a in attachments if a.id in transit_gateways_attachment_ids]
        for name, values in (filters or {}).items():
            wanted = set(values or [])
            attachments = [a for a in attachments if wanted & set(_values_of(a, name))]
        return attachments

    TransitGatewayAttachmentBackend.describe_transit_gateway_attachments = describe_transit_gateway_attachments
