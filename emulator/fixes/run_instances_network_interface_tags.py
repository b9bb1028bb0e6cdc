"""RunInstances tags the network interfaces it creates from TagSpecifications with ResourceType
network-interface.

AWS: RunInstances TagSpecification.N is "The tags to apply to the resources that are created
during instance launch. You can specify tags for the following resources only: Instances,
Volumes, Spot Instance requests, Network interfaces" (EC2 API Reference, RunInstances; EC2 User
Guide, "Tag your Amazon EC2 resources": tags applied on creation by RunInstances). The network
interfaces created for the launch then carry the tags, as DescribeNetworkInterfaces (TagSet, and
the tag:<key> filter) reports.

moto 5.2.1 applies only the `instance` and `volume` specifications: the network interfaces a
launch creates have no tags. An interface attached by NetworkInterfaceId is not created by the
launch and is left as it is.
"""
from moto.ec2.models.instances import InstanceBackend


def apply():
    original_run = InstanceBackend.run_instances

    def run_instances(self, image_id, count, user_data, security_group_names, **kwargs):
        interface_tags = dict((kwargs.get("tags") or {}).get("network-interface", {}))
        attached = {int(nic.get("DeviceIndex", 0)) for nic in kwargs.get("nics") or [] if nic.get("NetworkInterfaceId")}
        reservation = original_run(self, image_id, count, user_data, security_group_names, **kwargs)
        if interface_tags:
            for instance in reservation.instances:
                for device_index, eni in instance.nics.items():
                    if device_index not in attached:
                        eni.add_tags(interface_tags)
        return reservation

    InstanceBackend.run_instances = run_instances
