"""CreateTransitGatewayRoute refuses a second route to the same destination and a target
attachment that does not exist.

AWS behaviour: a transit gateway route table holds one static route per destination CIDR;
CreateTransitGatewayRoute for a destination that already has one fails with RouteAlreadyExists
("Route <cidr> already exists in Transit Gateway Route Table <id>"); changing the target is what
ReplaceTransitGatewayRoute is for. A target attachment id that does not exist (or is deleted)
fails with InvalidTransitGatewayAttachmentID.NotFound, an unknown route table with
InvalidRouteTableID.NotFound.
References: EC2 API Reference, CreateTransitGatewayRoute, ReplaceTransitGatewayRoute; the error
code and message are the ones AWS returns to the Terraform AWS provider.

moto 5.2.1 instead silently overwrites the existing route (so code that should have replaced a
route passes against the emulator and fails on AWS), accepts any attachment id, and fails with
HTTP 500 (KeyError) for an unknown route table.
"""
from moto.ec2.exceptions import EC2ClientError, InvalidRouteTableIdError
from moto.ec2.models.transit_gateway_route_tables import TransitGatewayRouteTableBackend

_GONE_STATES = {"deleting", "deleted", "failed", "rejected"}


def apply():
    original_create = TransitGatewayRouteTableBackend.create_transit_gateway_route

    def create_transit_gateway_route(
        self, transit_gateway_route_table_id, destination_cidr_block, transit_gateway_attachment_id=None, blackhole=False
    ):
        table = self.transit_gateways_route_tables.get(transit_gateway_route_table_id)
        if table is None or table.state == "deleted":
            raise InvalidRouteTableIdError(transit_gateway_route_table_id)
        if destination_cidr_block in table.routes:
            raise EC2ClientError(
                "RouteAlreadyExists",
                f"Route {destination_cidr_block} already exists in Transit Gateway Route Table "
                f"{transit_gateway_route_table_id}.",
            )
        if transit_gateway_attachment_id and not blackhole:
            attachment = self.transit_gateway_attachments.get(transit_gateway_attachment_id)
            if attachment is None or attachment.state in _GONE_STATES:
                raise EC2ClientError(
                    "InvalidTransitGatewayAttachmentID.NotFound",
                    f"Transit Gateway Attachment {transit_gateway_attachment_id} was deleted or does not exist.",
                )
        return original_create(
            self, transit_gateway_route_table_id, destination_cidr_block, transit_gateway_attachment_id, blackhole
        )

    TransitGatewayRouteTableBackend.create_transit_gateway_route = create_transit_gateway_route
