"""RunInstances launches with a requested private IPv4 address only if it is a free address of
the subnet, and otherwise launches nothing.

AWS behaviour: a private address given to RunInstances (PrivateIpAddress, or a network
interface's PrivateIpAddress / PrivateIpAddresses) "must be from the IPv4 address range of the
subnet": an address outside it fails with InvalidParameterValue ("Address x.x.x.x does not fall
within the subnet's address range"); the first four addresses and the last address of every
subnet are reserved by AWS and can't be assigned (InvalidParameterValue); an address already used
by another network interface fails with InvalidIPAddress.InUse ("Address x.x.x.x is in use.").
A specific address can be given only when one instance is launched, and not both at instance
level and in NetworkInterfaces (InvalidParameterCombination). A failed request launches no
instance at all. The address of a terminated instance is free again, and an address AWS picks is
never one another interface holds.
References: EC2 API Reference, RunInstances (PrivateIpAddress, NetworkInterfaces) and Common
client error codes (InvalidIPAddress.InUse, InvalidParameterValue,
InvalidParameterCombination); VPC User Guide, "Subnet CIDR blocks" (the five reserved
addresses). The two InvalidParameterValue messages are the ones EC2 returns; AWS does not
document the code of the launch-count refusal, InvalidParameterCombination is the closest common
error.

moto 5.2.1 instead fails with HTTP 500 for an address outside the subnet or held by another
instance (after launching the instances before it, when MinCount > 1), launches with reserved
addresses, with the address of a network interface made by CreateNetworkInterface, and may pick
such an address itself; and it never frees a terminated instance's address (HTTP 500 on reuse).
"""
import ipaddress

from moto.ec2.exceptions import EC2ClientError, InvalidParameterCombination, InvalidParameterValue
from moto.ec2.models.subnets import Subnet
from moto.ec2.responses.instances import InstanceResponse


def _in_use(ip):
    return EC2ClientError("InvalidIPAddress.InUse", f"Address {ip} is in use.")


def _terminated(holder):
    return getattr(holder, "state", None) in ("shutting-down", "terminated")


def _interface_holders(subnet):
    """Addresses held by the subnet's network interfaces, except those of terminated instances."""
    held = {}
    for eni in subnet.ec2_backend.enis.values():
        if eni.subnet is not subnet or (eni.instance is not None and _terminated(eni.instance)):
            continue
        for address in [eni.private_ip_address] + [a.get("PrivateIpAddress") for a in eni.private_ip_addresses]:
            if address:
                held[address] = eni
    return held


def _requested(response):
    """(subnet id, address) for every private address the request names, once per interface."""
    requested = []
    subnet_id = response._get_param("SubnetId")
    if response._get_param("PrivateIpAddress"):
        requested.append((subnet_id, response._get_param("PrivateIpAddress")))
    for nic in response._get_param("NetworkInterfaces", []):
        if nic.get("NetworkInterfaceId"):
            continue
        addresses = {nic.get("PrivateIpAddress")} | {a.get("PrivateIpAddress") for a in nic.get("PrivateIpAddresses", [])}
        requested.extend((nic.get("SubnetId") or subnet_id, a) for a in sorted(a for a in addresses if a))
    return requested


def _check(subnet, ip, taken):
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        raise InvalidParameterValue(f"Invalid value '{ip}' for private IP address") from None
    network = subnet.cidr
    if address not in network:
        raise InvalidParameterValue(f"Address {ip} does not fall within the subnet's address range")
    if int(address) - int(network.network_address) < 4 or address == network.broadcast_address:
        raise InvalidParameterValue(f"Address {ip} is in subnet's reserved address range")
    holder = subnet._subnet_ips.get(ip)
    if ip in taken or ip in _interface_holders(subnet) or (holder is not None and not _terminated(holder)):
        raise _in_use(ip)


def apply():
    original_run = InstanceResponse.run_instances
    original_pick = Subnet.get_available_subnet_ip

    def run_instances(self):
        requested = _requested(self)
        if not requested or self._get_param("DryRun", False):
            return original_run(self)
        if self._get_param("PrivateIpAddress") and self._get_param("NetworkInterfaces"):
            raise InvalidParameterCombination(
                "Network interfaces and an instance-level private IP address may not be specified on the same request"
            )
        count = max(int(self._get_param("MinCount", 1)), int(self._get_param("MaxCount", 1)))
        if count > 1:
            raise InvalidParameterCombination("A specific private IP address can only be given when launching one instance")
        taken = set()
        for subnet_id, ip in requested:
            subnet = self.ec2_backend.get_subnet(subnet_id)
            _check(subnet, ip, taken)
            taken.add(ip)
        # A terminated instance no longer holds its address; moto's own bookkeeping still does.
        for subnet_id, ip in requested:
            subnet = self.ec2_backend.get_subnet(subnet_id)
            if _terminated(subnet._subnet_ips.get(ip)):
                subnet.del_subnet_ip(ip)
        return original_run(self)

    def get_available_subnet_ip(self, instance):
        held = _interface_holders(self)
        for _ in range(self.cidr.num_addresses):
            ip = original_pick(self, instance)
            if ip not in held:
                return ip
            self._subnet_ips[ip] = held[ip]  # taken: never picked again
        raise EC2ClientError("InsufficientFreeAddressesInSubnet", f"Subnet {self.id} has no free addresses.")

    InstanceResponse.run_instances = run_instances
    Subnet.get_available_subnet_ip = get_available_subnet_ip
