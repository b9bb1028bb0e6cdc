"""The transit gateway Describe calls filter by tags.

AWS behaviour: DescribeTransitGatewayRouteTables, DescribeTransitGatewayVpcAttachments and
DescribeTransitGatewayPeeringAttachments accept the tag filters every EC2 Describe call does: `tag:<key>` (resources with that tag and one of the values),
`tag-key` (a tag of that key) and `tag-value` (a tag of any key with that value); values may use
`*` and `?` wildcards.
References: EC2 API Reference, the Filter.N parameter of each call; "Filter your resources" in the
EC2 User Guide.

moto 5.2.1 instead ignores every tag filter on the route-table and VPC-attachment calls, and
supports only `tag:<key>` on the peering call, so a lookup by Name among a gateway's route tables or
VPC attachments returns all of them (Terraform's data sources then fail with "multiple ...
matched").
"""
import re

from moto.ec2.models.transit_gateway_attachments import TransitGatewayAttachmentBackend
from moto.ec2.models.transit_gateway_route_tables import TransitGatewayRouteTableBackend
from moto.ec2.utils import simple_aws_filter_to_re


def _matches(values, candidates):
    patterns = [re.compile(f"^{simple_aws_filter_to_re(v)}$") for v in values]
    return any(p.match(c) for p in patterns for c in candidates)


def _tag_filter_matches(resource, name, values):
    tags = [(t["key"], t["value"]) for t in resource.get_tags()]
    if name == "tag-key":
        return _matches(values, [k for k, _ in tags])
    if name == "tag-value":
        return _matches(values, [v for _, v in tags])
    key = name[len("tag:"):]
    return _matches(values, [v for k, v in tags if k == key])


def _with_tag_filters(describe, filters_position):
    def wrapper(self, *args, **kwargs):
        resources = describe(self, *args, **kwargs)
        filters = kwargs.get("filters", args[filters_position] if len(args) > filters_position else None)
        for name, values in (filters or {}).items():
            if name.startswith("tag:") or name in ("tag-key", "tag-value"):
                resources = [r for r in resources if _tag_filter_matches(r, name, values)]
        return resources

    return wrapper


def apply():
    tables = TransitGatewayRouteTableBackend
    tables.get_all_transit_gateway_route_tables = _with_tag_filters(tables.get_all_transit_gateway_route_tables, 1)
    attachments = TransitGatewayAttachmentBackend
    # DescribeTransitGatewayAttachments has its own fix (tgw_describe_attachments_filters).
    for name in ("describe_transit_gateway_vpc_attachments", "describe_transit_gateway_peering_attachments"):
        setattr(attachments, name, _with_tag_filters(getattr(attachments, name), 1))
