"""Deleting a VPC leaves the DHCP option set it used in place.

AWS behaviour: a DHCP option set is a resource of its own that any number of VPCs can use;
deleting a VPC ends that VPC's use of the set, and the set stays until DeleteDhcpOptions deletes
it (which is refused while a VPC still uses it).
References: EC2 API Reference, DeleteVpc, AssociateDhcpOptions, DeleteDhcpOptions ("You must
disassociate the set of DHCP options before you can delete it"); Amazon VPC User Guide, "DHCP
option sets in Amazon VPC".

moto 5.2.1 instead deletes the DHCP option set together with the VPC that was using it, even when
another VPC still uses it.
"""
from moto.ec2.models.vpcs import VPCBackend


def apply():
    original_delete_vpc = VPCBackend.delete_vpc

    def delete_vpc(self, vpc_id):
        vpc = self.vpcs.get(vpc_id)
        options = getattr(vpc, "dhcp_options", None)
        # moto deletes the set of a VPC it deletes; with no set on the VPC it leaves the set alone.
        if vpc is not None:
            vpc.dhcp_options = None
        try:
            return original_delete_vpc(self, vpc_id)
        except Exception:
            if vpc is not None:
                vpc.dhcp_options = options
            raise

    VPCBackend.delete_vpc = delete_vpc
