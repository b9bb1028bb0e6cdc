"""AMI names are unique per account and Region: CreateImage and RegisterImage refuse a used name.

AWS: CreateImage/RegisterImage with a name already used by one of the account's AMIs in the
Region fails with InvalidAMIName.Duplicate ("AMI name ... is already in use by AMI ami-...").
Docs: API Reference, "Error codes" (InvalidAMIName.Duplicate); CreateImage (Name).

moto 5.2.1 registers any number of AMIs with the same name.
"""
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models.amis import AmiBackend


def _refuse_used_name(backend, name):
    for ami in list(backend.amis.values()):
        if ami.name == name and ami.owner_id == backend.account_id:
            raise EC2ClientError("InvalidAMIName.Duplicate", f"AMI name {name} is already in use by AMI {ami.id}")


def apply():
    original_create = AmiBackend.create_image

    def create_image(self, instance_id, name, *args, **kwargs):
        self.get_instance(instance_id)
        _refuse_used_name(self, name)
        return original_create(self, instance_id, name, *args, **kwargs)

    AmiBackend.create_image = create_image

    original_register = AmiBackend.register_image

    def register_image(self, name=None, description=None):
        if name:
            _refuse_used_name(self, name)
        return original_register(self, name, description)

    AmiBackend.register_image = register_image
