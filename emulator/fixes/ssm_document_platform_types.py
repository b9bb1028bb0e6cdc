"""A Command document's PlatformTypes are the platforms its plugins run on.

AWS: DocumentDescription.PlatformTypes / DocumentIdentifier.PlatformTypes is "the list of operating
system (OS) platforms compatible with this SSM document" (Windows | Linux | MacOS), reported by
CreateDocument, DescribeDocument, UpdateDocument and ListDocuments and used by the ListDocuments
PlatformTypes filter. Systems Manager derives it from the plugins the document uses: each plugin
of the "Command document plugin reference" (User Guide) runs on certain platforms (for example
aws:runShellScript on Linux and macOS, aws:runPowerShellScript on Windows, Linux and macOS,
aws:psModule and aws:applications on Windows only), and a schema 2.x step whose precondition is
`StringEquals: [platformType, <X>]` runs only on X ("Cross-platform support ... uses the
precondition parameter within a step", "SSM document schema features"). The CLI reference's
create-document example shows a document with a single aws:runShellScript step reported as
["Linux"] (written before macOS nodes were supported).

moto 5.2.1 reports the placeholder ["Not Implemented (moto)"] for every document, so the
PlatformTypes filter of ListDocuments never matches and SendCommand cannot tell which nodes a
document supports. Documents of other types (Automation, Session, ...) keep moto's value.
"""
from moto.ssm.models import Document

ALL = ("Windows", "Linux", "MacOS")

# Platforms per Command document plugin, keyed by the lower-cased plugin name (the API reference
# itself spells some of them in more than one case, e.g. aws:domainjoin / aws:domainJoin).
PLUGIN_PLATFORMS = {
    "aws:applications": ("Windows",),
    "aws:cloudwatch": ("Windows",),
    "aws:configuredocker": ("Windows", "Linux"),
    "aws:configurepackage": ALL,
    "aws:domainjoin": ("Windows", "Linux"),
    "aws:downloadcontent": ALL,
    "aws:psmodule": ("Windows",),
    "aws:refreshassociation": ALL,
    "aws:rundockeraction": ("Windows", "Linux"),
    "aws:rundocument": ALL,
    "aws:runpowershellscript": ALL,
    "aws:runshellscript": ("Linux", "MacOS"),
    "aws:softwareinventory": ALL,
    "aws:updateagent": ("Windows",),
    "aws:updatessmagent": ALL,
}


def document_plugins(content):
    """(step name, plugin, precondition platform or None) for each step of a Command document."""
    if not isinstance(content, dict):
        return []
    steps = content.get("mainSteps")
    if isinstance(steps, list):
        result = []
        for step in steps:
            if not isinstance(step, dict):
                continue
            condition = step.get("precondition") or {}
            equals = condition.get("StringEquals") if isinstance(condition, dict) else None
            platform = equals[1] if isinstance(equals, list) and len(equals) == 2 and equals[0] == "platformType" else None
            result.append((str(step.get("name", "")), str(step.get("action", "")), platform))
        return result
    runtime = content.get("runtimeConfig")
    if isinstance(runtime, dict):
        # Schema 1.2: the plugin is the key; AWS reports it as the plugin name.
        return [(plugin, plugin, None) for plugin in runtime]
    return []


def platform_types(content):
    found = set()
    for _, plugin, precondition in document_plugins(content):
        platforms = set(PLUGIN_PLATFORMS.get(plugin.lower(), ()))
        if precondition is not None:
            platforms &= {precondition}
        found |= platforms
    return [p for p in ALL if p in found]


def apply():
    original_init = Document.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        if self.document_type in ("Command", "Policy"):
            self.platform_types = platform_types(self.content_json)

    Document.__init__ = init
