"""RunInstances gives the primary network interface the secondary private addresses asked for.

AWS behaviour: in a RunInstances network interface specification, PrivateIpAddresses entries
with Primary=false are assigned to the interface as secondary private IPv4 addresses, and
SecondaryPrivateIpAddressCount=N makes AWS pick N free addresses of the subnet as secondary
addresses. DescribeInstances and DescribeNetworkInterfaces list them in PrivateIpAddresses
(Primary false) next to the primary address, and they are taken: no other interface gets them.
References: EC2 API Reference, RunInstances (NetworkInterfaces), InstanceNetworkInterfaceSpecification
(PrivateIpAddresses, SecondaryPrivateIpAddressCount); EC2 User Guide, "Multiple IP addresses"
(assign a secondary private IPv4 address when launching an instance).

moto 5.2.1 instead drops both: the interface gets its primary address only. (Which addresses may
be requested is checked by run_instances_private_ip.)
"""
from moto.ec2.responses.instances import InstanceResponse


def _as_bool(value):
    return value is True or str(value).lower() == "true"


def _secondary_requests(response):
    """For each device index: the secondary addresses asked for, and how many AWS should pick."""
    requests = {}
    for nic in response._get_param("NetworkInterfaces", []):
        if nic.get("NetworkInterfaceId"):
            continue
        given = [a["PrivateIpAddress"] for a in nic.get("PrivateIpAddresses", []) if a.get("PrivateIpAddress") and not _as_bool(a.get("Primary"))]
        count = int(nic.get("SecondaryPrivateIpAddressCount") or 0)
        if given or count:
            requests[int(nic.get("DeviceIndex", 0))] = (given, count)
    return requests


def apply():
    original_run = InstanceResponse.run_instances

    def run_instances(self):
        requests = _secondary_requests(self)
        result = original_run(self)
        if not requests:
            return result
        for instance in result.result.instances:
            for device_index, (given, count) in requests.items():
                eni = instance.nics.get(device_index)
                if eni is None:
                    continue
                subnet = eni.subnet
                addresses = list(given)
                for ip in given:
                    subnet.request_ip(ip, instance)
                addresses += [subnet.get_available_subnet_ip(instance) for _ in range(count)]
                eni.private_ip_addresses.extend({"Primary": False, "PrivateIpAddress": ip} for ip in addresses)
                instance._private_ips.update(addresses)
        return result

    InstanceResponse.run_instances = run_instances
