"""CreateDhcpOptions tags the new DHCP option set from its TagSpecifications.

AWS behaviour: tags given in TagSpecifications with ResourceType "dhcp-options" are applied to
the DHCP option set as it is created; CreateDhcpOptions and DescribeDhcpOptions return them.
References: EC2 API Reference, CreateDhcpOptions (TagSpecifications) and TagSpecification
(ResourceType dhcp-options).

moto 5.2.1 instead ignores TagSpecifications on CreateDhcpOptions, so the set is created
untagged (the Terraform provider then plans to add the tags on every run).
"""
from moto.ec2.responses.dhcp_options import DHCPOptions


def apply():
    original_create = DHCPOptions.create_dhcp_options

    def create_dhcp_options(self):
        tags = self._parse_tag_specification().get("dhcp-options", {})
        result = original_create(self)
        result.result["DhcpOptions"].add_tags(tags)
        return result

    DHCPOptions.create_dhcp_options = create_dhcp_options
