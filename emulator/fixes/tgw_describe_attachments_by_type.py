"""DescribeTransitGatewayVpcAttachments and DescribeTransitGatewayPeeringAttachments return only
attachments of their own type.

AWS behaviour: DescribeTransitGatewayVpcAttachments describes VPC attachments and
DescribeTransitGatewayPeeringAttachments describes peering attachments; each leaves out the
other kinds (DescribeTransitGatewayAttachments is the call that lists every kind).
References: EC2 API Reference, DescribeTransitGatewayVpcAttachments,
DescribeTransitGatewayPeeringAttachments, DescribeTransitGatewayAttachments.

moto 5.2.1 instead answers both calls from the list of all attachments of the Region, so a peering
attachment is listed as a VPC attachment (without VpcId or Options) and a VPC attachment as a
peering attachment (without RequesterTgwInfo/AccepterTgwInfo).
"""
from moto.ec2.models.transit_gateway_attachments import TransitGatewayAttachmentBackend


def _only(resource_type, describe):
    def describe_of_type(self, *args, **kwargs):
        return [a for a in describe(self, *args, **kwargs) if a.resource_type == resource_type]

    return describe_of_type


def apply():
    backend = TransitGatewayAttachmentBackend
    backend.describe_transit_gateway_vpc_attachments = _only("vpc", backend.describe_transit_gateway_vpc_attachments)
    backend.describe_transit_gateway_peering_attachments = _only(
        "peering", backend.describe_transit_gateway_peering_attachments
    )
