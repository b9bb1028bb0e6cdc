"""With IAM enforcement on, every request carries the Region it is sent to as a condition key.

AWS behaviour: `aws:RequestedRegion` is the Region the request was made to, for every request
(IAM User Guide, "AWS global condition context keys"), so a policy can allow actions only in
chosen Regions; EC2 also sets `ec2:Region` to it (EC2 User Guide, "Condition keys for Amazon
EC2"; Service Authorization Reference, ec2:Region).

moto 5.2.1 sets neither key, so a policy limited to the pair's Regions allows every Region (an
Allow's condition is ignored) and a Deny outside them denies nothing. This fix adds both keys,
from the Region in the request's signature; `iam_policy_evaluation` evaluates them.
"""
from moto.iam.access_control import IAMRequestBase

CONTEXT_ENRICHERS = "_regionpair_context_enrichers"


def requested_region(request, resources, global_context):
    global_context["aws:RequestedRegion"] = request._region
    if request._service == "ec2":
        global_context["ec2:Region"] = request._region


def apply():
    if not hasattr(IAMRequestBase, CONTEXT_ENRICHERS):
        setattr(IAMRequestBase, CONTEXT_ENRICHERS, [])
    getattr(IAMRequestBase, CONTEXT_ENRICHERS).append(requested_region)
