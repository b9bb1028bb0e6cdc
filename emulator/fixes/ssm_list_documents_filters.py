"""ListDocuments filters by name prefix, owner, type, platform, target type and tags, and pages
without repeating or skipping documents.

AWS (API Reference, ListDocuments and DocumentKeyValuesFilter): Filters are key/values pairs; the
AWS-provided keys are Name ("you can use a name prefix"), Owner (one value: Self, Amazon, Private,
Public or ThirdParty), PlatformTypes, DocumentType and TargetType, and `tag:<key>` matches documents
whose tag has one of the values. Several keys must all match; several values of one key match if
any does. A key that is none of these is InvalidFilterKey. Paging is by MaxResults (1-50) and an
opaque NextToken, which is absent on the last page; a token ListDocuments did not issue is
InvalidNextToken. Each DocumentIdentifier carries the document's CreatedDate and Tags.

moto 5.2.1 compares Name for equality, ignores tag filters (every document matches), treats any
Owner other than Self as a literal account id, computes NextToken from the documents it returned
rather than those it scanned (with a filter, the next page repeats documents), returns an empty
NextToken on the last page, and leaves CreatedDate out. No Amazon-owned documents exist in the
emulator, so Owner=Amazon and ThirdParty match nothing and Public matches documents shared with
everyone.
"""
from moto.core.responses import ActionResult
from moto.ssm.exceptions import SSMException, ValidationException
from moto.ssm.models import SimpleSystemManagerBackend
from moto.ssm.responses import SimpleSystemManagerResponse

_OWNERS = ("Self", "Amazon", "Private", "Public", "ThirdParty")


def _matches(backend, documents, ssm_doc, key, values, tags):
    if key == "Name":
        return any(ssm_doc.name.startswith(v) for v in values)
    if key == "Owner":
        owner = values[0]
        if owner in ("Self", "Private") or owner == backend.account_id:
            return ssm_doc.owner == backend.account_id
        if owner == "Public":
            return "all" in documents.permissions
        return False
    if key == "PlatformTypes":
        return bool(set(values) & set(ssm_doc.platform_types or []))
    if key == "DocumentType":
        return ssm_doc.document_type in values
    if key == "TargetType":
        return (ssm_doc.target_type or "") in values
    if key.startswith("tag:"):
        return tags.get(key[4:]) in values
    return False


def _check(filters):
    for key, values in filters:
        if key not in ("Name", "Owner", "PlatformTypes", "DocumentType", "TargetType") and not (key.startswith("tag:") and len(key) > 4):
            raise SSMException("InvalidFilterKey", f"The filter key {key} is not valid.")
        if key == "Owner":
            if len(values) != 1:
                raise ValidationException("Owner filter can only have one value.")
            if values[0] not in _OWNERS and not values[0].isdigit():
                raise ValidationException(f"Owner filter value {values[0]} is not valid.")


def list_documents(self):
    legacy = self._get_param("DocumentFilterList") or []
    filters = [(f["key"], [f["value"]]) for f in legacy] + [(f["Key"], f.get("Values") or []) for f in (self._get_param("Filters") or [])]
    _check(filters)
    max_results = int(self._get_param("MaxResults", 10))
    if not 1 <= max_results <= 50:
        raise ValidationException(f"1 validation error detected: Value '{max_results}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 50")
    backend: SimpleSystemManagerBackend = self.ssm_backend
    matching = []
    for name, documents in sorted(backend._documents.items()):
        ssm_doc = documents.get_default_version()
        tag_list = backend._get_documents_tags(name)
        tags = {t["Key"]: t["Value"] for t in tag_list}
        if all(_matches(backend, documents, ssm_doc, key, values, tags) for key, values in filters):
            identifier = ssm_doc.list_describe(tags=tag_list)
            identifier["CreatedDate"] = ssm_doc.created_date
            identifier.setdefault("Tags", [])
            matching.append(identifier)
    token = self._get_param("NextToken")
    start = 0
    if token:
        if not token.isdigit() or int(token) > len(matching):
            raise SSMException("InvalidNextToken", "The specified token isn't valid.")
        start = int(token)
    result = {"DocumentIdentifiers": matching[start : start + max_results]}
    if start + max_results < len(matching):
        result["NextToken"] = str(start + max_results)
    return ActionResult(result)


def apply():
    SimpleSystemManagerResponse.list_documents = list_documents
