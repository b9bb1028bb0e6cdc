"""New AMIs start in state pending and become available later (CreateImage, CopyImage).

AWS: "The initial status of the new AMI is pending. The AMI copy operation is complete when the
status is available"; an AMI from CreateImage is likewise pending until its snapshots complete.
Docs: EC2 User Guide, "Copy an AMI" and "Create an Amazon EBS-backed AMI"; API Reference Image
(State: pending | available | ...).

moto 5.2.1 reports every new AMI as available at once, so nothing that waits for an image is
exercised. Here a new AMI stays pending for REGIONPAIR_EMULATOR_IMAGE_PENDING_SECONDS
(default 1) seconds of wall time.
"""
import os
import time

from moto.ec2.models.amis import Ami, AmiBackend


def _pending_seconds():
    return float(os.environ.get("REGIONPAIR_EMULATOR_IMAGE_PENDING_SECONDS", "1"))


def _mark_pending(ami):
    ami.state = "pending"
    ami.__dict__["_regionpair_available_at"] = time.monotonic() + _pending_seconds()
    return ami


def apply():
    def get_state(self):
        state = self.__dict__.get("_regionpair_state", "available")
        if state == "pending" and time.monotonic() >= self.__dict__.get("_regionpair_available_at", 0):
            state = self.__dict__["_regionpair_state"] = "available"
        return state

    def set_state(self, value):
        self.__dict__["_regionpair_state"] = value

    Ami.state = property(get_state, set_state)

    original_create = AmiBackend.create_image
    original_copy = AmiBackend.copy_image

    def create_image(self, *args, **kwargs):
        return _mark_pending(original_create(self, *args, **kwargs))

    def copy_image(self, *args, **kwargs):
        return _mark_pending(original_copy(self, *args, **kwargs))

    AmiBackend.create_image = create_image
    AmiBackend.copy_image = copy_image
