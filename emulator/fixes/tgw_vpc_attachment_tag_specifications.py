"""CreateTransitGatewayVpcAttachment tags the new attachment from its TagSpecifications.

AWS behaviour: tags given in TagSpecifications with ResourceType "transit-gateway-attachment"
are applied to the VPC attachment as it is created, and DescribeTransitGatewayVpcAttachments /
DescribeTransitGatewayAttachments return them.
References: EC2 API Reference, CreateTransitGatewayVpcAttachment (TagSpecifications) and
TagSpecification (ResourceType transit-gateway-attachment).

moto 5.2.1 instead looks for them under ResourceType "transit-gateway-route-table", so the
attachment is created untagged (the Terraform provider then plans to add the tags on every run).
"""
from moto.core.responses import ActionResult
from moto.ec2.responses.transit_gateway_attachments import TransitGatewayAttachment as AttachmentResponse


def apply():
    def create_transit_gateway_vpc_attachment(self):
        attachment = self.ec2_backend.create_transit_gateway_vpc_attachment(
            transit_gateway_id=self._get_param("TransitGatewayId"),
            tags=self._parse_tag_specification().get("transit-gateway-attachment", {}),
            vpc_id=self._get_param("VpcId"),
            subnet_ids=self._get_param("SubnetIds", []),
            options=self._get_param("Options", {}),
        )
        return ActionResult({"TransitGatewayVpcAttachment": attachment})

    AttachmentResponse.create_transit_gateway_vpc_attachment = create_transit_gateway_vpc_attachment
