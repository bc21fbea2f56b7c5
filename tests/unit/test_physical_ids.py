"""Every physical ID any version answered: the formats a later Delete or Update must still recognise."""

from __future__ import annotations

import pytest

from lens_share import physical_ids
from lens_share.physical_ids import InvitationRef, ShareRef

LENS = "arn:aws:wellarchitected:us-east-1:111111111111:lens/6f1c2b3a4d5e6f708192a3b4c5d6e7f8"
GOV_LENS = "arn:aws-us-gov:wellarchitected:us-gov-west-1:111111111111:lens/6f1c2b3a4d5e6f708192a3b4c5d6e7f8"
SHARE, OLD = "0f8e7d6c5b4a39281706f5e4d3c2b1a0", "1f8e7d6c5b4a39281706f5e4d3c2b1a1"


@pytest.mark.parametrize(
    ("physical_id", "expected"),
    [
        (f"{LENS}/shares/{SHARE}", ShareRef(LENS, SHARE)),  # 1.0.0 and later: a created share
        (f"{LENS}/shares/{SHARE}/replaces/{OLD}", ShareRef(LENS, SHARE, OLD)),  # 1.1.0: a replacement
        (f"{GOV_LENS}/shares/{SHARE}", ShareRef(GOV_LENS, SHARE)),
    ],
)
def test_share_ids_parse_and_print_back(physical_id: str, expected: ShareRef) -> None:
    assert ShareRef.parse(physical_id) == expected
    assert expected.physical_id == physical_id


@pytest.mark.parametrize(
    "physical_id",
    [
        "not-created-2c9a1e0f-4b7d-4e61-9f3a-7d2b8c5e1a90",  # a failed Create (1.0.0 and later)
        "unconfirmed-2c9a1e0f-4b7d-4e61-9f3a-7d2b8c5e1a90",  # a Create cut off by the deadline (1.0.0 and later)
        "organization-sharing:111111111111:us-east-1",
        f"{LENS}/invitations/{SHARE}",
        f"{LENS}/invitations/accepted",
        f"{LENS}/shares/{SHARE}/",
        f"{LENS}/shares/{SHARE}/replaces/",
        f"{LENS}/shares/{SHARE.upper()}",
        f"{LENS}/shares/{SHARE} ",
        "arn:aws:wellarchitected:us-east-1::lens/serverless/shares/" + SHARE,
        "platform-lens-Share-ABCDEFGH1234",  # what CloudFormation makes up when an answer had no usable ID
        "",
    ],
)
def test_anything_else_is_not_a_share(physical_id: str) -> None:
    assert ShareRef.parse(physical_id) is None


def test_the_failed_and_unconfirmed_create_ids_keep_their_request_id() -> None:
    assert physical_ids.not_created("req-1") == "not-created-req-1"
    assert physical_ids.unconfirmed("req-1") == "unconfirmed-req-1"
    assert physical_ids.unconfirmed_token("unconfirmed-req-1") == "req-1"
    assert physical_ids.unconfirmed_token("not-created-req-1") is None


def test_organization_sharing_ids_name_the_account_and_region() -> None:
    assert (
        physical_ids.organization_sharing("111111111111", "us-east-1") == "organization-sharing:111111111111:us-east-1"
    )
    assert physical_ids.organization_sharing(None, "eu-west-1") == "organization-sharing:self:eu-west-1"


@pytest.mark.parametrize(
    ("physical_id", "expected"),
    [
        (f"{LENS}/invitations/{SHARE}", InvitationRef(LENS, SHARE)),
        (f"{LENS}/invitations/accepted", InvitationRef(LENS, "")),  # accepted before the resource existed
    ],
)
def test_invitation_ids_parse_and_print_back(physical_id: str, expected: InvitationRef) -> None:
    assert InvitationRef.parse(physical_id) == expected
    assert expected.physical_id == physical_id
    assert ShareRef.parse(physical_id) is None
