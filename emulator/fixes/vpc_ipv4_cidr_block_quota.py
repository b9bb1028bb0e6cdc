"""AssociateVpcCidrBlock allows as many IPv4 blocks per VPC as the account's quota.

AWS behaviour: "IPv4 CIDR blocks per VPC" (Service Quotas code L-83CA0A9D) is 5 by default and
adjustable up to 50; the primary block counts. AssociateVpcCidrBlock past the account's value
fails with CidrLimitExceeded. References: Amazon VPC User Guide, "Amazon VPC quotas" (VPC and
subnets: IPv4 CIDR blocks per VPC, default 5, adjustable, up to 50); EC2 API Reference,
AssociateVpcCidrBlock; Common client error codes (CidrLimitExceeded).

moto 5.2.1 hard-codes the default (5), so an account whose quota was raised, as a topology with
many workloads needs, cannot be emulated. Here the emulated account's quota is
REGIONPAIR_EMULATOR_IPV4_CIDR_BLOCKS_PER_VPC (default 5, AWS's default; more than 50, AWS's
maximum, is refused when the server starts). IPv6 associations are left to moto.
"""
import os

from moto.ec2.exceptions import CidrLimitExceeded
from moto.ec2.models.vpcs import VPC
from moto.ec2.utils import random_vpc_cidr_association_id

AWS_DEFAULT = 5
AWS_MAXIMUM = 50


def _quota():
    value = int(os.environ.get("REGIONPAIR_EMULATOR_IPV4_CIDR_BLOCKS_PER_VPC", str(AWS_DEFAULT)))
    if not 1 <= value <= AWS_MAXIMUM:
        raise ValueError(f"REGIONPAIR_EMULATOR_IPV4_CIDR_BLOCKS_PER_VPC={value}: AWS allows 1 to {AWS_MAXIMUM}")
    return value


def apply():
    quota = _quota()
    original = VPC.associate_vpc_cidr_block

    def associate_vpc_cidr_block(self, cidr_block, amazon_provided_ipv6_cidr_block=False, ipv6_cidr_block_network_border_group=None):
        if amazon_provided_ipv6_cidr_block:
            return original(self, cidr_block, amazon_provided_ipv6_cidr_block, ipv6_cidr_block_network_border_group)
        # Disassociated blocks no longer count (as in moto's own method).
        for association_id, association in list(self._cidr_block_association_set.items()):
            if association.get("cidr_block_state", {}).get("state") == "disassociated":
                self._cidr_block_association_set.pop(association_id)
        if len(self.get_cidr_block_association_set(False)) >= quota:
            raise CidrLimitExceeded(self.id, quota)
        association = {
            "association_id": random_vpc_cidr_association_id(),
            "cidr_block_state": {"state": "associated", "StatusMessage": None},
            "cidr_block": cidr_block,
        }
        self._cidr_block_association_set[association["association_id"]] = association
        return association

    VPC.associate_vpc_cidr_block = associate_vpc_cidr_block
