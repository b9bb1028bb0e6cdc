"""CreateImage tags the new snapshots from TagSpecifications with ResourceType snapshot.

AWS: CreateImage `TagSpecifications` tag the AMI (ResourceType image) and "the snapshots that
are created of the root volume and of other Amazon EBS volumes" (ResourceType snapshot).
Docs: API Reference CreateImage (TagSpecifications).

moto 5.2.1 raises NotImplementedError (HTTP 500) for snapshot tag specifications.
"""
from moto.ec2.models.amis import AmiBackend


def apply():
    original = AmiBackend.create_image

    def create_image(self, instance_id, name, description, tag_specifications):
        snapshot_specs = [s for s in tag_specifications if s.get("ResourceType") == "snapshot"]
        other_specs = [s for s in tag_specifications if s.get("ResourceType") != "snapshot"]
        ami = original(self, instance_id, name, description, tag_specifications=other_specs)
        for spec in snapshot_specs:
            ami.ebs_snapshot.add_tags({tag["Key"]: tag["Value"] for tag in spec.get("Tags", [])})
        return ami

    AmiBackend.create_image = create_image
