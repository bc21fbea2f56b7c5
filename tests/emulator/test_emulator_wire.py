"""The wire format: routes from the botocore model, escaped ARNs, accounts from keys, error answers."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Any

import boto3  # type: ignore[import-untyped, unused-ignore]
import botocore.loaders  # type: ignore[import-untyped, unused-ignore]
import pytest

from emulator import WellArchitectedEmulator
from emulator.operations import implements
from emulator.protocol import match_route

if TYPE_CHECKING:
    from mypy_boto3_wellarchitected import WellArchitectedClient

    from tests.emulator.harness import ClientFor, Refused

OWNER, PEER = "111111111111", "222222222222"
MODEL = botocore.loaders.Loader().load_service_model("wellarchitected", "service-2")

EMULATED = [
    "ImportLens",
    "CreateLensVersion",
    "GetLens",
    "ListLenses",
    "DeleteLens",
    "CreateLensShare",
    "DeleteLensShare",
    "ListLensShares",
    "CreateProfile",
    "GetProfile",
    "ListProfiles",
    "DeleteProfile",
    "CreateProfileShare",
    "DeleteProfileShare",
    "ListProfileShares",
    "CreateReviewTemplate",
    "GetReviewTemplate",
    "ListReviewTemplates",
    "DeleteReviewTemplate",
    "CreateTemplateShare",
    "DeleteTemplateShare",
    "ListTemplateShares",
    "CreateWorkload",
    "GetWorkload",
    "ListWorkloads",
    "DeleteWorkload",
    "CreateWorkloadShare",
    "DeleteWorkloadShare",
    "ListWorkloadShares",
    "UpdateWorkloadShare",
    "GetGlobalSettings",
    "UpdateGlobalSettings",
    "ListShareInvitations",
    "UpdateShareInvitation",
]
ARN = "arn%3Aaws%3Awellarchitected%3Aus-east-1%3A1%3A"
LABELS = {
    "{LensAlias}": f"{ARN}lens%2Fx",
    "{ProfileArn}": f"{ARN}profile%2Fx",
    "{TemplateArn}": f"{ARN}review-template%2Fx",
    "{WorkloadId}": "a" * 32,
    "{ShareId}": "abc",
    "{ShareInvitationId}": "def",
}


@pytest.mark.parametrize("operation", EMULATED)
def test_each_operation_is_routed_by_its_model_uri(operation: str) -> None:
    http = MODEL["operations"][operation]["http"]
    path = http["requestUri"].partition("?")[0]
    for label, value in LABELS.items():
        path = path.replace(label, value)
    matched = match_route(http["method"], path)
    assert matched is not None
    assert matched[0] == operation
    assert implements(operation)


def test_the_lens_arn_travels_percent_encoded_and_is_decoded_per_segment(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient
) -> None:
    lens_arn = emu.create_lens()
    sent: list[str] = []
    wa.meta.events.register("before-send.wellarchitected.ListLensShares", lambda request, **_: sent.append(request.url))
    try:
        wa.create_lens_share(LensAlias=lens_arn, SharedWith=PEER, ClientRequestToken="share-1")
        assert wa.list_lens_shares(LensAlias=lens_arn)["LensShareSummaries"][0]["SharedWith"] == PEER
    finally:
        wa.meta.events.unregister("before-send.wellarchitected.ListLensShares")
    assert "%3Alens%2F" in sent[0]
    assert match_route("GET", sent[0].split("?")[0].split(emu.url)[1]) == ("ListLensShares", {"LensAlias": lens_arn})


def test_the_account_is_the_last_twelve_digits_of_the_access_key(
    emu: WellArchitectedEmulator, client_for: ClientFor
) -> None:
    client_for("333333333333").import_lens(JSONString='{"name": "Theirs"}', ClientRequestToken="import-1")
    client_for(None).get_global_settings()
    assert emu.calls() == [("ImportLens", 200, "333333333333"), ("GetGlobalSettings", 200, OWNER)]


def test_a_key_without_twelve_digits_falls_back_to_the_constructor_default() -> None:
    with WellArchitectedEmulator(default_account="444444444444", region="eu-west-1") as other:
        arn = other.create_lens()
        assert arn.startswith("arn:aws:wellarchitected:eu-west-1:444444444444:lens/")
        assert other.shares() == []


def test_errors_carry_the_modelled_members(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused
) -> None:
    missing = f"arn:aws:wellarchitected:us-east-1:{OWNER}:lens/{'0' * 32}"
    response = refused(lambda: wa.get_lens(LensAlias=missing), "ResourceNotFoundException", 404)
    assert (response["ResourceId"], response["ResourceType"]) == (missing, "LENS")
    assert missing in response["Error"]["Message"]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda wa, arn: wa.create_lens_share(LensAlias=arn, SharedWith="1" * 2049), "SharedWith"),
        (
            lambda wa, arn: wa.create_lens_share(LensAlias=arn, SharedWith=PEER, ClientRequestToken="t" * 2049),
            "ClientRequestToken",
        ),
        (lambda wa, arn: wa.list_lens_shares(LensAlias=arn, SharedWithPrefix="1" * 101), "SharedWithPrefix"),
        (lambda wa, arn: wa.list_lens_shares(LensAlias=arn, Status="GONE"), "Status"),
        (lambda wa, arn: wa.list_lens_shares(LensAlias=arn, MaxResults=51), "MaxResults"),
        (lambda wa, arn: wa.delete_lens_share(LensAlias=arn, ShareId="not-hex"), "ShareId"),
        (lambda wa, arn: wa.get_lens(LensAlias="x" * 129), "LensAlias"),
    ],
)
def test_limits_botocore_leaves_to_the_service_are_enforced(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused, call: Any, field: str
) -> None:
    lens_arn = emu.create_lens()
    response = refused(lambda: call(wa, lens_arn), "ValidationException", 400)
    assert response["Fields"][0]["Name"] == field
    assert emu.shares() == []


def test_unknown_paths_and_unemulated_operations_are_refused(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused
) -> None:
    refused(lambda: wa.list_milestones(WorkloadId="0" * 32), "NotImplemented", 501)
    assert emu.calls() == [("ListMilestones", 501, OWNER)]
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(f"{emu.url}/no/such/path", timeout=5)
    assert caught.value.code == 404
    assert caught.value.headers["x-amzn-ErrorType"] == "UnknownOperationException"


def test_a_body_that_is_not_json_is_a_validation_error(emu: WellArchitectedEmulator) -> None:
    request = urllib.request.Request(f"{emu.url}/importLens", data=b"{not json", method="PUT")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=5)
    assert caught.value.code == 400
    assert json.loads(caught.value.read())["Reason"] == "CANNOT_PARSE"


def test_a_client_finds_the_emulator_through_the_service_endpoint_variable(
    emu: WellArchitectedEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_WELLARCHITECTED", emu.url)
    client: WellArchitectedClient = boto3.client("wellarchitected", region_name="us-east-1")
    assert client.get_global_settings()["OrganizationSharingStatus"] == "DISABLED"
    assert emu.calls() == [("GetGlobalSettings", 200, OWNER)]
