"""The enaSupport attribute of AMIs: registered, inherited by CreateImage, kept by CopyImage.

AWS: an AMI's enaSupport is set by `RegisterImage --ena-support`; "the AMI inherits the
enhanced networking enaSupport attribute from the instance" it is created from (CreateImage); a
copy is "an identical but distinct target AMI" (CopyImage keeps it); DescribeImages reports it as
`EnaSupport`. Docs: EC2 User Guide, "Enable enhanced networking with ENA" (optional step: create
an AMI from the instance) and "Copy an AMI"; API Reference RegisterImage (EnaSupport), Image.

moto 5.2.1 ignores EnaSupport in RegisterImage and never reports EnaSupport on images.
"""
from moto.ec2.models.amis import Ami, AmiBackend
from moto.ec2.responses.amis import AmisResponse


def _as_bool(value):
    return value is True or str(value).lower() == "true"


def apply():
    # Omitted from DescribeImages until known, as for an AMI registered without it.
    Ami.ena_support = None

    original_create = AmiBackend.create_image

    def create_image(self, instance_id, *args, **kwargs):
        ami = original_create(self, instance_id, *args, **kwargs)
        ami.ena_support = bool(getattr(self.get_instance(instance_id), "ena_support", False))
        return ami

    AmiBackend.create_image = create_image

    original_copy = AmiBackend.copy_image

    def copy_image(self, source_image_id, source_region, *args, **kwargs):
        from moto.ec2.models import ec2_backends

        ami = original_copy(self, source_image_id, source_region, *args, **kwargs)
        source = ec2_backends[self.account_id][source_region].amis.get(source_image_id)
        ami.ena_support = getattr(source, "ena_support", None)
        return ami

    AmiBackend.copy_image = copy_image

    original_register = AmisResponse.register_image

    def register_image(self):
        result = original_register(self)
        value = self._get_param("EnaSupport")
        if value is not None:
            self.ec2_backend.amis[result.result["ImageId"]].ena_support = _as_bool(value)
        return result

    AmisResponse.register_image = register_image
