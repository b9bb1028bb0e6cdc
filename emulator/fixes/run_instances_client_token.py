"""RunInstances is idempotent by ClientToken: a retry returns the first launch instead of a second.

AWS: "If you repeat a request with the same client token and the same parameters, the original
request's result is returned and no new resource is created; the same client token with
different parameters fails with IdempotentParameterMismatch." For RunInstances the result is the
original reservation, with the same instances. Docs: API Reference, "Ensuring idempotency in
Amazon EC2 API requests"; RunInstances (ClientToken).

moto 5.2.1 ignores ClientToken and launches new instances on every call.
"""
from moto.core.responses import ActionResult
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.responses import EC2Response
from moto.ec2.responses.instances import InstanceResponse

# Not part of what was asked for: the token itself, the dry-run switch, and the protocol fields.
_NOT_PARAMETERS = {"Action", "Version", "ClientToken", "DryRun"}


def _parameters(response):
    return tuple(sorted((k, tuple(v)) for k, v in response.querystring.items() if k not in _NOT_PARAMETERS))


def _launch(response):
    # Looked up at call time: the other RunInstances fixes patch InstanceResponse after this one.
    return InstanceResponse.run_instances(response)


def apply():
    def run_instances(self):
        token = self._get_param("ClientToken")
        if not token or self._get_param("DryRun", False):
            return _launch(self)
        seen = self.ec2_backend.__dict__.setdefault("_regionpair_run_instances_tokens", {})
        parameters = _parameters(self)
        if token in seen:
            first_parameters, reservation_id = seen[token]
            if first_parameters != parameters:
                raise EC2ClientError(
                    "IdempotentParameterMismatch",
                    f"The client token '{token}' was already used with different parameters.",
                )
            return ActionResult(self.ec2_backend.reservations[reservation_id])
        result = _launch(self)
        seen[token] = (parameters, result.result.id)
        return result

    # On the class that serves EC2 requests, so a retry is recognised before any other fix
    # (a repeated launch must not be refused because its private address is now in use).
    EC2Response.run_instances = run_instances
