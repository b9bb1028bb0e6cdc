"""ReplaceTransitGatewayRoute changes the target of an existing static route in one step.

AWS behaviour: ReplaceTransitGatewayRoute replaces the route to DestinationCidrBlock in the
transit gateway route table with one to TransitGatewayAttachmentId, or with a blackhole when
Blackhole is true (a blackhole route has no TransitGatewayAttachments and state "blackhole"; a
route to an attachment has state "active"). The route is never missing in between, and a failed
call leaves the old route as it was. The answer is the new route. Errors: a route table that does
not exist is InvalidRouteTableID.NotFound; no route to that destination in the table is
InvalidRoute.NotFound (the code the Terraform AWS provider handles for a missing transit gateway
route); an attachment that does not exist or is deleted is
InvalidTransitGatewayAttachmentID.NotFound; a request with neither an attachment nor
Blackhole=true names no target and is MissingParameter (EC2's common client error for a missing
parameter; AWS documents no more specific code for this call). DryRun=true only checks the
permission: DryRunOperation, nothing replaced.
References: EC2 API Reference, ReplaceTransitGatewayRoute, TransitGatewayRoute, Common client
error codes (MissingParameter, DryRunOperation); Transit Gateway Guide, "Replace a static route".

moto 5.2.1 does not implement the call (HTTP 500, "The replace_transit_gateway_route action has
not been implemented").
"""
from moto.core.responses import ActionResult
from moto.ec2.exceptions import EC2ClientError, InvalidRouteError, InvalidRouteTableIdError, MissingParameterError
from moto.ec2.responses.transit_gateway_route_tables import TransitGatewayRouteTable as RouteTableResponse
from moto.utilities.utils import str2bool

_GONE_STATES = {"deleting", "deleted", "failed", "rejected"}


def _replace(backend, route_table_id, destination, attachment_id, blackhole):
    table = backend.transit_gateways_route_tables.get(route_table_id)
    if table is None or table.state == "deleted":
        raise InvalidRouteTableIdError(route_table_id)
    if not blackhole and not attachment_id:
        raise MissingParameterError("TransitGatewayAttachmentId or Blackhole")
    if destination not in table.routes:
        raise InvalidRouteError(route_table_id, destination)
    if not blackhole:
        attachment = backend.transit_gateway_attachments.get(attachment_id)
        if attachment is None or attachment.state in _GONE_STATES:
            raise EC2ClientError(
                "InvalidTransitGatewayAttachmentID.NotFound",
                f"Transit Gateway Attachment {attachment_id} was deleted or does not exist.",
            )
    # The new route is made by CreateTransitGatewayRoute's own code (so it is stored and described
    # like any other static route); the old one is put back if that fails.
    previous = table.routes.pop(destination)
    try:
        return backend.create_transit_gateway_route(
            transit_gateway_route_table_id=route_table_id,
            destination_cidr_block=destination,
            transit_gateway_attachment_id=None if blackhole else attachment_id,
            blackhole=blackhole,
        )
    except Exception:
        table.routes[destination] = previous
        raise


def apply():
    def replace_transit_gateway_route(self):
        self.error_on_dryrun()
        route = _replace(
            self.ec2_backend,
            self._get_param("TransitGatewayRouteTableId"),
            self._get_param("DestinationCidrBlock"),
            self._get_param("TransitGatewayAttachmentId"),
            str2bool(self._get_param("Blackhole") or False),
        )
        return ActionResult({"Route": route})

    RouteTableResponse.replace_transit_gateway_route = replace_transit_gateway_route
