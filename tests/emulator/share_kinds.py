"""How a test reaches each shareable kind through boto3, so that one test covers all four."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_wellarchitected import WellArchitectedClient

    from emulator import WellArchitectedEmulator


@dataclass(frozen=True)
class Kind:
    """How a test reaches one kind through boto3: its create, share, unshare and list calls."""

    name: str
    key: str
    create: Callable[[WellArchitectedEmulator, str], str]
    share: Callable[..., Any]
    unshare: Callable[..., Any]
    listing: Callable[..., Any]
    summaries: str
    invitation_name: str


KINDS = [
    Kind(
        "LENS",
        "LensArn",
        lambda emu, name: emu.create_lens(name),
        lambda wa, ident, **kw: wa.create_lens_share(LensAlias=ident, **kw),
        lambda wa, ident, **kw: wa.delete_lens_share(LensAlias=ident, **kw),
        lambda wa, ident, **kw: wa.list_lens_shares(LensAlias=ident, **kw),
        "LensShareSummaries",
        "LensName",
    ),
    Kind(
        "PROFILE",
        "ProfileArn",
        lambda emu, name: emu.create_profile(name),
        lambda wa, ident, **kw: wa.create_profile_share(ProfileArn=ident, **kw),
        lambda wa, ident, **kw: wa.delete_profile_share(ProfileArn=ident, **kw),
        lambda wa, ident, **kw: wa.list_profile_shares(ProfileArn=ident, **kw),
        "ProfileShareSummaries",
        "ProfileName",
    ),
    Kind(
        "TEMPLATE",
        "TemplateArn",
        lambda emu, name: emu.create_review_template(name),
        lambda wa, ident, **kw: wa.create_template_share(TemplateArn=ident, **kw),
        lambda wa, ident, **kw: wa.delete_template_share(TemplateArn=ident, **kw),
        lambda wa, ident, **kw: wa.list_template_shares(TemplateArn=ident, **kw),
        "TemplateShareSummaries",
        "TemplateName",
    ),
    Kind(
        "WORKLOAD",
        "WorkloadId",
        lambda emu, name: emu.create_workload(name),
        lambda wa, ident, **kw: wa.create_workload_share(WorkloadId=ident, PermissionType="READONLY", **kw),
        lambda wa, ident, **kw: wa.delete_workload_share(WorkloadId=ident, **kw),
        lambda wa, ident, **kw: wa.list_workload_shares(WorkloadId=ident, **kw),
        "WorkloadShareSummaries",
        "WorkloadName",
    ),
]
BY_NAME = {kind.name: kind for kind in KINDS}


def readable(client: WellArchitectedClient, kind: Kind, ident: str) -> bool:
    """Whether the client's account may read the resource (its Get* call)."""
    read: Callable[[], object] = {
        "LENS": lambda: client.get_lens(LensAlias=ident),
        "PROFILE": lambda: client.get_profile(ProfileArn=ident),
        "TEMPLATE": lambda: client.get_review_template(TemplateArn=ident),
        "WORKLOAD": lambda: client.get_workload(WorkloadId=ident),
    }[kind.name]
    try:
        read()
    except client.exceptions.AccessDeniedException:
        return False
    return True
