"""With IAM enforcement on, an EC2 call that tags what it creates carries those tags as condition keys.

AWS behaviour: tags in a request's TagSpecifications are in its request context as
`aws:RequestTag/<key>` (the value) and `aws:TagKeys` (every key, a multivalued key), for the
resources of the ResourceType they tag; a policy can require or forbid tags on what a call
creates (IAM User Guide, "Controlling access during AWS requests": aws:RequestTag,
aws:TagKeys; EC2 User Guide, "Grant permission to tag resources during creation"; Service
Authorization Reference, e.g. CreateImage: image and snapshot with aws:RequestTag/${TagKey} and
aws:TagKeys). CreateTags carries the tags it sets the same way.

moto 5.2.1 sets no condition key for EC2 calls, so such conditions are ignored. This fix adds
the keys to the created resources (`<type>/*`) `iam_ec2_resource_arns` names, and for
CreateTags to every resource it tags; `iam_policy_evaluation` evaluates them.
"""
import re

from moto.iam.access_control import IAMRequestBase

CONTEXT_ENRICHERS = "_regionpair_context_enrichers"


def _first(value):
    return value[0] if isinstance(value, list) else value


def tag_specifications(data):
    """{resource type: {key: value}} from TagSpecification.N.ResourceType / .Tag.M.Key / .Value."""
    specs = {}
    for key, value in data.items():
        match = re.match(r"^TagSpecification\.(\d+)\.ResourceType$", key)
        if match:
            specs[match.group(1)] = {"type": _first(value), "tags": {}}
    for key, value in data.items():
        match = re.match(r"^TagSpecification\.(\d+)\.Tag\.(\d+)\.Key$", key)
        if match and match.group(1) in specs:
            tag_value = data.get(f"TagSpecification.{match.group(1)}.Tag.{match.group(2)}.Value", [""])
            specs[match.group(1)]["tags"][_first(value)] = _first(tag_value)
    by_type = {}
    for spec in specs.values():
        by_type.setdefault(spec["type"], {}).update(spec["tags"])
    return by_type


def _tags_of_create_tags(data):
    tags = {}
    for key, value in data.items():
        match = re.match(r"^Tag\.(\d+)\.Key$", key)
        if match:
            tags[_first(value)] = _first(data.get(f"Tag.{match.group(1)}.Value", [""]))
    return tags


def _set(context, tags):
    for key, value in tags.items():
        context[f"aws:RequestTag/{key}"] = value
    context["aws:TagKeys"] = list(tags)


def request_tag_keys(request, resources, global_context):
    if request._service != "ec2":
        return
    action = request._action.split(":", 1)[1]
    if action in ("CreateTags", "DeleteTags"):
        tags = _tags_of_create_tags(request._data)
        for _, context in resources:
            _set(context, tags)
        return
    by_type = tag_specifications(request._data)
    if not by_type:
        return
    for arn, context in resources:
        resource = arn.split(":", 5)[-1]
        if resource.endswith("/*"):
            _set(context, by_type.get(resource[:-2], {}))


def apply():
    if not hasattr(IAMRequestBase, CONTEXT_ENRICHERS):
        setattr(IAMRequestBase, CONTEXT_ENRICHERS, [])
    getattr(IAMRequestBase, CONTEXT_ENRICHERS).append(request_tag_keys)
