"""With IAM enforcement on, an EC2 call is authorized against the ARN of every resource it names.

AWS behaviour: EC2 actions that support resource-level permissions are authorized against each
resource of the request, and every one must be allowed (Service Authorization Reference,
"Actions, resources, and condition keys for Amazon EC2", the Resource types column; EC2 User
Guide, "Resource-level permissions", "Amazon Resource Names for Amazon EC2"). Resources are
`arn:<partition>:ec2:<region>:<account>:<type>/<id>`; images and snapshots have no account
(`arn:aws:ec2:<region>::image/ami-…`). A resource the call creates is authorized as
`<type>/*`. The actions mapped here, with their resource types as the reference lists them:

- Create/Delete/ReplaceTransitGatewayRoute: transit-gateway-route-table (required),
  transit-gateway-attachment (when the request names one);
- Associate/DisassociateTransitGatewayRouteTable: transit-gateway-route-table, transit-gateway-attachment;
- CreateImage: instance, image/* and snapshot/* (created);
- CopyImage: image/* (created in the destination Region);
- DeregisterImage: image; DeleteSnapshot: snapshot;
- StartInstances, StopInstances, TerminateInstances, ModifyInstanceAttribute: each instance;
- DeleteVolume: volume; DeleteNetworkInterface: network-interface;
- RunInstances: image, subnet, each security group, and instance/*, network-interface/*,
  volume/* (created);
- AssociateDhcpOptions: dhcp-options and vpc (`default`, which associates no option set, names
  only the VPC);
- CreateTags, DeleteTags: each resource id named.
Every other EC2 action keeps the resource `*` (those the reference lists without resource
types, such as most Describe calls, are authorized against `*` in AWS too).

moto 5.2.1 authorizes every EC2 call against the single resource `*`, so a policy scoped to
ARNs (`arn:aws:ec2:*:*:transit-gateway-route-table/*`) never matches anything. This fix only
names the resources; `iam_policy_evaluation` decides on them.
"""
import re

from moto.iam.access_control import IAMRequestBase
from moto.utilities.utils import get_partition

RESOURCE_PROVIDERS = "_regionpair_resource_providers"

# EC2 id prefixes, longest first, to the resource type their ARN uses.
_ID_TYPES = [
    ("tgw-rtb-", "transit-gateway-route-table"),
    ("tgw-attach-", "transit-gateway-attachment"),
    ("tgw-", "transit-gateway"),
    ("ami-", "image"),
    ("snap-", "snapshot"),
    ("i-", "instance"),
    ("vpc-", "vpc"),
    ("subnet-", "subnet"),
    ("sg-", "security-group"),
    ("rtb-", "route-table"),
    ("eni-", "network-interface"),
    ("vol-", "volume"),
    ("dopt-", "dhcp-options"),
    ("vpce-", "vpc-endpoint"),
    ("cgw-", "customer-gateway"),
    ("vpn-", "vpn-connection"),
]

_ACCOUNTLESS = {"image", "snapshot"}


def _values(data, name):
    """Every value of `name`, and of `name.N` (EC2 query lists)."""
    found = []
    pattern = re.compile(rf"^{re.escape(name)}(\.\d+)?$")
    for key, value in data.items():
        if pattern.match(key):
            found.extend(value if isinstance(value, list) else [value])
    return [v for v in found if v]


def _type_of(resource_id):
    return next((t for prefix, t in _ID_TYPES if resource_id.startswith(prefix)), None)


def _arn(request, resource_type, resource_id):
    account = "" if resource_type in _ACCOUNTLESS else request.account_id
    return f"arn:{get_partition(request._region)}:ec2:{request._region}:{account}:{resource_type}/{resource_id}"


def _named(request, data, parameter, resource_type=None):
    return [_arn(request, resource_type or _type_of(v) or "unknown", v) for v in _values(data, parameter)]


def _created(request, *types):
    return [_arn(request, t, "*") for t in types]


def _route_calls(request, data):
    return _named(request, data, "TransitGatewayRouteTableId") + _named(request, data, "TransitGatewayAttachmentId")


def _run_instances(request, data):
    groups = _values(data, "SecurityGroupId") + [
        v for key, value in data.items() if re.match(r"^NetworkInterface\.\d+\.SecurityGroupId(\.\d+)?$", key) for v in value
    ]
    subnets = _values(data, "SubnetId") + [v for key, value in data.items() if re.match(r"^NetworkInterface\.\d+\.SubnetId$", key) for v in value]
    return (
        _named(request, data, "ImageId", "image")
        + [_arn(request, "subnet", s) for s in subnets]
        + [_arn(request, "security-group", g) for g in groups]
        + _created(request, "instance", "network-interface", "volume")
    )


def _associate_dhcp_options(request, data):
    options = [v for v in _values(data, "DhcpOptionsId") if v != "default"]
    return [_arn(request, "dhcp-options", o) for o in options] + _named(request, data, "VpcId", "vpc")


_ACTIONS = {
    "CreateTransitGatewayRoute": _route_calls,
    "DeleteTransitGatewayRoute": _route_calls,
    "ReplaceTransitGatewayRoute": _route_calls,
    "AssociateTransitGatewayRouteTable": _route_calls,
    "DisassociateTransitGatewayRouteTable": _route_calls,
    "CreateImage": lambda r, d: _named(r, d, "InstanceId", "instance") + _created(r, "image", "snapshot"),
    "CopyImage": lambda r, d: _created(r, "image"),
    "DeregisterImage": lambda r, d: _named(r, d, "ImageId", "image"),
    "DeleteSnapshot": lambda r, d: _named(r, d, "SnapshotId", "snapshot"),
    "StartInstances": lambda r, d: _named(r, d, "InstanceId", "instance"),
    "StopInstances": lambda r, d: _named(r, d, "InstanceId", "instance"),
    "TerminateInstances": lambda r, d: _named(r, d, "InstanceId", "instance"),
    "ModifyInstanceAttribute": lambda r, d: _named(r, d, "InstanceId", "instance"),
    "DeleteVolume": lambda r, d: _named(r, d, "VolumeId", "volume"),
    "DeleteNetworkInterface": lambda r, d: _named(r, d, "NetworkInterfaceId", "network-interface"),
    "RunInstances": _run_instances,
    "AssociateDhcpOptions": _associate_dhcp_options,
    "CreateTags": lambda r, d: _named(r, d, "ResourceId"),
    "DeleteTags": lambda r, d: _named(r, d, "ResourceId"),
}


def ec2_request_resources(request, resource):
    if request._service != "ec2":
        return None
    action = request._action.split(":", 1)[1]
    resources = _ACTIONS.get(action)
    if resources is None:
        return None
    return resources(request, request._data) or None


def apply():
    if not hasattr(IAMRequestBase, RESOURCE_PROVIDERS):
        setattr(IAMRequestBase, RESOURCE_PROVIDERS, [])
    getattr(IAMRequestBase, RESOURCE_PROVIDERS).append(ec2_request_resources)
