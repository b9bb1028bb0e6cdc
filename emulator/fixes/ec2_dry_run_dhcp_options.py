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


def _dry_run_first(handler):
    def handler_honouring_dry_run(self):
        self.error_on_dryrun()
        return handler(self)

    return handler_honouring_dry_run


def apply():
    DHCPOptions.associate_dhcp_options = _dry_run_first(DHCPOptions.associate_dhcp_options)
