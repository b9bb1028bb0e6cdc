"""Run Command invocations go Pending -> InProgress -> Success / Failed / TimedOut / Cancelled as
AWS documents, and report what a scripted stand-in for SSM Agent says the document printed.

AWS behaviour (API Reference: SendCommand, ListCommands, GetCommandInvocation,
ListCommandInvocations, CancelCommand, Command, CommandInvocation, CommandPlugin; User Guide,
"Understanding command statuses" and "Understanding command timeout values"):
- SendCommand creates one invocation per managed node; the command and its invocations start
  Pending ("The command hasn't been sent to the managed node"), become InProgress once the node's
  agent has received it, and end in a terminal state: Success, Failed ("the result code wasn't
  zero" for a plugin; one or more plugins for an invocation), TimedOut with StatusDetails
  ExecutionTimedOut (a step ran longer than its timeoutSeconds, default 3600) or DeliveryTimedOut
  (the node did not receive the command within SendCommand's TimeoutSeconds, default 3600), or
  Cancelled (CancelCommand).
- "The Run Command API follows an eventual consistency model": right after SendCommand,
  GetCommandInvocation answers InvocationDoesNotExist (the SDK's CommandExecuted waiter retries
  on it), and an unknown command id is InvalidCommandId.
- GetCommandInvocation reports one plugin (for schema 2.x the step name): PluginName,
  ResponseCode (-1 until the plugin ran), ExecutionStartDateTime / ExecutionEndDateTime (ISO
  8601, empty until then), ExecutionElapsedTime, Status, StatusDetails, StandardOutputContent
  ("The first 24,000 characters written by the plugin to stdout", empty until the command
  finished) and StandardErrorContent (the first 8,000 characters of stderr). PluginName may be
  omitted only if the document has one step; otherwise it is InvalidPluginName, as is a name
  that is not a step of the document.
- ListCommandInvocations lists the invocations (CommandPlugins with each plugin's Output, at most
  2,500 characters, when Details is true); ListCommands lists the commands with Status,
  StatusDetails, TargetCount, CompletedCount, ErrorCount (Failed or Execution Timed Out) and
  DeliveryTimedOutCount; a command is Failed / TimedOut once more than MaxErrors (default 0)
  invocations failed or timed out, Success when all succeeded. Both filter by Status and
  DocumentName and page by MaxResults / NextToken.
- SendCommand's Targets (InstanceIds, tag:<key>, tag-key) select managed nodes.

moto 5.2.1 marks every command and invocation Success at once with empty output and a made-up
five-minute run, implements neither ListCommandInvocations nor CancelCommand, reports
aws:runShellScript as the plugin of every document, ignores DocumentVersion and MaxErrors, and
answers Targets=InstanceIds with an error.

THE AGENT DOUBLE (not AWS behaviour): nothing can run PowerShell or shell scripts for the
emulator, so a test scripts what the agent reports, through a control endpoint of the emulator:

    POST   /regionpair-emulator/ssm/agent-script   {"documentName": "...", "instanceId"?: "i-...",
           "stepName"?: "...", "status"?: "Success"|"Failed", "responseCode"?: 0, "stdout"?: "",
           "stderr"?: "", "durationSeconds"?: 1}
    GET    /regionpair-emulator/ssm/agent-scripts  (the scripts in place)
    DELETE /regionpair-emulator/ssm/agent-scripts  (remove them all; POST /moto-api/reset does too)

The most specific script (instance and step, then instance, then step, then document) in place
when SendCommand is called decides each plugin's result; status follows responseCode (0 is
Success) unless given, and must agree with it. A plugin without a script ends Failed with
response code 1 and "regionpair emulator: no agent script ..." on stderr, so nothing passes
silently. The agent receives a command REGIONPAIR_EMULATOR_SSM_DELIVERY_SECONDS (default 1) after
SendCommand, or when its node is next Online; invocations become visible
REGIONPAIR_EMULATOR_SSM_INVOCATION_VISIBLE_SECONDS (default 0.5) after SendCommand; a step runs
for the script's durationSeconds (default REGIONPAIR_EMULATOR_SSM_EXECUTION_SECONDS, 1) and, if
that exceeds its timeoutSeconds, is stopped with the agent's "stopped preemptively" exit code
(-1 on Windows, 137 on Linux). Steps run in order and each reports its own result; a step whose
`precondition` (StringEquals platformType) does not match the node is skipped. Not modelled:
reboot exit codes (3010, 194), S3 / CloudWatch output (the URLs stay empty), the Cancelling and
Delayed states, rate control by MaxConcurrency, a node stopping while it runs a command, and the
Incomplete command status (a command whose errors stay within MaxErrors is reported Success).
Amazon-owned documents are not in the emulator: for them AWS-RunShellScript and
AWS-RunPowerShellScript report their plugin, any other one aws:runShellScript.
"""
import datetime
import json
import os
import re
import threading
import time
from dataclasses import dataclass, field

from moto.core.responses import ActionResult, EmptyResult
from moto.ec2.models import ec2_backends
from moto.moto_api._internal.models import MotoAPIBackend
from moto.moto_server.werkzeug_app import DomainDispatcherApplication
from moto.ssm.exceptions import SSMException, ValidationException
from moto.ssm.models import Command
from moto.ssm.responses import SimpleSystemManagerResponse
from werkzeug.wrappers import Request, Response

from .ssm_document_platform_types import document_plugins
from .ssm_managed_instance_information import agent_view, computer_name, platform_type

CONTROL_PREFIX = "/regionpair-emulator/ssm/"
STDOUT_LIMIT = 24_000
STDERR_LIMIT = 8_000
PLUGIN_OUTPUT_LIMIT = 2_500
DEFAULT_STEP_TIMEOUT = 3600.0
TERMINAL = ("Success", "Failed", "TimedOut", "Cancelled")
_AMAZON_PLUGINS = {"AWS-RunShellScript": "aws:runShellScript", "AWS-RunPowerShellScript": "aws:runPowerShellScript"}
_SCRIPT_PLUGINS = ("aws:runshellscript", "aws:runpowershellscript")
_lock = threading.RLock()
_scripts = {}


def _seconds(name, default):
    return float(os.environ.get(name, default))


def delivery_seconds():
    return _seconds("REGIONPAIR_EMULATOR_SSM_DELIVERY_SECONDS", "1")


def visible_seconds():
    return _seconds("REGIONPAIR_EMULATOR_SSM_INVOCATION_VISIBLE_SECONDS", "0.5")


def execution_seconds():
    return _seconds("REGIONPAIR_EMULATOR_SSM_EXECUTION_SECONDS", "1")


# ---------------------------------------------------------------- the agent double's scripts


@dataclass(frozen=True)
class AgentScript:
    document_name: str
    instance_id: str | None
    step_name: str | None
    response_code: int
    stdout: str
    stderr: str
    duration_seconds: float | None

    def to_json(self):
        return {
            "documentName": self.document_name,
            "instanceId": self.instance_id,
            "stepName": self.step_name,
            "status": "Success" if self.response_code == 0 else "Failed",
            "responseCode": self.response_code,
            "stdout": self.stdout,
            "stderr": self.stderr,
            "durationSeconds": self.duration_seconds,
        }


def parse_script(body):
    """An AgentScript from the control endpoint's JSON body; ValueError says what is wrong."""
    if not isinstance(body, dict):
        raise ValueError("the body must be a JSON object")
    known = {"documentName", "instanceId", "stepName", "status", "responseCode", "stdout", "stderr", "durationSeconds"}
    unknown = set(body) - known
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    document_name = body.get("documentName")
    if not isinstance(document_name, str) or not document_name:
        raise ValueError("documentName is required")
    for name in ("instanceId", "stepName", "stdout", "stderr"):
        if body.get(name) is not None and not isinstance(body[name], str):
            raise ValueError(f"{name} must be a string")
    status = body.get("status")
    if status not in (None, "Success", "Failed"):
        raise ValueError("status must be Success or Failed (a timeout comes from durationSeconds > the step's timeoutSeconds)")
    code = body.get("responseCode", 1 if status == "Failed" else 0)
    if not isinstance(code, int) or isinstance(code, bool):
        raise ValueError("responseCode must be an integer")
    if status is not None and (status == "Success") != (code == 0):
        raise ValueError("status Success needs responseCode 0, and Failed a non-zero responseCode")
    duration = body.get("durationSeconds")
    if duration is not None and (not isinstance(duration, (int, float)) or isinstance(duration, bool) or duration < 0):
        raise ValueError("durationSeconds must be a number >= 0")
    return AgentScript(document_name, body.get("instanceId"), body.get("stepName"), code, body.get("stdout") or "", body.get("stderr") or "", duration)


def _find_script(document_name, instance_id, step_name):
    with _lock:
        for key in ((document_name, instance_id, step_name), (document_name, instance_id, None), (document_name, None, step_name), (document_name, None, None)):
            if key in _scripts:
                return _scripts[key]
    return None


def _control(environ, start_response):
    request = Request(environ)
    path = request.path[len(CONTROL_PREFIX) :]

    def answer(status, payload):
        return Response(json.dumps(payload), status=status, mimetype="application/json")(environ, start_response)

    if path == "agent-script" and request.method == "POST":
        try:
            script = parse_script(json.loads(request.get_data(as_text=True) or "null"))
        except (ValueError, json.JSONDecodeError) as error:
            return answer(400, {"error": str(error)})
        with _lock:
            _scripts[(script.document_name, script.instance_id, script.step_name)] = script
        return answer(201, script.to_json())
    if path == "agent-scripts" and request.method == "GET":
        with _lock:
            return answer(200, {"scripts": [s.to_json() for s in _scripts.values()]})
    if path == "agent-scripts" and request.method == "DELETE":
        with _lock:
            _scripts.clear()
        return answer(200, {"scripts": []})
    return answer(404, {"error": f"no such control endpoint: {request.method} {request.path}"})


# ---------------------------------------------------------------- documents and plugins


def is_amazon_document(name):
    """Names reserved for documents AWS owns (CreateDocument refuses them as prefixes)."""
    return name.lower().startswith(("aws", "amazon", "amzn"))


def document_name_of(name_or_arn):
    """SendCommand accepts a document name or its ARN (arn:aws:ssm:<region>:<account>:document/<name>)."""
    return name_or_arn.split(":document/", 1)[1] if name_or_arn.startswith("arn:") and ":document/" in name_or_arn else name_or_arn


def resolve_document(backend, name, version, strict=True):
    """The Document version SendCommand runs, or None for a document the emulator does not hold.
    With `strict`, a document or version that does not exist raises InvalidDocument /
    InvalidDocumentVersion as SendCommand does (ssm_send_command_validation); without, it is None."""
    documents = backend._documents.get(document_name_of(name))
    if documents is None:
        if strict and not is_amazon_document(document_name_of(name)):
            raise SSMException("InvalidDocument", "The specified document does not exist.")
        return None
    if version in (None, "", "$DEFAULT"):
        return documents.get_default_version()
    found = documents.find(version, strict=False)
    if found is None and strict:
        raise SSMException("InvalidDocumentVersion", "The document version is not valid or does not exist.")
    return found


def _parameter_value(value, parameters, declared):
    """Resolves a whole-string {{ name }} reference from the command's or the document's values."""
    match = re.fullmatch(r"\{\{\s*(\w+)\s*\}\}", value) if isinstance(value, str) else None
    if not match:
        return value
    name = match.group(1)
    if parameters.get(name):
        return parameters[name][0]
    return (declared.get(name) or {}).get("default")


def _step_timeout(inputs, parameters, declared):
    try:
        return float(_parameter_value((inputs or {}).get("timeoutSeconds", DEFAULT_STEP_TIMEOUT), parameters, declared))
    except (TypeError, ValueError):
        return DEFAULT_STEP_TIMEOUT


@dataclass
class PluginRun:
    name: str  # PluginName as AWS reports it: the step name (schema 2.x) or the plugin (1.2)
    action: str
    timeout: float
    skip_reason: str | None
    script: AgentScript | None


def plan_plugins(document, document_name, instance, parameters):
    """The plugins one invocation runs, with the agent script each will report."""
    if document is None:
        action = _AMAZON_PLUGINS.get(document_name, "aws:runShellScript")
        timeout = _step_timeout({"timeoutSeconds": (parameters.get("executionTimeout") or [DEFAULT_STEP_TIMEOUT])[0]}, {}, {})
        return [PluginRun(action, action, timeout, None, _find_script(document_name, instance.id, action))]
    content = document.content_json
    declared = content.get("parameters") or {}
    platform = platform_type(instance)
    runs = []
    for index, (name, action, precondition) in enumerate(document_plugins(content)):
        if "mainSteps" in content:
            inputs = content["mainSteps"][index].get("inputs")
        else:
            properties = content["runtimeConfig"][action].get("properties") or [{}]
            inputs = properties[0] if isinstance(properties, list) else properties
        timeout = _step_timeout(inputs, parameters, declared) if action.lower() in _SCRIPT_PLUGINS else DEFAULT_STEP_TIMEOUT
        skip = None
        if precondition is not None and precondition != platform:
            skip = f"Step execution skipped due to unsatisfied preconditions: platformType {platform} is not {precondition}. Step name: {name}"
        runs.append(PluginRun(name, action, timeout, skip, _find_script(document.name, instance.id, name)))
    return runs


# ---------------------------------------------------------------- invocations


@dataclass
class Invocation:
    command_id: str
    instance: object
    ec2_backend: object
    requested: float
    delivery_deadline: float
    plugins: list
    started: float | None = None
    cancelled: float | None = None
    results: list = field(default_factory=list)  # per plugin, filled by evaluate()


@dataclass(frozen=True)
class PluginState:
    name: str
    status: str
    details: str
    response_code: int
    start: float | None
    end: float | None
    stdout: str
    stderr: str


def _no_script_message(invocation, plugin, document_name):
    return (
        f"regionpair emulator: no agent script for document {document_name!r} step {plugin.name!r} on {invocation.instance.id}; "
        f"POST {CONTROL_PREFIX}agent-script to say what the agent reports"
    )


def _stopped_code(instance):
    return -1 if platform_type(instance) == "Windows" else 137


def evaluate(invocation, document_name, now):
    """(status, status details, [PluginState]) of an invocation at `now`; records when it started."""
    with _lock:
        if invocation.started is None and invocation.cancelled is None:
            view = agent_view(invocation.ec2_backend, invocation.instance, now)
            earliest = invocation.requested + delivery_seconds()
            if view is not None and view.ping_status == "Online" and now >= earliest:
                start = max(earliest, view.online_since)
                if start <= invocation.delivery_deadline:
                    invocation.started = start
        if invocation.started is None:
            if invocation.cancelled is not None:
                status, details = "Cancelled", "Cancelled"
            elif now >= invocation.delivery_deadline:
                status, details = "TimedOut", "DeliveryTimedOut"
            else:
                status, details = "Pending", "Pending"
            states = [PluginState(p.name, status, details, -1, None, None, "", "") for p in invocation.plugins]
            return status, details, states
        states = []
        clock = invocation.started
        for plugin in invocation.plugins:
            states.append(_plugin_state(invocation, plugin, document_name, clock, now))
            clock = states[-1].end if states[-1].end is not None else float("inf")
        return _invocation_status(states)


def _plugin_state(invocation, plugin, document_name, start, now):
    cancelled = invocation.cancelled
    if plugin.skip_reason is not None:
        if now < start:
            return PluginState(plugin.name, "Pending", "Pending", -1, None, None, "", "")
        return PluginState(plugin.name, "Success", "Skipped", 0, start, start, plugin.skip_reason, "")
    script = plugin.script
    duration = script.duration_seconds if script and script.duration_seconds is not None else execution_seconds()
    end = start + min(duration, plugin.timeout)
    if cancelled is not None and cancelled < end:
        if cancelled <= start:
            return PluginState(plugin.name, "Cancelled", "Cancelled", -1, None, cancelled, "", "")
        if now >= cancelled:
            return PluginState(plugin.name, "Cancelled", "Cancelled", _stopped_code(invocation.instance), start, cancelled, "", "")
    if now < start:
        return PluginState(plugin.name, "Pending", "Pending", -1, None, None, "", "")
    if now < end:
        return PluginState(plugin.name, "InProgress", "InProgress", -1, start, None, "", "")
    if duration > plugin.timeout:
        stdout = script.stdout if script else ""
        return PluginState(plugin.name, "TimedOut", "ExecutionTimedOut", _stopped_code(invocation.instance), start, end, stdout, "")
    if script is None:
        return PluginState(plugin.name, "Failed", "Failed", 1, start, end, "", _no_script_message(invocation, plugin, document_name))
    status = "Success" if script.response_code == 0 else "Failed"
    return PluginState(plugin.name, status, status, script.response_code, start, end, script.stdout, script.stderr)


def _invocation_status(states):
    statuses = [s.status for s in states]
    if any(s not in TERMINAL for s in statuses):
        if all(s == "Pending" for s in statuses):
            return "Pending", "Pending", states
        return "InProgress", "InProgress", states
    for status, details in (("Cancelled", "Cancelled"), ("TimedOut", "ExecutionTimedOut"), ("Failed", "Failed")):
        if status in statuses:
            return status, details, states
    return "Success", "Success", states


def _iso(seconds):
    if seconds is None:
        return ""
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _elapsed(state):
    if state.start is None:
        return ""
    return f"PT{((state.end if state.end is not None else time.time()) - state.start):.3f}S"


def plugin_output(stdout, stderr, capacity=PLUGIN_OUTPUT_LIMIT):
    """CommandPlugin.Output as the agent builds it: stdout, then stderr under an ERROR title,
    each shortened with a marker when both do not fit in `capacity` characters."""
    title = "\n----------ERROR-------\n" if stderr else ""
    room = capacity - len(title)
    if len(stdout) + len(stderr) <= room:
        return stdout + title + stderr
    out_mark, err_mark = "\n---Output truncated---", "\n---Error truncated----"
    half = room // 2
    if len(stdout) <= half:
        out_budget, err_budget = len(stdout), room - len(stdout)
    elif len(stderr) <= half:
        out_budget, err_budget = room - len(stderr), len(stderr)
    else:
        out_budget, err_budget = half, room - half

    def cut(text, budget, mark):
        return text if len(text) <= budget else text[: max(budget - len(mark), 0)] + mark

    return cut(stdout, out_budget, out_mark) + title + cut(stderr, err_budget, err_mark)


# ---------------------------------------------------------------- commands


def _run(command):
    return command.__dict__.get("_regionpair_run")


def _max_errors(command, target_count):
    value = str(command.max_errors or "0")
    if value.endswith("%"):
        return int(target_count * float(value[:-1]) / 100)
    return int(value) if value.isdigit() else 0


def _command_status(command, invocation_states):
    statuses = [(status, details) for status, details, _ in invocation_states]
    counts = {
        "completed": sum(1 for s, _ in statuses if s in TERMINAL),
        "errors": sum(1 for s, d in statuses if s == "Failed" or d == "ExecutionTimedOut"),
        "delivery": sum(1 for _, d in statuses if d == "DeliveryTimedOut"),
    }
    if not statuses:
        return "Success", "Success", counts
    if counts["completed"] < len(statuses):
        if all(s == "Pending" for s, _ in statuses):
            return "Pending", "Pending", counts
        return "InProgress", "InProgress", counts
    allowed = _max_errors(command, len(statuses))
    if any(s == "Cancelled" for s, _ in statuses):
        return "Cancelled", "Cancelled", counts
    failed = sum(1 for s, _ in statuses if s == "Failed")
    execution = sum(1 for _, d in statuses if d == "ExecutionTimedOut")
    if counts["errors"] > allowed:
        return ("Failed", "Failed", counts) if failed >= execution else ("TimedOut", "ExecutionTimedOut", counts)
    if counts["delivery"] > allowed:
        return "TimedOut", "DeliveryTimedOut", counts
    return "Success", "Success", counts


def command_response(command, now=None):
    now = time.time() if now is None else now
    run = _run(command)
    response = ORIGINAL["response_object"](command)
    if run is None:
        return response
    states = [evaluate(inv, command.document_name, now) for inv in run["invocations"]]
    status, details, counts = _command_status(command, states)
    response.update(
        {
            "DocumentVersion": run["document_version"],
            "InstanceIds": run["requested_instance_ids"],
            "Status": status,
            "StatusDetails": details,
            "TargetCount": len(run["invocations"]),
            "CompletedCount": counts["completed"],
            "ErrorCount": counts["errors"],
            "DeliveryTimedOutCount": counts["delivery"],
            "MaxErrors": command.max_errors,
            "NotificationConfig": {"NotificationArn": "", "NotificationEvents": [], "NotificationType": ""},
            "CloudWatchOutputConfig": {"CloudWatchLogGroupName": "", "CloudWatchOutputEnabled": False},
        }
    )
    return response


def _visible(invocation, now):
    return now >= invocation.requested + visible_seconds()


def _invocation_entry(command, invocation, now, details):
    status, status_details, states = evaluate(invocation, command.document_name, now)
    entry = {
        "CommandId": command.command_id,
        "InstanceId": invocation.instance.id,
        "InstanceName": computer_name(invocation.instance),
        "Comment": command.comment,
        "DocumentName": command.document_name,
        "DocumentVersion": _run(command)["document_version"],
        "RequestedDateTime": invocation.requested,
        "Status": status,
        "StatusDetails": status_details,
        "TraceOutput": "",
        "StandardOutputUrl": "",
        "StandardErrorUrl": "",
        "CommandPlugins": [],
        "ServiceRole": command.service_role_arn,
        "NotificationConfig": {"NotificationArn": "", "NotificationEvents": [], "NotificationType": ""},
        "CloudWatchOutputConfig": {"CloudWatchLogGroupName": "", "CloudWatchOutputEnabled": False},
    }
    if details:
        entry["CommandPlugins"] = [
            {
                "Name": s.name,
                "Status": s.status,
                "StatusDetails": s.details,
                "ResponseCode": s.response_code,
                "ResponseStartDateTime": s.start,
                "ResponseFinishDateTime": s.end,
                "Output": plugin_output(s.stdout, s.stderr) if s.status in TERMINAL else "",
                "StandardOutputUrl": "",
                "StandardErrorUrl": "",
                "OutputS3Region": command.backend_region,
                "OutputS3BucketName": command.output_s3_bucket_name,
                "OutputS3KeyPrefix": command.output_s3_key_prefix,
            }
            for s in states
        ]
    return entry


def _page(items, max_results, token):
    start = 0
    if token:
        if not token.isdigit() or int(token) > len(items):
            raise SSMException("InvalidNextToken", "The specified token isn't valid.")
        start = int(token)
    page = items[start : start + max_results]
    next_token = str(start + max_results) if start + max_results < len(items) else None
    return page, next_token


def _max_results(self, default):
    value = int(self._get_param("MaxResults", default))
    if not 1 <= value <= 50:
        raise ValidationException(f"1 validation error detected: Value '{value}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 50")
    return value


def _command_filters(self):
    filters = self._get_param("Filters") or []
    for f in filters:
        if f.get("key") not in ("InvokedAfter", "InvokedBefore", "Status", "ExecutionStage", "DocumentName"):
            raise SSMException("InvalidFilterKey", f"The filter key {f.get('key')} is not valid.")
    return [(f["key"], f.get("value", "")) for f in filters]


def _timestamp(value):
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def _passes(filters, status, document_name, requested):
    for key, value in filters:
        if key == "Status" and status != value:
            return False
        if key == "DocumentName" and document_name != value:
            return False
        if key == "ExecutionStage" and (value == "Complete") != (status in TERMINAL):
            return False
        if key == "InvokedAfter" and requested < _timestamp(value):
            return False
        if key == "InvokedBefore" and requested > _timestamp(value):
            return False
    return True


def _commands(self):
    command_id = self._get_param("CommandId")
    return [self.ssm_backend.get_command_by_id(command_id)] if command_id else list(self.ssm_backend._commands)


def send_command(self):
    document_name = self._get_param("DocumentName")
    version = self._get_param("DocumentVersion")
    document = resolve_document(self.ssm_backend, document_name, version, strict=False)
    ORIGINAL["send_command"](self)
    command = self.ssm_backend._commands[-1]
    requested = list(dict.fromkeys(self._get_param("InstanceIds") or []))
    targeted = command.__dict__.pop("_regionpair_targeted", [])
    ec2_backend = ec2_backends[self.current_account][self.region]
    now = time.time()
    parameters = self._get_param("Parameters") or {}
    invocations = []
    for instance_id in dict.fromkeys(requested + targeted):
        instance = ec2_backend.get_instance(instance_id)
        plugins = plan_plugins(document, document_name_of(document_name), instance, parameters)
        invocations.append(Invocation(command.command_id, instance, ec2_backend, now, now + command.timeout_seconds, plugins))
    command.instance_ids = [inv.instance.id for inv in invocations]
    command.__dict__["_regionpair_run"] = {
        "invocations": invocations,
        "document_version": version or "$DEFAULT",
        "requested_instance_ids": requested,
    }
    return ActionResult({"Command": command_response(command, now)})


def get_command_invocation(self):
    command_id = self._get_param("CommandId")
    instance_id = self._get_param("InstanceId")
    plugin_name = self._get_param("PluginName")
    command = self.ssm_backend.get_command_by_id(command_id)
    now = time.time()
    invocation = next((i for i in _run(command)["invocations"] if i.instance.id == instance_id and _visible(i, now)), None)
    if invocation is None:
        raise SSMException("InvocationDoesNotExist", "The command ID and managed node ID you specified didn't match any invocations.")
    status, details, states = evaluate(invocation, command.document_name, now)
    if plugin_name is None:
        if len(states) != 1:
            raise SSMException("InvalidPluginName", "The document has more than one step: specify PluginName (a step name).")
        state = states[0]
    else:
        state = next((s for s in states if s.name == plugin_name), None)
        if state is None:
            raise SSMException("InvalidPluginName", "The plugin name isn't valid.")
        status, details = state.status, state.details
    finished = state.status in TERMINAL
    return ActionResult(
        {
            "CommandId": command.command_id,
            "InstanceId": instance_id,
            "Comment": command.comment,
            "DocumentName": command.document_name,
            "DocumentVersion": _run(command)["document_version"],
            "PluginName": state.name,
            "ResponseCode": state.response_code,
            "ExecutionStartDateTime": _iso(state.start),
            "ExecutionElapsedTime": _elapsed(state),
            "ExecutionEndDateTime": _iso(state.end),
            "Status": status,
            "StatusDetails": details,
            "StandardOutputContent": state.stdout[:STDOUT_LIMIT] if finished else "",
            "StandardOutputUrl": "",
            "StandardErrorContent": state.stderr[:STDERR_LIMIT] if finished else "",
            "StandardErrorUrl": "",
            "CloudWatchOutputConfig": {"CloudWatchLogGroupName": "", "CloudWatchOutputEnabled": False},
        }
    )


def list_command_invocations(self):
    instance_id = self._get_param("InstanceId")
    details = bool(self._get_param("Details", False))
    filters = _command_filters(self)
    max_results = _max_results(self, 50)
    now = time.time()
    entries = []
    for command in _commands(self):
        for invocation in _run(command)["invocations"] if _run(command) else []:
            if (instance_id and invocation.instance.id != instance_id) or not _visible(invocation, now):
                continue
            entry = _invocation_entry(command, invocation, now, details)
            if _passes(filters, entry["Status"], command.document_name, invocation.requested):
                entries.append(entry)
    page, token = _page(entries, max_results, self._get_param("NextToken"))
    result = {"CommandInvocations": page}
    if token:
        result["NextToken"] = token
    return ActionResult(result)


def list_commands(self):
    instance_id = self._get_param("InstanceId")
    filters = _command_filters(self)
    max_results = _max_results(self, 50)
    now = time.time()
    entries = []
    for command in _commands(self):
        if instance_id and instance_id not in command.instance_ids:
            continue
        response = command_response(command, now)
        requested = _run(command)["invocations"][0].requested if _run(command) and _run(command)["invocations"] else now
        if _passes(filters, response["Status"], command.document_name, requested):
            entries.append(response)
    page, token = _page(entries, max_results, self._get_param("NextToken"))
    result = {"Commands": page}
    if token:
        result["NextToken"] = token
    return ActionResult(result)


def cancel_command(self):
    command = self.ssm_backend.get_command_by_id(self._get_param("CommandId"))
    only = set(self._get_param("InstanceIds") or [])
    now = time.time()
    with _lock:
        for invocation in _run(command)["invocations"]:
            if only and invocation.instance.id not in only:
                continue
            status, _, _ = evaluate(invocation, command.document_name, now)
            if status not in TERMINAL and invocation.cancelled is None:
                invocation.cancelled = now
    return EmptyResult()


def _targeted_instances(self):
    """Managed nodes selected by SendCommand's Targets (kept aside; SendCommand builds the invocations)."""
    ec2_backend = ec2_backends[self.account_id][self.backend_region]
    found = []
    for instance in ec2_backend.all_instances():
        if agent_view(ec2_backend, instance) is None:
            continue
        tags = {t["key"]: t["value"] for t in instance.get_tags()}
        matches = True
        for target in self.targets:
            key, values = target["Key"], target.get("Values") or []
            if key == "InstanceIds":
                matches &= instance.id in values
            elif key == "tag-key":
                matches &= bool(set(values) & set(tags))
            elif key.startswith("tag:"):
                matches &= tags.get(key[4:]) in values
            else:
                raise ValidationException(f"Target key {key} is not supported by the emulator.")
        if self.targets and matches:
            found.append(instance.id)
    self.__dict__["_regionpair_targeted"] = sorted(found)
    return []


ORIGINAL = {}


def apply():
    ORIGINAL["response_object"] = Command.response_object
    ORIGINAL["send_command"] = SimpleSystemManagerResponse.send_command
    original_call = DomainDispatcherApplication.__call__

    def call(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith(CONTROL_PREFIX):
            return _control(environ, start_response)
        return original_call(self, environ, start_response)

    original_reset = MotoAPIBackend.reset

    def reset(self):
        # POST /moto-api/reset forgets every resource; the agent's scripts go with them.
        with _lock:
            _scripts.clear()
        original_reset(self)

    DomainDispatcherApplication.__call__ = call
    MotoAPIBackend.reset = reset
    Command.response_object = command_response
    Command._get_instance_ids_from_targets = _targeted_instances
    SimpleSystemManagerResponse.send_command = send_command
    SimpleSystemManagerResponse.get_command_invocation = get_command_invocation
    SimpleSystemManagerResponse.list_command_invocations = list_command_invocations
    SimpleSystemManagerResponse.list_commands = list_commands
    SimpleSystemManagerResponse.cancel_command = cancel_command
