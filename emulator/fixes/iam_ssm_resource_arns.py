"""With IAM enforcement on, SendCommand is authorized against its document and its instances.

AWS behaviour (Service Authorization Reference, "Actions, resources, and condition keys for AWS
Systems Manager": SendCommand lists the resource types document, instance, managed-instance,
bucket, task-target and ... ; Systems Manager User Guide, "Restricting Run Command access based on
tags"): a SendCommand request is authorized against the ARN of the document it runs,
`arn:<partition>:ssm:<region>:<account>:document/<name>` (documents owned by AWS, `AWS-*`, have
no account: `arn:aws:ssm:<region>::document/AWS-RunShellScript`), and against each instance it
names, `arn:<partition>:ec2:<region>:<account>:instance/<id>` (a managed node registered with an
activation, `mi-…`, is `arn:<partition>:ssm:<region>:<account>:managed-instance/<id>`); every
one must be allowed. A document given by ARN is authorized as that ARN.

moto 5.2.1 authorizes every Systems Manager call against the single resource `*`, so a policy
that allows SendCommand only for the project's documents never matches. This fix only names the
resources; `iam_policy_evaluation` decides on them. Other Systems Manager actions keep `*`.
"""
import json

from moto.iam.access_control import IAMRequestBase
from moto.utilities.utils import get_partition

RESOURCE_PROVIDERS = "_regionpair_resource_providers"


def _document_arn(request, partition, name):
    if name.startswith("arn:"):
        return name
    account = "" if name.startswith("AWS-") else request.account_id
    return f"arn:{partition}:ssm:{request._region}:{account}:document/{name}"


def _instance_arn(request, partition, instance_id):
    if instance_id.startswith("mi-"):
        return f"arn:{partition}:ssm:{request._region}:{request.account_id}:managed-instance/{instance_id}"
    return f"arn:{partition}:ec2:{request._region}:{request.account_id}:instance/{instance_id}"


def ssm_request_resources(request, resource):
    if request._service != "ssm" or request._action != "ssm:SendCommand":
        return None
    try:
        body = json.loads(request._body or b"{}")
    except ValueError:
        return None
    partition = get_partition(request._region)
    resources = []
    if body.get("DocumentName"):
        resources.append(_document_arn(request, partition, body["DocumentName"]))
    resources.extend(_instance_arn(request, partition, i) for i in body.get("InstanceIds") or [])
    return resources or None


def apply():
    if not hasattr(IAMRequestBase, RESOURCE_PROVIDERS):
        setattr(IAMRequestBase, RESOURCE_PROVIDERS, [])
    getattr(IAMRequestBase, RESOURCE_PROVIDERS).append(ssm_request_resources)
