"""With IAM enforcement on, Systems Manager refuses a call the caller's policies do not allow with
AccessDeniedException, in the JSON its clients read.

AWS: Systems Manager speaks the JSON 1.1 protocol; a request the caller is not authorized for
fails with the AccessDeniedException error ("The requester doesn't have permissions to perform
the requested operation", API Reference, Common Errors and the AccessDeniedException shape of
the SSM service model), HTTP 400, body {"__type": "AccessDeniedException", "message": ...}.

moto 5.2.1 answers every denied request, whatever the service's protocol, with the XML body of
IAM's AccessDenied error and HTTP 403, which SSM clients cannot decode (the AWS SDKs report a
deserialization failure instead of an error code; Terraform: "deserialization failed, failed to
decode response body"). Only the shape of the denial changes here: which requests are denied is
still moto's decision (see "IAM enforcement" in emulator/README.md).
"""
from moto.core.exceptions import JsonRESTError
from moto.iam.access_control import IAMRequest


def apply():
    original = IAMRequest._raise_access_denied

    def raise_access_denied(self):
        if self._service == "ssm":
            raise JsonRESTError("AccessDeniedException", f"User: {self._access_key.arn} is not authorized to perform: {self._action}")
        original(self)

    IAMRequest._raise_access_denied = raise_access_denied
