"""With IAM enforcement on, an EC2 call carries the tags of each resource it names as condition keys.

AWS behaviour: for an existing resource, the request context holds its tags as
`aws:ResourceTag/<key>` and `ec2:ResourceTag/<key>` (each with the tag's value), so a policy can
allow an action only on resources with a given tag (IAM User Guide, "Controlling access to AWS
resources using tags" and "AWS global condition context keys": aws:ResourceTag; EC2 User Guide,
"Condition keys for Amazon EC2": ec2:ResourceTag; Service Authorization Reference, the
Condition keys column of each resource type). Tags are those of the resource in the Region of
the request (the two sides of a transit gateway peering attachment have their own).

moto 5.2.1 sets no condition key for EC2 calls, so a condition on a resource tag is ignored
(treated as met) in Allow and Deny statements alike. This fix adds the keys for the resources
`iam_ec2_resource_arns` names; `iam_policy_evaluation` evaluates them.
"""
from moto.ec2.models import ec2_backends
from moto.iam.access_control import IAMRequestBase

CONTEXT_ENRICHERS = "_regionpair_context_enrichers"


def _tags_of(account_id, region, resource_id):
    try:
        backend = ec2_backends[account_id][region]
    except KeyError:
        return {}
    return dict(backend.tags.get(resource_id, {}))


def resource_tag_keys(request, resources, global_context):
    if request._service != "ec2":
        return
    for arn, context in resources:
        parts = arn.split(":", 5)
        if len(parts) < 6 or parts[2] != "ec2" or "/" not in parts[5]:
            continue
        resource_id = parts[5].split("/", 1)[1]
        if resource_id == "*":
            continue
        for key, value in _tags_of(request.account_id, parts[3], resource_id).items():
            context[f"aws:ResourceTag/{key}"] = value
            context[f"ec2:ResourceTag/{key}"] = value


def apply():
    if not hasattr(IAMRequestBase, CONTEXT_ENRICHERS):
        setattr(IAMRequestBase, CONTEXT_ENRICHERS, [])
    getattr(IAMRequestBase, CONTEXT_ENRICHERS).append(resource_tag_keys)


