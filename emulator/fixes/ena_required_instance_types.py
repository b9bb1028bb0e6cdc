"""Instance types that require ENA refuse to start or launch without it.

AWS: for instance types whose DescribeInstanceTypes NetworkInfo.EnaSupport is `required` (all
Nitro types, e.g. m5), StartInstances of an instance whose enaSupport attribute is off fails with
InvalidParameterCombination "Enhanced networking with the Elastic Network Adapter (ENA) is
required for the 'm5.large' instance type. Ensure that your instance 'i-...' is enabled for
ENA.", and RunInstances from an AMI without enaSupport fails with the same code ("... Ensure that
you are using an AMI that is enabled for ENA."). Docs: EC2 User Guide, "Enhanced networking on
Amazon EC2 instances" and "Enable enhanced networking with ENA"; API Reference
DescribeInstanceTypes (NetworkInfo.EnaSupport: unsupported | supported | required).

moto 5.2.1 starts and launches such instances regardless.
"""
from moto.ec2.exceptions import InvalidParameterCombination
from moto.ec2.models.instance_types import INSTANCE_TYPES
from moto.ec2.models.instances import InstanceBackend


def _requires_ena(instance_type):
    return INSTANCE_TYPES.get(instance_type, {}).get("NetworkInfo", {}).get("EnaSupport") == "required"


def apply():
    original_start = InstanceBackend.start_instances

    def start_instances(self, instance_ids):
        for instance in self.get_multi_instances_by_id(instance_ids):
            if _requires_ena(instance.instance_type) and not getattr(instance, "ena_support", False):
                raise InvalidParameterCombination(
                    "Enhanced networking with the Elastic Network Adapter (ENA) is required for the "
                    f"'{instance.instance_type}' instance type. Ensure that your instance '{instance.id}' is enabled for ENA."
                )
        return original_start(self, instance_ids)

    InstanceBackend.start_instances = start_instances

    original_run = InstanceBackend.run_instances

    def run_instances(self, image_id, count, user_data, security_group_names, **kwargs):
        instance_type = kwargs.get("instance_type", "m1.small")
        ami = self.amis.get(image_id) if image_id else None
        if ami is not None and _requires_ena(instance_type) and not getattr(ami, "ena_support", False):
            raise InvalidParameterCombination(
                "Enhanced networking with the Elastic Network Adapter (ENA) is required for the "
                f"'{instance_type}' instance type. Ensure that you are using an AMI that is enabled for ENA."
            )
        return original_run(self, image_id, count, user_data, security_group_names, **kwargs)

    InstanceBackend.run_instances = run_instances
