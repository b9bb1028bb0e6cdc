"""AssociateDhcpOptions with DryRun=true changes nothing.

AWS behaviour: DryRun "checks whether you have the required permissions for the action, without
actually making the request, and provides an error response. If you have the required
permissions, the error response is DryRunOperation. Otherwise, it is UnauthorizedOperation."
DryRunOperation is answered with HTTP 412; the VPC keeps the option set it had.
References: EC2 API Reference, AssociateDhcpOptions (DryRun), Common client error codes
(DryRunOperation).

moto 5.2.1 instead ignores DryRun in AssociateDhcpOptions, so a "dry run" really moves the VPC
to the other option set (or to none, with `default`).
"""
from moto.ec2.responses.dhcp_options import DHCPOptions
from ._dry_run import dry_run_first


def apply():
    DHCPOptions.associate_dhcp_options = dry_run_first(DHCPOptions.associate_dhcp_options)
