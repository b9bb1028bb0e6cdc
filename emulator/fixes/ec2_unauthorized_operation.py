"""EC2 refuses a call the caller's IAM policies do not allow with UnauthorizedOperation.

AWS behaviour: when IAM does not allow an EC2 action, EC2 answers HTTP 403 with error code
UnauthorizedOperation ("You are not authorized to perform this operation. User: <arn> is not
authorized to perform: ec2:<Action> ...") in EC2's own XML error format. This is decided before
DryRun is looked at, so a denied call with DryRun=true is UnauthorizedOperation too, and an
allowed one DryRunOperation. IAM, STS and S3 keep their own codes (AccessDenied).
References: EC2 API Reference, "Troubleshooting API request errors" > Unauthorized operation,
Common client error codes (UnauthorizedOperation, DryRunOperation) and the DryRun parameter of
every EC2 write action.

moto 5.2.1, once IAM enforcement is on (INITIAL_NO_AUTH_ACTION_COUNT, or POST
/moto-api/reset-auth), answers a denied EC2 call with IAM's AccessDenied in IAM's ErrorResponse
format, so code that handles EC2's UnauthorizedOperation is never exercised. The message here
has no "Encoded authorization failure message" (AWS's is opaque; moto has nothing to encode).
"""
from werkzeug.exceptions import HTTPException

from moto.core.exceptions import AccessDeniedError
from moto.core.responses import ActionResult
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.responses import EC2Response

_STATUS = 403


class _UnauthorizedOperation(HTTPException):
    """moto's request handler answers an HTTPException from authorization with its body and code."""

    def __init__(self, body):
        super().__init__()
        self.code = _STATUS
        self.description = body


def apply():
    original = EC2Response._authenticate_and_authorize_normal_action

    def authenticate_and_authorize_normal_action(self, resource="*"):
        try:
            original(self, resource)
        except AccessDeniedError as denied:
            error = EC2ClientError(
                "UnauthorizedOperation", f"You are not authorized to perform this operation. {denied.message}"
            )
            # Rendered by moto's EC2 serializer, so the body is EC2's error format.
            _, _, body = self.serialized(ActionResult(error))
            raise _UnauthorizedOperation(body) from None

    EC2Response._authenticate_and_authorize_normal_action = authenticate_and_authorize_normal_action
