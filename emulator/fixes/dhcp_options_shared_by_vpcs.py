"""A DHCP option set can serve several VPCs, and is in use while any of them uses it.

AWS behaviour: one DHCP option set may be associated with any number of VPCs. AssociateDhcpOptions
moves a VPC to another set (or to `default`); DeleteDhcpOptions is refused with
DependencyViolation while a VPC still uses the set, and succeeds once none does.
References: EC2 API Reference, AssociateDhcpOptions, DeleteDhcpOptions ("You must disassociate the
set of DHCP options before you can delete it. You can disassociate the set of DHCP options by
associating either a new set of options or the default set of options with the VPC."); Amazon VPC
User Guide, "DHCP option sets in Amazon VPC".

moto 5.2.1 instead records one VPC per set (the last one associated) and never clears it when that
VPC moves to another set, so after moving every VPC away the old set still cannot be deleted
(DependencyViolation forever: terraform retries for its whole timeout), while a set still used by
an earlier VPC can be deleted.
"""
from moto.ec2.models.dhcp_options import DHCPOptionsSet


def _first_vpc_using(options):
    return next((vpc for vpc in options.ec2_backend.vpcs.values() if getattr(vpc, "dhcp_options", None) is options), None)


def apply():
    # Derived from the VPCs on every read; moto's own writes to it are ignored.
    DHCPOptionsSet.vpc = property(_first_vpc_using, lambda self, value: None)
