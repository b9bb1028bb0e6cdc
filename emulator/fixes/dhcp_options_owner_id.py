"""A DHCP option set reports the account that owns it.

AWS behaviour: CreateDhcpOptions and DescribeDhcpOptions return OwnerId, the id of the AWS account
that owns the DHCP option set.
References: EC2 API Reference, DhcpOptions (OwnerId), CreateDhcpOptions, DescribeDhcpOptions.

moto 5.2.1 instead returns no OwnerId, so the Terraform provider stores an empty owner_id and
builds the option set's ARN without an account id.
"""
from moto.ec2.models.dhcp_options import DHCPOptionsSet


def apply():
    DHCPOptionsSet.owner_id = property(lambda self: self.ec2_backend.account_id)
