"""Each behaviour switch gives each of its answers, for every kind; unknown switches and values are refused."""

from __future__ import annotations

import subprocess
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from emulator import EmulatorControl, WellArchitectedEmulator
from emulator.behaviours import ASSOCIATION_SECONDS, SWITCHES
from tests.emulator.share_kinds import Kind, readable

if TYPE_CHECKING:
    from mypy_boto3_wellarchitected import WellArchitectedClient

    from tests.emulator.harness import ClientFor, Refused

OWNER, PEER, OTHER = "111111111111", "222222222222", "333333333333"
ORGANIZATION, UNIT = "o-a1b2c3d4e5", "ou-ab12-cd34ef56"
REPOSITORY = Path(__file__).resolve().parents[2]


def test_the_table_names_a_default_question_and_page_for_each_switch() -> None:
    assert len({switch.name for switch in SWITCHES}) == len(SWITCHES) == 13
    for switch in SWITCHES:
        assert switch.default == switch.values[0]
        assert switch.question.endswith("?")
        assert switch.page.startswith("https://docs.aws.amazon.com/wellarchitected/")
        assert not switch.documented


def test_defaults_reset_and_a_constructor_baseline(emu: WellArchitectedEmulator) -> None:
    assert emu.behaviour() == {switch.name: switch.default for switch in SWITCHES}
    emu.set_behaviour("token-scope", "account")
    emu.reset()
    assert emu.behaviour()["token-scope"] == "operation"
    with WellArchitectedEmulator(behaviour={"token-scope": "account"}) as other:
        other.set_behaviour("token-scope", "operation")
        other.reset()
        assert other.behaviour()["token-scope"] == "account"


def test_unknown_names_and_values_are_refused_with_what_is_accepted(emu: WellArchitectedEmulator) -> None:
    with pytest.raises(ValueError, match="the switches are token-scope, token-reuse"):
        emu.set_behaviour("token-scoop", "account")
    with pytest.raises(ValueError, match="one of operation, account"):
        emu.set_behaviour("token-scope", "global")
    with pytest.raises(ValueError, match="listing-lag: a whole number"):
        emu.set_behaviour("listing-lag", "soon")
    with pytest.raises(ValueError, match="token-scope"):
        WellArchitectedEmulator(behaviour={"token-scope": "region"})
    control = EmulatorControl(emu.url)
    with pytest.raises(ValueError, match="one of bracketed, plain"):
        control.set_behaviour("message-prefix", "curly")
    control.set_behaviour("listing-lag", "3")
    assert control.behaviour()["listing-lag"] == emu.behaviour()["listing-lag"] == "3"


def test_the_cli_takes_behaviours_and_refuses_unknown_ones() -> None:
    command = [
        sys.executable,
        "-m",
        "emulator",
        "--behaviour",
        "token-scope=account",
        "--behaviour",
        "own-account=accepted",
    ]
    with subprocess.Popen(command, cwd=REPOSITORY, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            control = EmulatorControl(process.stdout.readline().strip())
            control.set_behaviour("token-scope", "operation")
            control.reset()  # back to what the command line asked for
            assert (control.behaviour()["token-scope"], control.behaviour()["own-account"]) == ("account", "accepted")
        finally:
            process.terminate()
        assert process.wait(timeout=10) == 0
    refused = subprocess.run(
        [sys.executable, "-m", "emulator", "--behaviour", "delete-gone=maybe"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert refused.returncode == 2
    assert "not-found, validation, ok" in refused.stderr


# --- tokens -----------------------------------------------------------------------------------------


def test_token_scope_account_refuses_one_token_across_operations(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused, kind: Kind
) -> None:
    ident = kind.create(emu, "Shared thing")
    share_id = kind.share(wa, ident, SharedWith=PEER, ClientRequestToken="request-1")["ShareId"]
    kind.unshare(wa, ident, ShareId=share_id, ClientRequestToken="request-2")
    kind.share(wa, ident, SharedWith=PEER, ClientRequestToken="request-2")  # per operation: a new token
    emu.set_behaviour("token-scope", "account")
    [current] = emu.shares(ident)
    kind.unshare(wa, ident, ShareId=current["ShareId"], ClientRequestToken="request-3")
    response = refused(
        lambda: kind.share(wa, ident, SharedWith=PEER, ClientRequestToken="request-3"), "ConflictException", 409
    )
    assert response["Error"]["Message"] == "[Conflict] ClientRequestToken was already used with other parameters"
    assert emu.shares(ident) == []


@pytest.mark.parametrize(
    ("reuse", "answer"), [("conflict", ("ConflictException", 409)), ("validation", ("ValidationException", 400))]
)
def test_token_reuse_with_other_parameters_is_refused_as_the_switch_says(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused, reuse: str, answer: tuple[str, int]
) -> None:
    emu.set_behaviour("token-reuse", reuse)
    lens = emu.create_lens()
    wa.create_lens_share(LensAlias=lens, SharedWith=PEER, ClientRequestToken="token")
    refused(lambda: wa.create_lens_share(LensAlias=lens, SharedWith=OTHER, ClientRequestToken="token"), *answer)
    assert [share["SharedWith"] for share in emu.shares()] == [PEER]


def test_token_reuse_first_result_answers_the_first_call_whatever_the_parameters(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient
) -> None:
    emu.set_behaviour("token-reuse", "first-result")
    lens = emu.create_lens()
    first = wa.create_lens_share(LensAlias=lens, SharedWith=PEER, ClientRequestToken="token")["ShareId"]
    again = wa.create_lens_share(LensAlias=lens, SharedWith=OTHER, ClientRequestToken="token")["ShareId"]
    assert again == first
    assert [share["SharedWith"] for share in emu.shares()] == [PEER]


def test_token_expiry_forgets_a_token_after_its_hours(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused
) -> None:
    emu.set_behaviour("token-expiry", "2")
    lens = emu.create_lens()
    wa.create_lens_share(LensAlias=lens, SharedWith=PEER, ClientRequestToken="token")
    emu.advance_clock(2 * 3600 - 1)
    refused(
        lambda: wa.create_lens_share(LensAlias=lens, SharedWith=OTHER, ClientRequestToken="token"),
        "ConflictException",
        409,
    )
    emu.advance_clock(1)
    wa.create_lens_share(LensAlias=lens, SharedWith=OTHER, ClientRequestToken="token")
    assert len(emu.shares()) == 2


# --- conflicts, re-shares and deletes ----------------------------------------------------------------


@pytest.mark.parametrize("named", ["share", "absent", "resource"])
def test_conflict_resource_id_names_what_the_switch_says(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused, kind: Kind, named: str
) -> None:
    emu.set_behaviour("conflict-resource-id", named)
    ident = kind.create(emu, "Shared thing")
    share_id = kind.share(wa, ident, SharedWith=PEER, ClientRequestToken="s1")["ShareId"]
    response = refused(
        lambda: kind.share(wa, ident, SharedWith=PEER, ClientRequestToken="s2"), "ConflictException", 409
    )
    expected = {"share": share_id, "absent": None, "resource": ident}[named]
    assert response.get("ResourceId") == expected


def _ended(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, peer: WellArchitectedClient, kind: Kind
) -> tuple[str, str]:
    """A resource whose share with PEER was rejected: (its identifier, the old share's ID)."""
    ident = kind.create(emu, "Shared thing")
    old = kind.share(wa, ident, SharedWith=PEER, ClientRequestToken="s1")["ShareId"]
    [invitation] = emu.invitations(PEER)
    peer.update_share_invitation(ShareInvitationId=invitation["ShareInvitationId"], ShareInvitationAction="REJECT")
    return ident, old


def test_reshare_inactive_replace_and_keep_both(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, peer: WellArchitectedClient, kind: Kind
) -> None:
    ident, old = _ended(emu, wa, peer, kind)
    new = kind.share(wa, ident, SharedWith=PEER, ClientRequestToken="s2")["ShareId"]
    assert [(s["ShareId"], s["Status"]) for s in emu.shares(ident)] == [(new, "PENDING")]
    emu.set_behaviour("reshare-inactive", "keep-both")
    peer.update_share_invitation(
        ShareInvitationId=emu.invitations(PEER)[0]["ShareInvitationId"], ShareInvitationAction="REJECT"
    )
    newest = kind.share(wa, ident, SharedWith=PEER, ClientRequestToken="s3")["ShareId"]
    assert [(s["ShareId"], s["Status"]) for s in emu.shares(ident)] == [(new, "REJECTED"), (newest, "PENDING")]
    assert old not in {s["ShareId"] for s in emu.shares()}


def test_reshare_inactive_conflict_names_the_old_share(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, peer: WellArchitectedClient, refused: Refused, kind: Kind
) -> None:
    emu.set_behaviour("reshare-inactive", "conflict")
    ident, old = _ended(emu, wa, peer, kind)
    response = refused(
        lambda: kind.share(wa, ident, SharedWith=PEER, ClientRequestToken="s2"), "ConflictException", 409
    )
    assert response["ResourceId"] == old
    kind.unshare(wa, ident, ShareId=old, ClientRequestToken="u1")
    kind.share(wa, ident, SharedWith=PEER, ClientRequestToken="s3")
    assert [s["Status"] for s in emu.shares(ident)] == ["PENDING"]


@pytest.mark.parametrize(
    ("gone", "answer"),
    [("not-found", ("ResourceNotFoundException", 404)), ("validation", ("ValidationException", 400)), ("ok", None)],
)
def test_delete_gone_answers_as_the_switch_says(
    emu: WellArchitectedEmulator,
    wa: WellArchitectedClient,
    refused: Refused,
    kind: Kind,
    gone: str,
    answer: tuple[str, int] | None,
) -> None:
    emu.set_behaviour("delete-gone", gone)
    ident = kind.create(emu, "Shared thing")
    share_id = kind.share(wa, ident, SharedWith=PEER, ClientRequestToken="s1")["ShareId"]
    emu.delete_share(share_id)
    if answer is None:
        kind.unshare(wa, ident, ShareId=share_id, ClientRequestToken="u1")
    else:
        refused(lambda: kind.unshare(wa, ident, ShareId=share_id, ClientRequestToken="u1"), *answer)


# --- organization shares and what recipients see --------------------------------------------------------


def test_association_instant_slow_stuck_and_fail(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, kind: Kind
) -> None:
    emu.set_organization_sharing(True)
    ident = kind.create(emu, "Shared thing")
    for n, mode in enumerate(("instant", "slow", "stuck", "fail")):
        emu.set_behaviour("association", mode)
        kind.share(wa, ident, SharedWith=f"ou-ab12-cd34ef5{n}", ClientRequestToken=mode)

    def statuses() -> list[tuple[str, str | None]]:
        return [(share["Status"], share["StatusMessage"]) for share in emu.shares(ident)]

    failed = ("FAILED", "The organization's accounts could not be associated with the share")
    assert statuses() == [("ASSOCIATED", None), ("ASSOCIATING", None), ("ASSOCIATING", None), failed]
    emu.advance_clock(ASSOCIATION_SECONDS)
    assert statuses() == [("ASSOCIATED", None), ("ASSOCIATED", None), ("ASSOCIATING", None), failed]


@pytest.mark.parametrize(("after", "lens_status"), [("readable", "CURRENT"), ("unshared", "UNSHARED")])
def test_a_recipient_keeps_reading_a_lens_after_its_share_is_deleted(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, peer: WellArchitectedClient, after: str, lens_status: str
) -> None:
    emu.set_behaviour("after-delete", after)
    lens = emu.create_lens()
    share_id = wa.create_lens_share(LensAlias=lens, SharedWith=PEER, ClientRequestToken="s1")["ShareId"]
    peer.update_share_invitation(
        ShareInvitationId=emu.invitations(PEER)[0]["ShareInvitationId"], ShareInvitationAction="ACCEPT"
    )
    assert peer.list_lenses(LensType="CUSTOM_SHARED")["LensSummaries"][0]["LensStatus"] == "CURRENT"
    wa.delete_lens_share(LensAlias=lens, ShareId=share_id, ClientRequestToken="u1")
    assert peer.get_lens(LensAlias=lens)["Lens"]["LensArn"] == lens
    [summary] = peer.list_lenses(LensType="CUSTOM_SHARED")["LensSummaries"]
    assert (summary["LensArn"], summary["LensStatus"]) == (lens, lens_status)
    assert emu.shares() == []


def test_access_is_kept_after_a_delete_except_for_workloads(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, client_for: ClientFor, kind: Kind
) -> None:
    emu.set_organization_sharing(True)
    emu.add_organization_member(OTHER, ORGANIZATION, [UNIT])
    ident = kind.create(emu, "Shared thing")
    share_id = kind.share(wa, ident, SharedWith=UNIT, ClientRequestToken="s1")["ShareId"]
    kind.unshare(wa, ident, ShareId=share_id, ClientRequestToken="u1")
    assert readable(client_for(OTHER), kind, ident) is (kind.name != "WORKLOAD")


def test_a_pending_invitation_does_not_survive_the_delete_of_its_share(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, client_for: ClientFor, kind: Kind
) -> None:
    ident = kind.create(emu, "Shared thing")
    share_id = kind.share(wa, ident, SharedWith=PEER, ClientRequestToken="s1")["ShareId"]
    kind.unshare(wa, ident, ShareId=share_id, ClientRequestToken="u1")
    assert not readable(client_for(PEER), kind, ident)


# --- consistency -------------------------------------------------------------------------------------


def test_invitation_delay_hides_an_invitation_for_its_count_of_calls(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, peer: WellArchitectedClient, kind: Kind
) -> None:
    emu.set_behaviour("invitation-delay", "2")
    kind.share(wa, kind.create(emu, "Shared thing"), SharedWith=PEER, ClientRequestToken="s1")
    seen = [len(peer.list_share_invitations()["ShareInvitationSummaries"]) for _ in range(3)]
    assert seen == [0, 0, 1]
    assert len(emu.invitations(PEER)) == 1  # the emulator's own view is never late


def test_listing_lag_answers_the_state_before_the_latest_write(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, kind: Kind
) -> None:
    emu.set_behaviour("listing-lag", "2")
    ident = kind.create(emu, "Shared thing")
    kind.share(wa, ident, SharedWith=PEER, ClientRequestToken="s1")
    kind.share(wa, ident, SharedWith=OTHER, ClientRequestToken="s2")

    def listed() -> list[str]:
        return [share["SharedWith"] for share in kind.listing(wa, ident)[kind.summaries]]

    assert [listed(), listed(), listed()] == [[PEER], [PEER], [PEER, OTHER]]
    assert len(emu.shares(ident)) == 2


# --- refusals and error bodies -------------------------------------------------------------------------


def test_own_account_is_refused_by_default_and_accepted_when_switched(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused, kind: Kind
) -> None:
    ident = kind.create(emu, "Shared thing")
    for principal in (OWNER, f"arn:aws:iam::{OWNER}:user/me"):
        response = refused(
            partial(kind.share, wa, ident, SharedWith=principal, ClientRequestToken=principal),
            "ValidationException",
            400,
        )
        assert (response["Reason"], response["Fields"][0]["Name"]) == ("FIELD_VALIDATION_FAILED", "SharedWith")
        assert "cannot be shared with its owner" in response["Error"]["Message"]
    emu.set_behaviour("own-account", "accepted")
    kind.share(wa, ident, SharedWith=OWNER, ClientRequestToken="again")
    assert [share["SharedWith"] for share in emu.shares(ident)] == [OWNER]


@pytest.mark.parametrize(("counts", "refused_at"), [("all", 2), ("accounts-and-users", 3)])
def test_quota_counts_organization_shares_as_the_switch_says(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused, counts: str, refused_at: int
) -> None:
    emu.set_behaviour("quota-counts", counts)
    emu.set_organization_sharing(True)
    emu.set_share_quota(2)
    lens = emu.create_lens()
    wa.create_lens_share(LensAlias=lens, SharedWith=ORGANIZATION, ClientRequestToken="org")
    accounts = [f"40000000000{n}" for n in range(3)]
    for account in accounts[: refused_at - 1]:
        wa.create_lens_share(LensAlias=lens, SharedWith=account, ClientRequestToken=account)
    refused(
        lambda: wa.create_lens_share(LensAlias=lens, SharedWith="499999999999", ClientRequestToken="over"),
        "ServiceQuotaExceededException",
        402,
    )


def test_message_prefix_bracketed_or_plain(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused
) -> None:
    lens = emu.create_lens()
    response = refused(lambda: wa.list_lens_shares(LensAlias=lens, MaxResults=11), "ValidationException", 400)
    assert response["Error"]["Message"] == "[Validation] MaxResults must be between 1 and 10."
    assert response["Fields"] == [{"Name": "MaxResults", "Message": "MaxResults must be between 1 and 10."}]
    emu.set_behaviour("message-prefix", "plain")
    response = refused(lambda: wa.list_lens_shares(LensAlias=lens, MaxResults=11), "ValidationException", 400)
    assert response["Error"]["Message"] == "MaxResults must be between 1 and 10."
