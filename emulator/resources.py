"""What is shared: custom lenses, profiles, review templates and workloads, enough of each to be shared and read."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from emulator import errors
from emulator.kinds import LENS, PROFILE, TEMPLATE, WORKLOAD, Kind
from emulator.model import Params, Resource, Result, compact
from emulator.paging import page
from emulator.store import Store

MAX_PAGE_SIZE = 50
NOT_SHARED = "official lenses cannot be shared"
_NOT_CHANGED = "official lenses cannot be changed"


# What the Python API's create_profile, create_review_template and create_workload fill in.
PLACEHOLDERS: dict[str, dict[str, Any]] = {
    "LENS": {},
    "PROFILE": {"description": "Created by the emulator", "details": {"ProfileQuestions": []}},
    "TEMPLATE": {"description": "Created by the emulator", "details": {"Lenses": ["wellarchitected"], "Notes": None}},
    "WORKLOAD": {
        "description": "Created by the emulator",
        "details": {"Environment": "PREPRODUCTION", "Lenses": ["wellarchitected"]},
    },
}


def find(store: Store, kind: Kind, ident: str, refusal: str = _NOT_CHANGED) -> Resource:
    """A resource by how the API addresses it; for lenses, a bare name or an ARN without account is official."""
    if kind is LENS:
        parts = ident.split(":", 5)
        if parts[0] != "arn" or (len(parts) == 6 and parts[4] == ""):
            raise errors.validation(
                f"{ident} is an AWS official lens: {refusal} (a custom lens is addressed by its ARN)", "LensAlias"
            )
    resource = store.resources[kind.name].get(ident)
    if resource is None:
        raise errors.not_found(ident, kind.name, f"No {kind.noun.lower()} with ID {ident}")
    return resource


def owned(store: Store, kind: Kind, ident: str, account: str, refusal: str = _NOT_CHANGED) -> Resource:
    resource = find(store, kind, ident, refusal)
    if resource.owner != account:
        raise errors.access_denied(f"Account {account} does not own {kind.noun.lower()} {ident}")
    return resource


def readable(store: Store, kind: Kind, ident: str, account: str) -> tuple[Resource, str | None]:
    """The resource and the reader's pending invitation, if the account may read it."""
    resource = find(store, kind, ident, "the emulator holds custom lenses only")
    if not store.readable(resource, account):
        raise errors.access_denied(f"{kind.noun} {ident} is not shared with {account}")
    return resource, None if resource.owner == account else store.invitation_of(resource, account)


def _delete(kind: Kind, key: str) -> Callable[[Store, str, Params], Result]:
    def delete(store: Store, account: str, params: Params) -> Result:
        store.remove_resource(owned(store, kind, params[key], account))
        return {}

    return delete


def _visible(store: Store, kind: Kind, account: str) -> list[Resource]:
    return [r for r in store.resources[kind.name].values() if store.readable(r, account)]


# --- lenses -----------------------------------------------------------------------------------------


def import_lens(store: Store, account: str, params: Params) -> Result:
    name, description = _lens_document(params["JSONString"])
    alias = params.get("LensAlias")
    if alias is None:
        lens = store.new_resource(LENS, account, name, description=description, tags=dict(params.get("Tags", {})))
    else:
        lens = owned(store, LENS, alias, account)
        lens.name, lens.description, lens.updated_at = name, description, store.now()
    return {"LensArn": lens.arn, "Status": "COMPLETE"}


def create_lens_version(store: Store, account: str, params: Params) -> Result:
    lens = owned(store, LENS, params["LensAlias"], account)
    version = params["LensVersion"]
    if lens.version == version:
        raise errors.conflict(f"Lens version {version} already exists", lens.arn, "LENS")
    lens.version, lens.updated_at = version, store.now()
    return {"LensArn": lens.arn, "LensVersion": version}


def get_lens(store: Store, account: str, params: Params) -> Result:
    lens, invitation_id = readable(store, LENS, params["LensAlias"], account)
    wanted = params.get("LensVersion")
    if wanted is not None and wanted != lens.version:
        raise errors.not_found(f"{lens.arn} version {wanted}", "LENS_VERSION")
    fields = {
        "LensArn": lens.arn,
        "LensVersion": lens.version,
        "Name": lens.name,
        "Description": lens.description,
        "Owner": lens.owner,
        "ShareInvitationId": invitation_id,
        "Tags": lens.tags or None,
    }
    return {"Lens": compact(fields)}


def list_lenses(store: Store, account: str, params: Params) -> Result:
    wanted_type, status, name = params.get("LensType"), params.get("LensStatus", "ALL"), params.get("LensName")
    selected: list[tuple[Resource, str, str | None]] = []
    for lens in store.resources["LENS"].values():
        lens_status: str | None = None
        if lens.owner == account:
            lens_type = "CUSTOM_SELF"
        elif any(store.reaches(share, account, ("ACCEPTED",)) for share in lens.shares.values()):
            lens_type, lens_status = "CUSTOM_SHARED", "CURRENT"
        elif store.keeps_access(lens, account):
            lens_type = "CUSTOM_SHARED"
            lens_status = "UNSHARED" if store.behaviour["after-delete"] == "unshared" else "CURRENT"
        else:
            continue
        published = "PUBLISHED" if lens.version else "DRAFT"
        if wanted_type in (None, lens_type) and status in ("ALL", published) and name in (None, lens.name):
            selected.append((lens, lens_type, lens_status))
    scope = ("ListLenses", account, wanted_type, status, name)
    chosen, token = page([lens for lens, _, _ in selected], scope, params, MAX_PAGE_SIZE)
    described = {lens.arn: (lens_type, lens_status) for lens, lens_type, lens_status in selected}
    summaries = [
        compact(
            {
                "LensArn": lens.arn,
                "LensAlias": lens.arn,
                "LensName": lens.name,
                "LensType": described[lens.arn][0],
                "Description": lens.description,
                "CreatedAt": lens.created_at,
                "UpdatedAt": lens.updated_at,
                "LensVersion": lens.version,
                "Owner": lens.owner,
                "LensStatus": described[lens.arn][1],
            }
        )
        for lens in chosen
    ]
    return compact({"LensSummaries": summaries, "NextToken": token})


def _lens_document(text: str) -> tuple[str, str | None]:
    """The name and description of a lens JSON document."""
    try:
        document = json.loads(text)
    except ValueError:
        document = None
    name = document.get("name") if isinstance(document, dict) else None
    if not isinstance(name, str) or not 1 <= len(name) <= 128:
        raise errors.validation("JSONString must be a lens JSON document with a name of 1-128 characters", "JSONString")
    description = document.get("description")
    return name, description if isinstance(description, str) and description else None


# --- profiles ---------------------------------------------------------------------------------------


def create_profile(store: Store, account: str, params: Params) -> Result:
    profile = store.new_resource(
        PROFILE,
        account,
        params["ProfileName"],
        description=params["ProfileDescription"],
        tags=dict(params.get("Tags", {})),
        details={"ProfileQuestions": params["ProfileQuestions"]},
    )
    return {"ProfileArn": profile.arn, "ProfileVersion": profile.version}


def _profile_summary(profile: Resource) -> Result:
    return {
        "ProfileArn": profile.arn,
        "ProfileVersion": profile.version,
        "ProfileName": profile.name,
        "ProfileDescription": profile.description,
        "Owner": profile.owner,
        "CreatedAt": profile.created_at,
        "UpdatedAt": profile.updated_at,
    }


def get_profile(store: Store, account: str, params: Params) -> Result:
    profile, invitation_id = readable(store, PROFILE, params["ProfileArn"], account)
    wanted = params.get("ProfileVersion")
    if wanted is not None and wanted != profile.version:
        raise errors.not_found(f"{profile.arn} version {wanted}", "PROFILE_VERSION")
    # Selected answers only: the emulator does not know the profile questions' titles and choices.
    questions = [
        {"QuestionId": q["QuestionId"], "SelectedChoiceIds": q.get("SelectedChoiceIds", [])}
        for q in profile.details["ProfileQuestions"]
        if "QuestionId" in q
    ]
    fields = _profile_summary(profile) | {
        "ProfileQuestions": questions,
        "ShareInvitationId": invitation_id,
        "Tags": profile.tags or None,
    }
    return {"Profile": compact(fields)}


def list_profiles(store: Store, account: str, params: Params) -> Result:
    prefix, owner_type = params.get("ProfileNamePrefix", ""), params.get("ProfileOwnerType")
    matching = [
        profile
        for profile in _visible(store, PROFILE, account)
        if profile.name.startswith(prefix) and owner_type in (None, "SELF" if profile.owner == account else "SHARED")
    ]
    chosen, token = page(matching, ("ListProfiles", account, prefix, owner_type), params, MAX_PAGE_SIZE)
    return compact({"ProfileSummaries": [_profile_summary(p) for p in chosen], "NextToken": token})


# --- review templates -------------------------------------------------------------------------------


def create_review_template(store: Store, account: str, params: Params) -> Result:
    template = store.new_resource(
        TEMPLATE,
        account,
        params["TemplateName"],
        description=params["Description"],
        tags=dict(params.get("Tags", {})),
        details={"Lenses": params["Lenses"], "Notes": params.get("Notes")},
    )
    return {"TemplateArn": template.arn}


def _template_summary(template: Resource) -> Result:
    return {
        "Description": template.description,
        "Lenses": template.details["Lenses"],
        "Owner": template.owner,
        "UpdatedAt": template.updated_at,
        "TemplateArn": template.arn,
        "TemplateName": template.name,
        "UpdateStatus": "CURRENT",
    }


def get_review_template(store: Store, account: str, params: Params) -> Result:
    template, invitation_id = readable(store, TEMPLATE, params["TemplateArn"], account)
    fields = _template_summary(template) | {
        "Notes": template.details["Notes"],
        "QuestionCounts": {},
        "Tags": template.tags or None,
        "ShareInvitationId": invitation_id,
    }
    return {"ReviewTemplate": compact(fields)}


def list_review_templates(store: Store, account: str, params: Params) -> Result:
    visible = _visible(store, TEMPLATE, account)
    chosen, token = page(visible, ("ListReviewTemplates", account), params, MAX_PAGE_SIZE)
    return compact({"ReviewTemplates": [_template_summary(t) for t in chosen], "NextToken": token})


# --- workloads --------------------------------------------------------------------------------------

_WORKLOAD_MEMBERS = (
    "Environment",
    "AccountIds",
    "AwsRegions",
    "NonAwsRegions",
    "PillarPriorities",
    "ArchitecturalDesign",
    "ReviewOwner",
    "IndustryType",
    "Industry",
    "Lenses",
    "Notes",
)


def create_workload(store: Store, account: str, params: Params) -> Result:
    name = params["WorkloadName"]
    if any(w.name == name for w in store.resources["WORKLOAD"].values() if w.owner == account):
        raise errors.conflict(f"A workload named {name} already exists", name, "WORKLOAD")
    workload = store.new_resource(
        WORKLOAD,
        account,
        name,
        description=params["Description"],
        tags=dict(params.get("Tags", {})),
        details={member: params[member] for member in _WORKLOAD_MEMBERS if member in params},
    )
    return {"WorkloadId": workload.ident, "WorkloadArn": workload.arn}


def _workload_summary(workload: Resource) -> Result:
    return {
        "WorkloadId": workload.ident,
        "WorkloadArn": workload.arn,
        "WorkloadName": workload.name,
        "Owner": workload.owner,
        "UpdatedAt": workload.updated_at,
        "Lenses": workload.details["Lenses"],
        "RiskCounts": {},
        "ImprovementStatus": "NOT_STARTED",
    }


def get_workload(store: Store, account: str, params: Params) -> Result:
    workload, invitation_id = readable(store, WORKLOAD, params["WorkloadId"], account)
    fields = (
        _workload_summary(workload)
        | workload.details
        | {"Description": workload.description, "ShareInvitationId": invitation_id, "Tags": workload.tags or None}
    )
    return {"Workload": compact(fields)}


def list_workloads(store: Store, account: str, params: Params) -> Result:
    prefix = params.get("WorkloadNamePrefix", "")
    matching = [w for w in _visible(store, WORKLOAD, account) if w.name.startswith(prefix)]
    chosen, token = page(matching, ("ListWorkloads", account, prefix), params, MAX_PAGE_SIZE)
    return compact({"WorkloadSummaries": [_workload_summary(w) for w in chosen], "NextToken": token})


# --- global settings ----------------------------------------------------------------------------------


def get_global_settings(store: Store, account: str, params: Params) -> Result:
    return {"OrganizationSharingStatus": store.sharing_status(account)}


def update_global_settings(store: Store, account: str, params: Params) -> Result:
    status = params.get("OrganizationSharingStatus")
    if status is not None:
        store.set_sharing(account, status == "ENABLED")
    return {}


HANDLERS = {
    "ImportLens": import_lens,
    "CreateLensVersion": create_lens_version,
    "GetLens": get_lens,
    "ListLenses": list_lenses,
    "DeleteLens": _delete(LENS, "LensAlias"),
    "CreateProfile": create_profile,
    "GetProfile": get_profile,
    "ListProfiles": list_profiles,
    "DeleteProfile": _delete(PROFILE, "ProfileArn"),
    "CreateReviewTemplate": create_review_template,
    "GetReviewTemplate": get_review_template,
    "ListReviewTemplates": list_review_templates,
    "DeleteReviewTemplate": _delete(TEMPLATE, "TemplateArn"),
    "CreateWorkload": create_workload,
    "GetWorkload": get_workload,
    "ListWorkloads": list_workloads,
    "DeleteWorkload": _delete(WORKLOAD, "WorkloadId"),
    "GetGlobalSettings": get_global_settings,
    "UpdateGlobalSettings": update_global_settings,
}
