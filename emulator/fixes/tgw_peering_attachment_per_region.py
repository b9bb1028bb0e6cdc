"""Each Region sees its own side of a transit gateway peering attachment, with its own tags.

AWS behaviour: a cross-Region peering attachment has one id, visible in the requester's and the
accepter's Region (DescribeTransitGatewayPeeringAttachments finds it in both; its state,
RequesterTgwInfo/AccepterTgwInfo and Status are the same on both sides, and accepting in the
accepter Region makes it available in both). Tags are per side: TagSpecifications of
CreateTransitGatewayPeeringAttachment tag the requester's side only, and CreateTags /
DeleteTags in one Region change only what that Region returns. In DescribeTransitGatewayAttachments
each Region reports its own transit gateway as TransitGatewayId and the peer's as ResourceId,
and each side is associated with a route table of its own Region.
References: EC2 API Reference, CreateTransitGatewayPeeringAttachment,
AcceptTransitGatewayPeeringAttachment, DescribeTransitGatewayPeeringAttachments, CreateTags;
Transit Gateway Guide, "Transit gateway peering attachments" (the accepter accepts, then adds its
own tags and route table association and static routes in its Region).

moto 5.2.1 instead puts one shared object into both Regions, so tags written in either Region are
read from the requester's Region (the accepter's tags overwrite nothing and never show; the
requester's show on the accepter side), the accepter's Region reports the requester's transit
gateway as TransitGatewayId, and a route table association on one side shows on the other.
"""
from moto.ec2.models.transit_gateway_attachments import (
    TransitGatewayAttachmentBackend,
    TransitGatewayPeeringAttachment,
)


class TransitGatewayPeeringAttachmentSide(TransitGatewayPeeringAttachment):
    """The accepter Region's view of a peering attachment: shared lifecycle, local everything else."""

    _LOCAL = frozenset(
        {
            "_shared",
            "ec2_backend",
            "transit_gateway_id",
            "resource_id",
            "resource_owner_id",
            "_association_data",
            "propagation",
            "transit_gateway_route_table",
        }
    )

    def __init__(self, shared, backend):
        # No super().__init__(): that would create (and tag) a second attachment.
        local = {
            "_shared": shared,
            "ec2_backend": backend,
            "transit_gateway_id": shared.accepter_tgw_info["TransitGatewayId"],
            "resource_id": shared.requester_tgw_info["TransitGatewayId"],
            "resource_owner_id": shared.requester_tgw_info["OwnerId"],
            "_association_data": {},
            "propagation": {},
            "transit_gateway_route_table": None,
        }
        for name, value in local.items():
            object.__setattr__(self, name, value)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(object.__getattribute__(self, "_shared"), name)

    def __setattr__(self, name, value):
        if name in self._LOCAL:
            object.__setattr__(self, name, value)
        else:
            setattr(self._shared, name, value)

    @property
    def transit_gateway_owner_id(self):
        return self._shared.accepter_tgw_info["OwnerId"]


def apply():
    original_create = TransitGatewayAttachmentBackend.create_transit_gateway_peering_attachment

    def create_transit_gateway_peering_attachment(self, *args, **kwargs):
        attachment = original_create(self, *args, **kwargs)
        # moto put the same object into the accepter's Region; give that Region its own side.
        for backend in self._get_peering_attachment_backend_refs():
            attachments = backend.transit_gateway_attachments
            if backend is not self and attachments.get(attachment.id) is attachment:
                attachments[attachment.id] = TransitGatewayPeeringAttachmentSide(attachment, backend)
        return attachment

    backend_class = TransitGatewayAttachmentBackend
    backend_class.create_transit_gateway_peering_attachment = create_transit_gateway_peering_attachment
