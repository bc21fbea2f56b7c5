"""The property model: what is accepted, and the sentence that refuses the rest."""

from __future__ import annotations

import pytest

from lens_share import properties
from lens_share.kinds import LENS as LENS_KIND
from lens_share.properties import Place, PrincipalKind, PropertyError
from lens_share.resources.shares import ShareResource

PLACE = Place("us-east-1", "111111111111")
LENS = "arn:aws:wellarchitected:us-east-1:111111111111:lens/6f1c2b3a4d5e6f708192a3b4c5d6e7f8"


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("222222222222", PrincipalKind.ACCOUNT),
        ("arn:aws:iam::222222222222:user/platform/alice", PrincipalKind.IAM_USER),
        ("arn:aws:iam::222222222222:role/Auditor", PrincipalKind.IAM_ROLE),
        ("o-a1b2c3d4e5", PrincipalKind.ORGANIZATION),
        ("ou-ab12-cd34ef56", PrincipalKind.ORGANIZATIONAL_UNIT),
    ],
)
def test_every_kind_of_principal_is_accepted(value: str, kind: PrincipalKind) -> None:
    parsed = LENS_SHARE.properties({"LensAlias": LENS, "SharedWith": value}, PLACE)
    assert parsed.shared_with.kind is kind
    assert parsed.target == (LENS, value)


@pytest.mark.parametrize(
    "value", ["12345", "1234567890123", "o-short", "ou-ab12", "arn:aws:iam::222222222222:group/x", "everyone"]
)
def test_a_principal_of_no_known_form_is_refused_with_the_accepted_forms(value: str) -> None:
    with pytest.raises(PropertyError) as refused:
        LENS_SHARE.properties({"LensAlias": LENS, "SharedWith": value}, PLACE)
    message = str(refused.value)
    assert message.startswith(f"SharedWith {value!r}")
    assert "12-digit account ID" in message
    assert "OU ID" in message


LENS_SHARE = ShareResource(LENS_KIND)


def test_the_iam_principal_names_its_account() -> None:
    parsed = properties.principal("arn:aws:iam::333333333333:user/bob")
    assert parsed.account == "333333333333"
    assert properties.principal("o-a1b2c3d4e5").account is None


@pytest.mark.parametrize(
    "value", ["wellarchitected", "serverless", "arn:aws:wellarchitected:us-east-1::lens/serverless"]
)
def test_official_lenses_are_refused_as_official(value: str) -> None:
    with pytest.raises(PropertyError, match="official lenses cannot be shared") as refused:
        LENS_SHARE.properties({"LensAlias": value, "SharedWith": "222222222222"}, PLACE)
    assert str(refused.value).startswith(f"LensAlias {value!r}")


@pytest.mark.parametrize(
    "value",
    ["arn:aws:wellarchitected:us-east-1:111111111111:lens/short", "lens/6f1c2b3a", "arn:aws:s3:::bucket"],
)
def test_other_lens_aliases_are_refused_with_the_arn_form(value: str) -> None:
    with pytest.raises(PropertyError, match="is not a custom lens ARN; expected arn:<partition>:wellarchitected"):
        LENS_SHARE.properties({"LensAlias": value, "SharedWith": "222222222222"}, PLACE)


def test_a_lens_of_another_region_or_account_is_refused() -> None:
    other_region = LENS.replace("us-east-1", "eu-west-1")
    with pytest.raises(PropertyError, match="lens of Region eu-west-1, but this provider serves us-east-1"):
        LENS_SHARE.properties({"LensAlias": other_region, "SharedWith": "222222222222"}, PLACE)
    other_account = LENS.replace("111111111111", "999999999999")
    with pytest.raises(PropertyError, match="belongs to account 999999999999"):
        LENS_SHARE.properties({"LensAlias": other_account, "SharedWith": "222222222222"}, PLACE)


def test_a_misspelt_property_is_refused_with_a_suggestion() -> None:
    with pytest.raises(PropertyError) as refused:
        LENS_SHARE.properties({"LensAlias": LENS, "SharedWIth": "222222222222"}, PLACE)
    assert str(refused.value) == (
        "Unknown property 'SharedWIth' (did you mean 'SharedWith'?); "
        "Custom::LensShare accepts LensAlias, SharedWith, InvitationRound."
    )


def test_cloudformation_properties_pass_and_values_must_be_strings() -> None:
    parsed = LENS_SHARE.properties(
        {"ServiceToken": "arn:x", "ServiceTimeout": "900", "LensAlias": LENS, "SharedWith": " 222222222222 "}, PLACE
    )
    assert parsed.shared_with.value == "222222222222"
    with pytest.raises(PropertyError, match="Property 'SharedWith' must be a string, got list"):
        LENS_SHARE.properties({"LensAlias": LENS, "SharedWith": ["222222222222"]}, PLACE)


@pytest.mark.parametrize("given", [{}, {"LensAlias": LENS}, {"LensAlias": LENS, "SharedWith": ""}, None])
def test_missing_properties_are_named(given: dict[str, object] | None) -> None:
    with pytest.raises(PropertyError, match="is required and must not be empty"):
        LENS_SHARE.properties(given or {}, PLACE)


def test_a_long_value_is_cut_short_in_the_reason() -> None:
    with pytest.raises(PropertyError) as refused:
        LENS_SHARE.properties({"LensAlias": LENS, "SharedWith": "x" * 3000}, PLACE)
    assert len(str(refused.value)) < 400
    assert "…" in str(refused.value)
