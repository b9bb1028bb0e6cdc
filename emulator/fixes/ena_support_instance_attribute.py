"""The enaSupport instance attribute: set with ModifyInstanceAttribute, read back everywhere.

AWS: `ModifyInstanceAttribute --ena-support` sets the instance's enaSupport attribute (and
nothing else); DescribeInstances reports it as `EnaSupport` and `DescribeInstanceAttribute
--attribute enaSupport` returns it. An instance launched from an AMI takes the AMI's enaSupport.
Docs: EC2 User Guide, "Enable enhanced networking with ENA" (test whether enhanced networking is
enabled: instance attribute enaSupport); API Reference ModifyInstanceAttribute (EnaSupport),
DescribeInstanceAttribute (Attribute = enaSupport).

moto 5.2.1 finds no handler for `EnaSupport.Value`, falls through to the security-group handler
with an empty group list and so clears the instance's security groups; it never reports
EnaSupport and rejects `enaSupport` in DescribeInstanceAttribute.
"""
from moto.core.responses import EmptyResult
from moto.ec2.models.instances import Instance
from moto.ec2.responses.instances import InstanceResponse


def _as_bool(value):
    return value is True or str(value).lower() == "true"


def apply():
    Instance.VALID_ATTRIBUTES = set(Instance.VALID_ATTRIBUTES) | {"enaSupport"}
    # Serialized by DescribeInstances as EnaSupport; False until set or inherited.
    Instance.ena_support = False

    original_init = Instance.__init__

    def init_inheriting_ami_ena_support(self, ec2_backend, image_id, *args, **kwargs):
        original_init(self, ec2_backend, image_id, *args, **kwargs)
        ami = ec2_backend.amis.get(self.image_id) if self.image_id else None
        self.ena_support = bool(getattr(ami, "ena_support", False))

    Instance.__init__ = init_inheriting_ami_ena_support

    original_modify = InstanceResponse.modify_instance_attribute

    def modify_instance_attribute(self):
        value = self._get_param("EnaSupport.Value")
        if value is None and self._get_param("Attribute") == "enaSupport":
            value = self._get_param("Value")
        if value is None:
            return original_modify(self)
        instance_id = self._get_param("InstanceId")
        self.ec2_backend.get_instance(instance_id)
        self.error_on_dryrun()
        # Through the backend so that rules on modifying attributes apply here too.
        self.ec2_backend.modify_instance_attribute(instance_id, "ena_support", _as_bool(value))
        return EmptyResult()

    InstanceResponse.modify_instance_attribute = modify_instance_attribute
