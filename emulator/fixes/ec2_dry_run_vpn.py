"""The Site-to-Site VPN write calls with DryRun=true change nothing: CreateCustomerGateway,
DeleteCustomerGateway, CreateVpnConnection and DeleteVpnConnection.

AWS behaviour: DryRun "checks whether you have the required permissions for the action, without
actually making the request, and provides an error response. If you have the required
permissions, the error response is DryRunOperation. Otherwise, it is UnauthorizedOperation."
DryRunOperation is answered with HTTP 412; no gateway, connection or transit gateway attachment
is created or deleted.
References: EC2 API Reference, CreateCustomerGateway, DeleteCustomerGateway,
CreateVpnConnection and DeleteVpnConnection (DryRun), Common client error codes
(DryRunOperation).

moto 5.2.1 instead ignores DryRun in these calls (only DescribeCustomerGateways honours it), so a
"dry run" really creates the customer gateway, or the VPN connection and its attachment.
"""
from moto.ec2.responses.customer_gateways import CustomerGateways
from moto.ec2.responses.vpn_connections import VPNConnections
from ._dry_run import dry_run_first


def apply():
    for response, name in (
        (CustomerGateways, "create_customer_gateway"),
        (CustomerGateways, "delete_customer_gateway"),
        (VPNConnections, "create_vpn_connection"),
        (VPNConnections, "delete_vpn_connection"),
    ):
        setattr(response, name, dry_run_first(getattr(response, name)))
