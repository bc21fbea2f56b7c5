"""Every answer the emulator gives, success or error, checked against the botocore model's shapes as sent on the wire.

botocore drops members it does not know and parses loosely, so the raw JSON body is walked instead: unknown
members, required members, types, enums, lengths and (where Python's re can read them) patterns.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import boto3  # type: ignore[import-untyped, unused-ignore]
import botocore.loaders  # type: ignore[import-untyped, unused-ignore]
import pytest
from botocore.config import Config  # type: ignore[import-untyped, unused-ignore]

from emulator.operations import HANDLERS
from emulator.protocol import shape_problems

if TYPE_CHECKING:
    from collections.abc import Callable

    from mypy_boto3_wellarchitected import WellArchitectedClient

    from emulator import WellArchitectedEmulator

OWNER, PEER, MEMBER = "111111111111", "222222222222", "333333333333"
ORGANIZATION, UNIT = "o-a1b2c3d4e5", "ou-ab12-cd34ef56"
MODEL = botocore.loaders.Loader().load_service_model("wellarchitected", "service-2")
SHAPES: dict[str, dict[str, Any]] = MODEL["shapes"]
Answer = tuple[str, int, str | None, Any]  # operation, HTTP status, error code, JSON body


def violations(shape_name: str, value: Any) -> list[str]:
    """What in an answer's JSON does not fit the model's shape, one line each (the emulator's own walker)."""
    return [f"{path or '.'}: {problem}" for path, problem in shape_problems(shape_name, value, answer=True)]


def _check(answer: Answer) -> list[str]:
    operation, status, code, body = answer
    if code is None:
        ref = MODEL["operations"][operation].get("output")
        return [] if ref is None else [f"{operation}{line}" for line in violations(ref["shape"], body)]
    modelled = {error["shape"] for error in MODEL["operations"][operation].get("errors", [])}
    if code not in modelled:
        return [f"{operation}: {code} is not an error the model gives it"]
    if SHAPES[code]["error"]["httpStatusCode"] != status:
        return [f"{operation}: {code} answered with HTTP {status}"]
    return [f"{operation} {code}{line}" for line in violations(code, body)]


@pytest.fixture
def answers(emu: WellArchitectedEmulator) -> tuple[Callable[[str], WellArchitectedClient], list[Answer]]:
    """Clients per account whose every raw answer is recorded."""
    seen: list[Answer] = []
    clients: dict[str, WellArchitectedClient] = {}

    def record(http_response: Any, model: Any, **_: Any) -> None:
        body = json.loads(http_response.content) if http_response.content else {}
        seen.append((model.name, http_response.status_code, http_response.headers.get("x-amzn-ErrorType"), body))

    def client(account: str) -> WellArchitectedClient:
        if account not in clients:
            made: WellArchitectedClient = boto3.client(
                "wellarchitected",
                endpoint_url=emu.url,
                region_name="us-east-1",
                aws_access_key_id=f"AKIATEST{account}",
                aws_secret_access_key="emulator-test-secret",
                config=Config(retries={"total_max_attempts": 1}),
            )
            made.meta.events.register("after-call.wellarchitected", record)
            clients[account] = made
        return clients[account]

    return client, seen


def test_every_operation_answers_in_the_model_shapes(
    emu: WellArchitectedEmulator, answers: tuple[Callable[[str], WellArchitectedClient], list[Answer]]
) -> None:
    client, seen = answers
    owner, peer, member = client(OWNER), client(PEER), client(MEMBER)
    owner.update_global_settings(OrganizationSharingStatus="ENABLED")
    owner.get_global_settings()
    emu.add_organization_member(MEMBER, ORGANIZATION, [UNIT])
    lens = owner.import_lens(JSONString='{"name": "Shapes", "description": "d"}', ClientRequestToken="i")["LensArn"]
    owner.create_lens_version(LensAlias=lens, LensVersion="1.0", ClientRequestToken="v")
    profile = owner.create_profile(
        ProfileName="Shapes", ProfileDescription="Shapes profile", ProfileQuestions=[], ClientRequestToken="p"
    )["ProfileArn"]
    template = owner.create_review_template(
        TemplateName="Shapes", Description="Shapes template", Lenses=[lens], Notes="n", ClientRequestToken="t"
    )["TemplateArn"]
    workload = owner.create_workload(
        WorkloadName="Shapes",
        Description="Shapes workload",
        Environment="PRODUCTION",
        Lenses=["wellarchitected"],
        AccountIds=[OWNER],
        ClientRequestToken="w",
    )["WorkloadId"]
    owner.create_lens_share(LensAlias=lens, SharedWith=PEER, ClientRequestToken="s1")
    owner.create_lens_share(LensAlias=lens, SharedWith=UNIT, ClientRequestToken="s2")
    owner.create_profile_share(ProfileArn=profile, SharedWith=PEER, ClientRequestToken="s3")
    owner.create_template_share(TemplateArn=template, SharedWith=ORGANIZATION, ClientRequestToken="s4")
    owner.create_template_share(TemplateArn=template, SharedWith=PEER, ClientRequestToken="s5")
    workload_share = owner.create_workload_share(
        WorkloadId=workload, SharedWith=PEER, PermissionType="READONLY", ClientRequestToken="s6"
    )["ShareId"]
    owner.update_workload_share(WorkloadId=workload, ShareId=workload_share, PermissionType="CONTRIBUTOR")
    invitations = peer.list_share_invitations(MaxResults=2)
    peer.list_share_invitations(NextToken=invitations["NextToken"], MaxResults=2)
    for invitation in peer.list_share_invitations()["ShareInvitationSummaries"]:
        peer.update_share_invitation(ShareInvitationId=invitation["ShareInvitationId"], ShareInvitationAction="ACCEPT")
    for reader in (owner, peer, member):
        reader.get_lens(LensAlias=lens)
        reader.list_lenses()
        reader.get_review_template(TemplateArn=template)
        reader.list_review_templates()
        reader.list_profiles()
        reader.list_workloads()
    peer.get_profile(ProfileArn=profile)
    peer.get_workload(WorkloadId=workload)
    for listing in (
        lambda: owner.list_lens_shares(LensAlias=lens, MaxResults=1),
        lambda: owner.list_profile_shares(ProfileArn=profile),
        lambda: owner.list_template_shares(TemplateArn=template, MaxResults=1),
        lambda: owner.list_workload_shares(WorkloadId=workload),
    ):
        listing()
    # Refusals: each is an error the model gives the operation, in its error shape.
    refusals: list[Callable[[], object]] = [
        lambda: owner.create_lens_share(LensAlias=lens, SharedWith=PEER, ClientRequestToken="dup"),
        lambda: owner.create_profile_share(ProfileArn=profile, SharedWith="nobody@example", ClientRequestToken="bad"),
        lambda: owner.list_template_shares(TemplateArn=template, MaxResults=11),
        lambda: owner.delete_workload_share(WorkloadId=workload, ShareId="f" * 32, ClientRequestToken="gone"),
        lambda: peer.list_lens_shares(LensAlias=lens),
        lambda: owner.get_workload(WorkloadId="0" * 32),
    ]
    for refusal in refusals:
        with pytest.raises(owner.exceptions.ClientError):
            refusal()
    owner.delete_workload_share(WorkloadId=workload, ShareId=workload_share, ClientRequestToken="d1")
    for share in owner.list_profile_shares(ProfileArn=profile)["ProfileShareSummaries"]:
        owner.delete_profile_share(ProfileArn=profile, ShareId=share["ShareId"], ClientRequestToken="d2")
    for share in owner.list_template_shares(TemplateArn=template)["TemplateShareSummaries"]:
        owner.delete_template_share(TemplateArn=template, ShareId=share["ShareId"], ClientRequestToken=share["ShareId"])
    share_id = owner.list_lens_shares(LensAlias=lens)["LensShareSummaries"][0]["ShareId"]
    owner.delete_lens_share(LensAlias=lens, ShareId=share_id, ClientRequestToken="d3")
    owner.delete_workload(WorkloadId=workload, ClientRequestToken="d4")
    owner.delete_review_template(TemplateArn=template, ClientRequestToken="d5")
    owner.delete_profile(ProfileArn=profile, ClientRequestToken="d6")
    owner.delete_lens(LensAlias=lens, LensStatus="ALL", ClientRequestToken="d7")

    assert {operation for operation, *_ in seen} == set(HANDLERS)
    assert [line for answer in seen for line in _check(answer)] == []


def test_the_validator_finds_what_does_not_fit() -> None:
    summary = {"ShareId": "NOT-HEX", "SharedWith": "short", "Status": "GONE", "Extra": 1}
    assert violations("LensShareSummary", summary) == [
        "Extra: Member is not in LensShareSummary",
        "ShareId: Member must satisfy regular expression pattern: [0-9a-f]{32}",
        "SharedWith: Member must have length greater than or equal to 12",
        "Status: Member must satisfy enum value set: [ACCEPTED, REJECTED, PENDING, REVOKED, EXPIRED, ASSOCIATING, "
        "ASSOCIATED, FAILED]",
    ]
    assert violations("ConflictException", {"Message": "m"}) == [
        "ResourceId: Member must not be null",
        "ResourceType: Member must not be null",
    ]
