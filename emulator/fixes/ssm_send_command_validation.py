"""SendCommand refuses a document, version, parameters or node it cannot run, with AWS's errors.

AWS (API Reference, SendCommand and its errors):
- InvalidDocument: "The specified SSM document doesn't exist" (DocumentName is a name or an ARN);
  InvalidDocumentVersion: "The document version isn't valid or doesn't exist" ($DEFAULT, $LATEST
  or a version number);
- InvalidParameters: "You must specify values for all required parameters in the SSM document.
  You can only supply values to parameters defined in the SSM document." A document parameter
  without a `default` is required; a String parameter takes one value; a value must be one of
  `allowedValues` and match `allowedPattern` when the document declares them ("Data elements and
  parameters");
- InvalidInstanceId: the node is not managed by Systems Manager (SSM Agent not running or not
  registered) or "isn't in a valid state. Valid states are: Running, Pending, Stopped, and
  Stopping. Invalid states are: Shutting-down and Terminated";
- UnsupportedPlatformType: "The document doesn't support the platform type of the given managed
  node IDs";
- InstanceIds holds at most 50 IDs and TimeoutSeconds is 30-2592000 (ValidationException).

moto 5.2.1 records any command: a missing document, undeclared or missing parameters, an instance
that does not exist or has no agent, or a Linux-only document sent to a Windows node all
"succeed". Whether a node is managed comes from the agent double of
ssm_managed_instance_information (a registered node that is stopped is still accepted, as AWS
does). Documents owned by Amazon (AWS-RunShellScript, ...) are not in the emulator, so their
parameters and platforms are not checked.
"""
import re

from moto.ec2.exceptions import InvalidInstanceIdError
from moto.ec2.models import ec2_backends
from moto.ssm.exceptions import SSMException, ValidationException
from moto.ssm.responses import SimpleSystemManagerResponse

from .ssm_document_platform_types import platform_types
from .ssm_managed_instance_information import agent_view, platform_type
from .ssm_run_command_lifecycle import document_name_of, resolve_document


def _invalid_parameters(message):
    return SSMException("InvalidParameters", message)


def check_parameters(declared, given):
    for name in given:
        if name not in declared:
            raise _invalid_parameters(f"Parameter {name!r} is not defined in the document.")
    for name, spec in declared.items():
        values = given.get(name)
        if values is None:
            if "default" not in spec:
                raise _invalid_parameters(f"Parameter {name!r} is required: the document gives it no default.")
            continue
        if spec.get("type") in ("String", "Integer", "Boolean") and len(values) != 1:
            raise _invalid_parameters(f"Parameter {name!r} is a {spec.get('type')} and takes exactly one value.")
        for value in values:
            if "allowedValues" in spec and value not in [str(v) for v in spec["allowedValues"]]:
                raise _invalid_parameters(f"Parameter {name!r} value {value!r} is not one of its allowedValues.")
            if "allowedPattern" in spec and not re.fullmatch(spec["allowedPattern"], value):
                raise _invalid_parameters(f"Parameter {name!r} value {value!r} does not match its allowedPattern.")


def check_instances(ec2_backend, instance_ids, platforms):
    for instance_id in instance_ids:
        try:
            instance = ec2_backend.get_instance(instance_id)
        except InvalidInstanceIdError:
            instance = None
        if instance is None or agent_view(ec2_backend, instance) is None:
            raise SSMException("InvalidInstanceId", f"Instances [[{instance_id}]] not in a valid state for account.")
        if platforms is not None and platform_type(instance) not in platforms:
            raise SSMException("UnsupportedPlatformType", f"The document does not support the platform type of {instance_id} ({platform_type(instance)}).")


def apply():
    original = SimpleSystemManagerResponse.send_command

    def send_command(self):
        instance_ids = self._get_param("InstanceIds") or []
        if len(instance_ids) > 50:
            raise ValidationException("1 validation error detected: Value at 'instanceIds' failed to satisfy constraint: Member must have length less than or equal to 50")
        timeout = self._get_param("TimeoutSeconds")
        if timeout is not None and not 30 <= int(timeout) <= 2592000:
            raise ValidationException(f"1 validation error detected: Value '{timeout}' at 'timeoutSeconds' failed to satisfy constraint: Member must have value between 30 and 2592000")
        name = self._get_param("DocumentName") or ""
        document = resolve_document(self.ssm_backend, name, self._get_param("DocumentVersion"))
        if document is not None:
            check_parameters(document.content_json.get("parameters") or {}, self._get_param("Parameters") or {})
        ec2_backend = ec2_backends[self.current_account][self.region]
        check_instances(ec2_backend, instance_ids, platform_types(document.content_json) if document is not None else None)
        return original(self)

    SimpleSystemManagerResponse.send_command = send_command
