"""CopyImage tags the new AMI: CopyImageTags copies the source's user tags; TagSpecifications apply.

AWS: `CopyImageTags=true` copies "your user-defined AMI tags" to the new AMI (not system tags
prefixed with `aws:`); `TagSpecifications` tag the new AMI (ResourceType image) and its new
snapshots (ResourceType snapshot). Docs: API Reference CopyImage (CopyImageTags,
TagSpecifications); EC2 User Guide, "Copy an AMI".

moto 5.2.1 ignores both, so a copy carries no tags.
"""
from moto.ec2.models import ec2_backends
from moto.ec2.responses.amis import AmisResponse


def _as_bool(value):
    return value is True or str(value).lower() == "true"


def apply():
    original = AmisResponse.copy_image

    def copy_image(self):
        requested = self._parse_tag_specification()
        result = original(self)
        image = self.ec2_backend.amis[result.result["ImageId"]]
        if _as_bool(self._get_param("CopyImageTags")):
            source_backend = ec2_backends[self.current_account][self._get_param("SourceRegion")]
            source_tags = source_backend.tags.get(self._get_param("SourceImageId"), {})
            image.add_tags({k: v for k, v in source_tags.items() if not k.startswith("aws:")})
        image.add_tags(requested.get("image", {}))
        image.ebs_snapshot.add_tags(requested.get("snapshot", {}))
        return result

    AmisResponse.copy_image = copy_image
