"""IAM decides a request from its policies as AWS documents the evaluation logic.

AWS behaviour (IAM User Guide, "Policy evaluation logic", "IAM JSON policy elements: Action,
Resource, NotResource, Condition" and "Condition operators"):
- A request is allowed only when an Allow statement applies to it and no Deny statement does;
  an explicit Deny always wins. A statement applies when its Action (or NotAction) matches the
  action, its Resource (or NotResource) matches the resource, and every condition in its
  Condition block holds.
- Action names are case-insensitive; `*` and `?` are wildcards in Action and Resource.
- A request that names several resources (an EC2 call on a route table and an attachment, say)
  is allowed only when every one of them is allowed.
- Conditions: every operator block must hold, every key within it, and one of the listed values
  matches (OR). A key that is not in the request context makes a condition false, except for the
  negated operators (StringNotEquals, StringNotLike, ArnNotEquals, ArnNotLike), `...IfExists`
  and `Null` ("true": the key is absent). `ForAllValues:` holds when every context value matches
  a policy value (also for an absent key); `ForAnyValue:` when at least one does. Operators
  evaluated here: StringEquals, StringNotEquals, StringEqualsIgnoreCase,
  StringNotEqualsIgnoreCase, StringLike, StringNotLike, ArnEquals, ArnLike, ArnNotEquals,
  ArnNotLike, Bool, Null; any other operator never holds (the request is refused, never let
  through unchecked).

moto 5.2.1 instead matches actions case-sensitively and with `.` as a regular-expression
wildcard, checks one resource per request, evaluates only StringEquals and ignores every other
condition (an Allow with an unknown condition allows), and turns an Allow statement whose
condition fails into an explicit Deny.

Which resources a request names and which condition keys it carries are added by other fixes
through the hooks below (`iam_ec2_resource_arns`, `iam_ec2_resource_tag_keys`,
`iam_ec2_request_tag_keys`, `iam_requested_region_key`); without them a request has the one
resource moto passes (`*` for EC2 and SSM) and no condition keys.
"""
import re

from moto.iam.access_control import IAMPolicy, IAMRequestBase

# Hooks other fixes append to. Each resource provider gets (request, resource) and returns a list
# of resource ARNs, or None to leave the decision to the next one. Each context enricher gets
# (request, resources: list of (arn, context dict), global context dict) and adds keys in place.
RESOURCE_PROVIDERS = "_regionpair_resource_providers"
CONTEXT_ENRICHERS = "_regionpair_context_enrichers"

_NEGATED = {"StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "ArnNotEquals", "ArnNotLike"}


def _glob(pattern, value, ignore_case=False):
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.IGNORECASE if ignore_case else 0) is not None


def _as_list(value):
    return value if isinstance(value, list) else [value]


def _matches_one(operator, policy_value, context_value):
    policy_value = str(policy_value)
    context_value = str(context_value)
    if operator in ("StringEquals", "StringNotEquals", "ArnEquals", "ArnNotEquals"):
        return policy_value == context_value if operator.startswith("String") else _glob(policy_value, context_value)
    if operator in ("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"):
        return policy_value.lower() == context_value.lower()
    if operator in ("StringLike", "StringNotLike", "ArnLike", "ArnNotLike"):
        return _glob(policy_value, context_value)
    if operator == "Bool":
        return policy_value.lower() == context_value.lower()
    raise KeyError(operator)


def _condition_holds(full_operator, key, policy_values, context):
    operator = full_operator
    quantifier = None
    if ":" in operator:
        quantifier, operator = operator.split(":", 1)
    if_exists = operator.endswith("IfExists")
    if if_exists:
        operator = operator[: -len("IfExists")]
    present = key in context
    context_values = _as_list(context[key]) if present else []
    if operator == "Null":
        wants_absent = str(_as_list(policy_values)[0]).lower() == "true"
        return (not present) == wants_absent
    known = {"StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike", "Bool"} | _NEGATED
    if operator not in known or quantifier not in (None, "ForAllValues", "ForAnyValue"):
        return False
    negated = operator in _NEGATED
    positive = operator.replace("Not", "") if negated else operator
    policy_values = _as_list(policy_values)

    def matches(value):
        return any(_matches_one(positive, p, value) for p in policy_values)

    if quantifier == "ForAllValues":
        results = [matches(v) for v in context_values]
        return all((not r) if negated else r for r in results)
    if quantifier == "ForAnyValue":
        results = [matches(v) for v in context_values]
        return any((not r) if negated else r for r in results)
    if not present:
        return True if (if_exists or negated) else False
    hit = any(matches(v) for v in context_values)
    return (not hit) if negated else hit


def _conditions_hold(condition_block, context):
    for operator, keys in (condition_block or {}).items():
        for key, values in keys.items():
            # Condition keys are case-insensitive; context keys are stored as given.
            match = next((k for k in context if k.lower() == key.lower()), key)
            if not _condition_holds(operator, match, values, context):
                return False
    return True


def _element_matches(patterns, value, ignore_case):
    return any(_glob(p, value, ignore_case) for p in _as_list(patterns))


def _statement_applies(statement, action, resource, context):
    if "NotAction" in statement:
        if _element_matches(statement["NotAction"], action, True):
            return False
    elif not _element_matches(statement.get("Action", []), action, True):
        return False
    if "NotResource" in statement:
        if _element_matches(statement["NotResource"], resource, False):
            return False
    elif "Resource" in statement and not _element_matches(statement["Resource"], resource, False):
        return False
    return _conditions_hold(statement.get("Condition"), context)


def _statements(policy):
    document = IAMPolicy(policy)._policy_json
    statements = document.get("Statement", [])
    return statements if isinstance(statements, list) else [statements]


def decide(statements, action, resources):
    """'allow' or 'deny' for an action on resources [(arn, context)]: each must be allowed."""
    for resource, context in resources:
        allowed = False
        for statement in statements:
            if not _statement_applies(statement, action, resource, context):
                continue
            if statement.get("Effect") == "Deny":
                return "deny"
            allowed = True
        if not allowed:
            return "deny"
    return "allow"


def authorization_request(request, resource):
    """The resources of a request with their condition contexts, from the registered hooks."""
    resources = None
    for provider in getattr(IAMRequestBase, RESOURCE_PROVIDERS, []):
        resources = provider(request, resource)
        if resources is not None:
            break
    pairs = [(arn, {}) for arn in (resources or [resource])]
    global_context = {}
    for enricher in getattr(IAMRequestBase, CONTEXT_ENRICHERS, []):
        enricher(request, pairs, global_context)
    return [(arn, {**global_context, **context}) for arn, context in pairs]


def apply():
    for hook in (RESOURCE_PROVIDERS, CONTEXT_ENRICHERS):
        if not hasattr(IAMRequestBase, hook):
            setattr(IAMRequestBase, hook, [])

    def check_action_permitted(self, resource):
        # Needs no permission in AWS either (STS API Reference, GetCallerIdentity).
        if self._action == "sts:GetCallerIdentity":
            return
        statements = [s for policy in self._access_key.collect_policies() for s in _statements(policy)]
        if decide(statements, self._action, authorization_request(self, resource)) != "allow":
            self._raise_access_denied()
        if self._is_assuming_role_operation(resource) and not self._check_role_trust_relationship(resource):
            self._raise_access_denied()

    IAMRequestBase.check_action_permitted = check_action_permitted

