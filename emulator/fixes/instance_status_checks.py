"""A started instance's status checks are "initializing" first and "ok" later.

AWS behaviour: after an instance enters the running state (launch, or StartInstances after a
stop) its system and instance status checks run for a while: DescribeInstanceStatus reports
SystemStatus and InstanceStatus with Status "initializing" (Details reachability "initializing"),
then "ok" (reachability "passed"). Instances that are not running are listed only with
IncludeAllInstances, with Status "not-applicable". The filters instance-status.status,
instance-status.reachability, system-status.status and system-status.reachability select on those
values. The SDKs' instanceStatusOk / systemStatusOk waiters poll for "ok".
References: EC2 API Reference, DescribeInstanceStatus (IncludeAllInstances, Filter.N),
InstanceStatusSummary (Status: ok | impaired | insufficient-data | not-applicable | initializing),
InstanceStatusDetails; EC2 User Guide, "Status checks for Amazon EC2 instances".

moto 5.2.1 instead reports "ok" from the first moment and ignores the status filters. Here a
started instance initializes for REGIONPAIR_EMULATOR_INSTANCE_STATUS_INITIALIZING_SECONDS
(default 1) seconds of wall time.
"""
import os
import time

# Monotonic time the instance last entered running. Its own name: the SSM agent double keeps a
# wall-clock time of its own on the instance.
_SINCE = "_regionpair_status_checks_since"

from moto.ec2.models.instances import Instance
from moto.ec2.responses.instances import InstanceResponse

_RUNNING_CODE = 16


def _initializing_seconds():
    return float(os.environ.get("REGIONPAIR_EMULATOR_INSTANCE_STATUS_INITIALIZING_SECONDS", "1"))


def _summary(instance):
    if instance.state_code != _RUNNING_CODE:
        return {"Status": "not-applicable"}
    started = instance.__dict__.get(_SINCE, 0)
    if time.monotonic() < started + _initializing_seconds():
        return {"Details": [{"Name": "reachability", "Status": "initializing"}], "Status": "initializing"}
    return {"Details": [{"Name": "reachability", "Status": "passed"}], "Status": "ok"}


def _reachability(summary):
    return [d["Status"] for d in summary.get("Details", []) if d["Name"] == "reachability"]


_STATUS_FILTERS = {
    "instance-status.status": lambda i: [i.instance_status["Status"]],
    "instance-status.reachability": lambda i: _reachability(i.instance_status),
    "system-status.status": lambda i: [i.system_status["Status"]],
    "system-status.reachability": lambda i: _reachability(i.system_status),
}


def apply():
    original_init = Instance.__init__
    original_start = Instance.start
    original_describe = InstanceResponse.describe_instance_status

    def init_stamping_start(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self.__dict__[_SINCE] = time.monotonic()

    def start_stamping(self):
        was_running = self.state_code == _RUNNING_CODE
        previous = original_start(self)
        if not was_running:
            self.__dict__[_SINCE] = time.monotonic()
        return previous

    def describe_instance_status(self):
        result = original_describe(self)
        filters = self._filters_from_querystring()
        statuses = result.result["InstanceStatuses"]
        for name, select in _STATUS_FILTERS.items():
            if filters.get(name):
                statuses = [i for i in statuses if set(select(i)) & set(filters[name])]
        result.result["InstanceStatuses"] = statuses
        return result

    Instance.__init__ = init_stamping_start
    Instance.start = start_stamping
    Instance.instance_status = property(_summary)
    Instance.system_status = property(_summary)
    InstanceResponse.describe_instance_status = describe_instance_status
