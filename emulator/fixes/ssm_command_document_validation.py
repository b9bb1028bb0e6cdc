"""CreateDocument and UpdateDocument refuse Command document content that Systems Manager cannot run.

AWS: "Documents of type Command can use schema version 1.2, 2.0, and 2.2" (User Guide, "Schemas,
features, and examples"); another schemaVersion is InvalidDocumentSchemaVersion ("The version of
the document schema isn't supported"). Content that does not follow the schema is
InvalidDocumentContent ("The content for the document isn't valid"; API Reference, CreateDocument
and UpdateDocument errors). The schema ("Data elements and parameters"): schema 2.x documents
have `mainSteps`, a list of steps each with an `action` (a plugin of the "Command document plugin
reference"), a `name` unique within the document and `inputs`; schema 1.2 documents have a
`runtimeConfig` keyed by plugin. Each parameter has a required `type`, one of String,
StringList, Integer, Boolean, MapList and StringMap.

moto 5.2.1 accepts any content that parses and has a schemaVersion, so a misspelt plugin, a
missing mainSteps, a duplicate step name or a parameter of an unknown type are only found when
the document runs on a real instance. Plugin names are compared without regard to case, because
the API reference itself spells some in more than one case.
"""
from moto.ssm.exceptions import InvalidDocumentContent, SSMException
from moto.ssm.models import Document

from .ssm_document_platform_types import PLUGIN_PLATFORMS

COMMAND_SCHEMA_VERSIONS = ("1.2", "2.0", "2.2")
PARAMETER_TYPES = ("String", "StringList", "Integer", "Boolean", "MapList", "StringMap")


def _invalid(reason):
    return InvalidDocumentContent(f"The content for the document is not valid: {reason}")


def _check_plugin(plugin):
    if not isinstance(plugin, str) or plugin.lower() not in PLUGIN_PLATFORMS:
        raise _invalid(f"{plugin!r} is not a Command document plugin")


def _check_steps(content):
    steps = content.get("mainSteps")
    if not isinstance(steps, list) or not steps:
        raise _invalid("mainSteps must be a non-empty list of steps")
    names = set()
    for step in steps:
        if not isinstance(step, dict):
            raise _invalid("each step must be an object")
        _check_plugin(step.get("action"))
        name = step.get("name")
        if not isinstance(name, str) or not name:
            raise _invalid("each step needs a name")
        if name in names:
            raise _invalid(f"step name {name!r} is used twice")
        names.add(name)
        if not isinstance(step.get("inputs"), dict):
            raise _invalid(f"step {name!r} needs inputs")


def _check_runtime_config(content):
    runtime = content.get("runtimeConfig")
    if not isinstance(runtime, dict) or not runtime:
        raise _invalid("runtimeConfig must name at least one plugin")
    for plugin in runtime:
        _check_plugin(plugin)


def _check_parameters(content):
    parameters = content.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise _invalid("parameters must be an object")
    for name, parameter in parameters.items():
        if not isinstance(parameter, dict) or parameter.get("type") not in PARAMETER_TYPES:
            raise _invalid(f"parameter {name!r} needs a type, one of {', '.join(PARAMETER_TYPES)}")


def check_command_document(content):
    if not isinstance(content, dict):
        raise _invalid("the document must be an object")
    schema_version = str(content.get("schemaVersion"))
    if schema_version not in COMMAND_SCHEMA_VERSIONS:
        raise SSMException("InvalidDocumentSchemaVersion", f"Schema version {schema_version} is not supported by the Command document type.")
    if schema_version == "1.2":
        _check_runtime_config(content)
    else:
        _check_steps(content)
    _check_parameters(content)


def apply():
    original_init = Document.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        if self.document_type == "Command":
            check_command_document(self.content_json)

    Document.__init__ = init
