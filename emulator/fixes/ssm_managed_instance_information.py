"""DescribeInstanceInformation lists the EC2 instances whose SSM Agent has registered (managed
nodes), with a test double standing in for the agent.

AWS behaviour (Systems Manager API Reference, DescribeInstanceInformation and InstanceInformation;
User Guide, "Managing EC2 instances with Systems Manager"): an EC2 instance becomes a managed node
once SSM Agent on it has registered with Systems Manager, which needs an IAM instance profile
whose role allows it. DescribeInstanceInformation then lists it with InstanceId, PingStatus
(Online | ConnectionLost), LastPingDateTime, AgentVersion, IsLatestVersion, PlatformType
(Windows | Linux | MacOS), PlatformName, PlatformVersion, ResourceType EC2Instance, IPAddress,
ComputerName (the fully qualified host name), SourceId and SourceType AWS::EC2::Instance. "This
operation does not return information for nodes that are either Stopped or Terminated." Filters:
InstanceIds, PingStatus, PlatformTypes, ResourceType, AgentVersion, SourceIds, SourceTypes,
tag-key and tag:<key> (Filters), or the legacy InstanceInformationFilterList; an unknown key is
InvalidFilterKey, a bad PingStatus/PlatformTypes/ResourceType value is
InvalidInstanceInformationFilterValue, and "if you specify a node ID that isn't valid ... you
receive an error" (InvalidInstanceId; here: an ID not of the form i-/mi-<hex>, while a well-formed ID
of an instance that is not, or not yet, a managed node gives an empty list, which is what a poll
for registration sees). MaxResults is 5-50 (default 10) with NextToken paging; a token this call
did not issue is InvalidNextToken.

moto 5.2.1 does not implement DescribeInstanceInformation at all (the call fails), and has no
notion of a managed node.

THE TEST DOUBLE (not AWS behaviour): no SSM Agent runs in the emulator, so this module decides
when "the agent" would have registered:
- a running instance with an IAM instance profile associated registers
  REGIONPAIR_EMULATOR_SSM_REGISTRATION_SECONDS (default 1) seconds after it last started
  running or got its profile, whichever is later. The profile's role and its policies are not
  checked, and Default Host Management Configuration (managed without a profile) is not modelled;
- its PlatformType follows the instance's platform (windows -> Windows, otherwise Linux), with
  fixed stand-in values for PlatformName/PlatformVersion ("Microsoft Windows Server 2022
  Datacenter" 10.0.20348, or "Amazon Linux" 2023), AgentVersion and ComputerName (EC2AMAZ-<7
  characters> for Windows, the private DNS name for Linux), since only a real agent knows them;
- once registered, a node whose instance profile is removed stops pinging at once and shows
  ConnectionLost (a real agent notices when its credentials expire); a stopped node is not listed
  (as AWS documents) but stays registered, so Run Command still accepts it; a started node is
  ConnectionLost until it registers again; a terminated node is gone.
`agent_view` is also what the Run Command fixes use to decide whether a node is managed.
"""
import base64
import hashlib
import os
import re
import threading
import time
from dataclasses import dataclass

from moto.core.responses import ActionResult
from moto.ec2.models import ec2_backends
from moto.ec2.models.iam_instance_profile import IamInstanceProfileAssociationBackend
from moto.ec2.models.instances import Instance
from moto.ssm.exceptions import SSMException, ValidationException
from moto.ssm.responses import SimpleSystemManagerResponse

AGENT_VERSION = "3.3.1611.0"
_STAND_IN_PLATFORMS = {
    "Windows": ("Microsoft Windows Server 2022 Datacenter", "10.0.20348"),
    "Linux": ("Amazon Linux", "2023"),
}
_INSTANCE_ID = re.compile(r"^(i|mi)-[0-9a-f]{8,17}$")
_PING_STATUSES = {"Online", "ConnectionLost", "Inactive"}
_PLATFORM_TYPES = {"Windows", "Linux", "MacOS"}
_RESOURCE_TYPES = {"EC2Instance", "ManagedInstance"}
_lock = threading.Lock()


def registration_seconds():
    return float(os.environ.get("REGIONPAIR_EMULATOR_SSM_REGISTRATION_SECONDS", "1"))


@dataclass(frozen=True)
class AgentView:
    """What Systems Manager knows about one instance's agent at one moment."""

    instance: Instance
    ping_status: str  # Online | ConnectionLost
    listed: bool  # False while the instance is stopped (DescribeInstanceInformation omits it)
    last_ping: float
    online_since: float | None  # when the current Online period began

    @property
    def platform_type(self):
        return platform_type(self.instance)


def platform_type(instance):
    return "Windows" if (instance.platform or "").lower() == "windows" else "Linux"


def _profile_since(ec2_backend, instance):
    """When the instance's current profile was associated, or None without one."""
    if not ec2_backend.iam_instance_profile_associations.get(instance.id):
        return None
    return ec2_backend.__dict__.setdefault("_regionpair_profile_since", {}).get(instance.id, instance.__dict__.get("_regionpair_agent_clock_since", 0.0))


def _online_at(ec2_backend, instance):
    """When the agent double's current registration completes, or None if it cannot register."""
    if instance.state != "running":
        return None
    profile_since = _profile_since(ec2_backend, instance)
    if profile_since is None:
        return None
    running_since = instance.__dict__.get("_regionpair_agent_clock_since", 0.0)
    return max(running_since, profile_since) + registration_seconds()


def agent_view(ec2_backend, instance, now=None):
    """The managed-node view of an instance, or None when it is not (or no longer) a managed node."""
    now = time.time() if now is None else now
    if instance.state in ("terminated", "shutting-down"):
        return None
    with _lock:
        online_at = _online_at(ec2_backend, instance)
        if online_at is not None and now >= online_at:
            instance.__dict__["_regionpair_agent_registered"] = True
            instance.__dict__["_regionpair_last_ping"] = now
            return AgentView(instance, "Online", True, now, online_at)
        if not instance.__dict__.get("_regionpair_agent_registered"):
            return None
        last_ping = instance.__dict__.get("_regionpair_last_ping", now)
        return AgentView(instance, "ConnectionLost", instance.state == "running", last_ping, None)


def _latch(instance):
    """Records, before a state change, that the agent was online (so it stays registered)."""
    ec2_backend = instance.ec2_backend
    agent_view(ec2_backend, instance)


def computer_name(instance):
    if platform_type(instance) == "Windows":
        digest = base64.b32encode(hashlib.sha256(instance.id.encode()).digest()).decode()
        return "EC2AMAZ-" + digest[:7]
    return instance.private_dns_name


def _tags(instance):
    return {t["key"]: t["value"] for t in instance.get_tags()}


def _information(view):
    instance = view.instance
    platform = view.platform_type
    name, version = _STAND_IN_PLATFORMS[platform]
    return {
        "InstanceId": instance.id,
        "PingStatus": view.ping_status,
        "LastPingDateTime": view.last_ping,
        "AgentVersion": AGENT_VERSION,
        "IsLatestVersion": True,
        "PlatformType": platform,
        "PlatformName": name,
        "PlatformVersion": version,
        "ResourceType": "EC2Instance",
        "IPAddress": instance.private_ip,
        "ComputerName": computer_name(instance),
        "SourceId": instance.id,
        "SourceType": "AWS::EC2::Instance",
    }


# Filter keys that name one field of the node's information.
_FIELD_KEYS = {
    "InstanceIds": "InstanceId",
    "PingStatus": "PingStatus",
    "PlatformTypes": "PlatformType",
    "PlatformType": "PlatformType",
    "ResourceType": "ResourceType",
    "AgentVersion": "AgentVersion",
    "SourceIds": "SourceId",
    "SourceTypes": "SourceType",
}
# Keys AWS accepts whose fields EC2 nodes of this emulator never have (hybrid activations, roles
# reported by Quick Setup, State Manager associations).
_EMPTY_KEYS = {"IamRole", "ActivationIds", "AssociationStatus"}
_ALLOWED_VALUES = {"PingStatus": _PING_STATUSES, "PlatformTypes": _PLATFORM_TYPES, "PlatformType": _PLATFORM_TYPES, "ResourceType": _RESOURCE_TYPES}


def _is_tag_key(key):
    return key == "tag-key" or (key.startswith("tag:") and len(key) > 4)


def _check_filter(key, values):
    if key not in _FIELD_KEYS and key not in _EMPTY_KEYS and not _is_tag_key(key):
        raise SSMException("InvalidFilterKey", f"The filter key {key} is not valid.")
    for value in values:
        if key in _ALLOWED_VALUES and value not in _ALLOWED_VALUES[key]:
            raise SSMException("InvalidInstanceInformationFilterValue", f"The filter value {value} is not valid for {key}.")
        if key == "InstanceIds" and not _INSTANCE_ID.match(value):
            raise SSMException("InvalidInstanceId", f"Instance Id {value} is not valid.")


def _values_of(info, tags, key):
    """The values a node offers for one (checked) filter key."""
    if key in _FIELD_KEYS:
        return {info[_FIELD_KEYS[key]]}
    if key == "tag-key":
        return set(tags)
    if key.startswith("tag:"):
        return {tags[key[4:]]} if key[4:] in tags else set()
    return set()


def describe_instance_information(self):
    legacy = self._get_param("InstanceInformationFilterList") or []
    string_filters = self._get_param("Filters") or []
    filters = [(f["key"], f.get("valueSet") or []) for f in legacy] + [(f["Key"], f.get("Values") or []) for f in string_filters]
    for key, values in filters:
        _check_filter(key, values)
    max_results = self._get_param("MaxResults", 10)
    if not 5 <= int(max_results) <= 50:
        raise ValidationException(f"1 validation error detected: Value '{max_results}' at 'maxResults' failed to satisfy constraint: Member must have value between 5 and 50")
    token = self._get_param("NextToken")
    ec2_backend = ec2_backends[self.current_account][self.region]
    now = time.time()
    nodes = []
    for instance in sorted(ec2_backend.all_instances(), key=lambda i: i.id):
        view = agent_view(ec2_backend, instance, now)
        if view is None or not view.listed:
            continue
        info = _information(view)
        tags = _tags(instance)
        if all(set(values) & _values_of(info, tags, key) for key, values in filters):
            nodes.append(info)
    start = 0
    if token:
        if not token.isdigit() or int(token) > len(nodes):
            raise SSMException("InvalidNextToken", "The specified token isn't valid.")
        start = int(token)
    page = nodes[start : start + int(max_results)]
    result = {"InstanceInformationList": page}
    if start + int(max_results) < len(nodes):
        result["NextToken"] = str(start + int(max_results))
    return ActionResult(result)


def apply():
    original_init = Instance.__init__
    original_start = Instance.start
    original_stop = Instance.stop
    original_terminate = Instance.terminate
    original_associate = IamInstanceProfileAssociationBackend.associate_iam_instance_profile
    original_replace = IamInstanceProfileAssociationBackend.replace_iam_instance_profile_association
    original_disassociate = IamInstanceProfileAssociationBackend.disassociate_iam_instance_profile

    def init(self, *args, **kwargs):
        self.__dict__["_regionpair_agent_clock_since"] = time.time()
        original_init(self, *args, **kwargs)

    def start(self):
        _latch(self)
        result = original_start(self)
        self.__dict__["_regionpair_agent_clock_since"] = time.time()
        return result

    def stop(self):
        _latch(self)
        return original_stop(self)

    def terminate(self):
        _latch(self)
        return original_terminate(self)

    def _profile_changed(backend, instance_id):
        backend.__dict__.setdefault("_regionpair_profile_since", {})[instance_id] = time.time()

    def associate(self, instance_id, *args, **kwargs):
        result = original_associate(self, instance_id, *args, **kwargs)
        _profile_changed(self, instance_id)
        return result

    def replace(self, association_id, *args, **kwargs):
        result = original_replace(self, association_id, *args, **kwargs)
        _profile_changed(self, result.instance_id)
        return result

    def disassociate(self, association_id):
        for association in list(self.iam_instance_profile_associations.values()):
            if association.association_id == association_id:
                _latch(association.instance)
        return original_disassociate(self, association_id)

    Instance.__init__ = init
    Instance.start = start
    Instance.stop = stop
    Instance.terminate = terminate
    IamInstanceProfileAssociationBackend.associate_iam_instance_profile = associate
    IamInstanceProfileAssociationBackend.replace_iam_instance_profile_association = replace
    IamInstanceProfileAssociationBackend.disassociate_iam_instance_profile = disassociate
    SimpleSystemManagerResponse.describe_instance_information = describe_instance_information
