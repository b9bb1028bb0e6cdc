"""CreateTransitGatewayRoute and DeleteTransitGatewayRoute with DryRun=true change nothing.

AWS behaviour: DryRun "checks whether you have the required permissions for the action, without
actually making the request, and provides an error response. If you have the required
permissions, the error response is DryRunOperation. Otherwise, it is UnauthorizedOperation."
DryRunOperation is answered with HTTP 412; the route table is left as it was.
References: EC2 API Reference, CreateTransitGatewayRoute and DeleteTransitGatewayRoute (DryRun),
Common client error codes (DryRunOperation).

moto 5.2.1 instead ignores DryRun in both calls (their handlers never call error_on_dryrun), so a
"dry run" really creates or deletes the route and answers as if it had been asked to.
ReplaceTransitGatewayRoute honours DryRun in its own fix, tgw_replace_route.
"""
from moto.ec2.responses.transit_gateway_route_tables import TransitGatewayRouteTable as RouteTableResponse
from ._dry_run import dry_run_first


def apply():
    for name in ("create_transit_gateway_route", "delete_transit_gateway_route"):
        setattr(RouteTableResponse, name, dry_run_first(getattr(RouteTableResponse, name)))
