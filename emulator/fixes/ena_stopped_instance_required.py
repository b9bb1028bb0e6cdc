"""Instance type, enaSupport and the other boot-time attributes change only on a stopped instance.

AWS: "To modify some attributes, the instance must be stopped": the instance type, user data,
kernel and RAM disk (EC2 User Guide, "Modify a stopped instance"), and the enaSupport attribute
(EC2 User Guide, "Enable enhanced networking with ENA": stop the instance, then
modify-instance-attribute --ena-support). Otherwise ModifyInstanceAttribute fails with
IncorrectInstanceState, "The instance 'i-...' is not in the 'stopped' state." (API Reference,
"Error codes": IncorrectInstanceState).

moto 5.2.1 changes these attributes on a running instance.
"""
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models.instances import InstanceBackend

STOPPED_ONLY_ATTRIBUTES = {"instance_type", "user_data", "kernel", "ramdisk", "ena_support", "sriov_net_support"}


def apply():
    original = InstanceBackend.modify_instance_attribute

    def modify_instance_attribute(self, instance_id, key, value):
        instance = self.get_instance(instance_id)
        if key in STOPPED_ONLY_ATTRIBUTES and instance.state != "stopped":
            raise EC2ClientError(
                "IncorrectInstanceState",
                f"The instance '{instance_id}' is not in the 'stopped' state.",
            )
        return original(self, instance_id, key, value)

    InstanceBackend.modify_instance_attribute = modify_instance_attribute
