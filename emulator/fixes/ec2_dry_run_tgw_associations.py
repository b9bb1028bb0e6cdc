"""AssociateTransitGatewayRouteTable and DisassociateTransitGatewayRouteTable with DryRun=true
change nothing.

AWS behaviour: DryRun "checks whether you have the required permissions for the action, without
actually making the request, and provides an error response. If you have the required
permissions, the error response is DryRunOperation. Otherwise, it is UnauthorizedOperation."
DryRunOperation is answered with HTTP 412; the attachment keeps its association (or none).
References: EC2 API Reference, AssociateTransitGatewayRouteTable and
DisassociateTransitGatewayRouteTable (DryRun), Common client error codes (DryRunOperation).

moto 5.2.1 instead ignores DryRun in both calls, so a "dry run" really associates or
disassociates the attachment.
"""
from moto.ec2.responses.transit_gateway_attachments import TransitGatewayAttachment as AttachmentResponse
from ._dry_run import dry_run_first


def apply():
    for name in ("associate_transit_gateway_route_table", "disassociate_transit_gateway_route_table"):
        setattr(AttachmentResponse, name, dry_run_first(getattr(AttachmentResponse, name)))
