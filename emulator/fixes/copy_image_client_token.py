"""CopyImage is idempotent by ClientToken: a retry returns the first copy instead of a second.

AWS: "If you repeat a request with the same client token and the same parameters, the original
request's result is returned and no new resource is created; the same client token with
different parameters fails with IdempotentParameterMismatch." Docs: API Reference, "Ensuring
idempotency in Amazon EC2 API requests"; CopyImage (ClientToken).

moto 5.2.1 ignores ClientToken and creates a new AMI on every call.
"""
from moto.core.responses import ActionResult
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.responses.amis import AmisResponse

IDEMPOTENT_PARAMETERS = ("SourceImageId", "SourceRegion", "Name", "Description", "Encrypted", "KmsKeyId", "CopyImageTags")


def apply():
    original = AmisResponse.copy_image

    def copy_image(self):
        token = self._get_param("ClientToken")
        if not token or self._get_param("DryRun", False):
            return original(self)
        seen = self.ec2_backend.__dict__.setdefault("_regionpair_copy_image_tokens", {})
        parameters = tuple(str(self._get_param(name)) for name in IDEMPOTENT_PARAMETERS)
        if token in seen:
            first_parameters, image_id = seen[token]
            if first_parameters != parameters:
                raise EC2ClientError(
                    "IdempotentParameterMismatch",
                    f"The client token '{token}' was already used with different parameters.",
                )
            return ActionResult({"ImageId": image_id})
        result = original(self)
        seen[token] = (parameters, result.result["ImageId"])
        return result

    AmisResponse.copy_image = copy_image
