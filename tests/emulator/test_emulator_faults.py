"""Injected faults, the rate limit and the call log."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import boto3  # type: ignore[import-untyped, unused-ignore]
import pytest
from botocore.exceptions import ConnectionClosedError  # type: ignore[import-untyped, unused-ignore]

from emulator import WellArchitectedEmulator
from emulator.clock import SkippingClock
from emulator.faults import RateLimiter

if TYPE_CHECKING:
    from mypy_boto3_wellarchitected import WellArchitectedClient

    from tests.emulator.harness import Refused

OWNER, PEER = "111111111111", "222222222222"


@pytest.mark.parametrize(
    ("status", "code"),
    [(500, "InternalServerException"), (503, "ServiceUnavailable"), (429, "ThrottlingException")],
)
def test_an_injected_error_answers_its_status_and_changes_nothing(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused, status: int, code: str
) -> None:
    lens_arn = emu.create_lens()
    emu.inject_fault("error", operation="CreateLensShare", status=status, code=code)
    share = {"LensAlias": lens_arn, "SharedWith": PEER, "ClientRequestToken": "share-1"}
    refused(lambda: wa.create_lens_share(**share), code, status)
    assert emu.shares() == []
    wa.create_lens_share(**share)
    assert [call[1] for call in emu.calls("CreateLensShare")] == [status, 200]


def test_a_fault_waits_for_its_operation_and_count(emu: WellArchitectedEmulator, wa: WellArchitectedClient) -> None:
    emu.inject_fault("error", operation="UpdateGlobalSettings", count=2)
    wa.get_global_settings()
    for _ in range(3):
        with contextlib.suppress(wa.exceptions.InternalServerException):
            wa.update_global_settings(OrganizationSharingStatus="ENABLED")
    assert [call[1] for call in emu.calls()] == [200, 500, 500, 200]
    assert emu.organization_sharing() == "ENABLED"


def test_faults_are_served_in_order(emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused) -> None:
    emu.inject_fault("error", status=500)
    emu.inject_fault("error", status=429, code="ThrottlingException")
    refused(wa.get_global_settings, "InternalServerException", 500)
    refused(wa.get_global_settings, "ThrottlingException", 429)
    wa.get_global_settings()


def test_a_slow_fault_waits_its_delay_on_the_emulator_s_clock_then_answers() -> None:
    clock = SkippingClock()  # the 30 s pass at once: the delay is read on the clock, not waited in real time
    with WellArchitectedEmulator(clock=clock) as slow:
        wa = boto3.client("wellarchitected", endpoint_url=slow.url, region_name="us-east-1")
        slow.inject_fault("slow", operation="GetGlobalSettings", delay=30)
        before = clock.now()
        assert wa.get_global_settings()["OrganizationSharingStatus"] == "DISABLED"
        assert clock.now() - before >= 30
        assert slow.calls() == [("GetGlobalSettings", 200, OWNER)]


def test_a_drop_fault_hangs_up_without_an_answer(emu: WellArchitectedEmulator, wa: WellArchitectedClient) -> None:
    lens_arn = emu.create_lens()
    emu.inject_fault("drop", operation="CreateLensShare")
    with pytest.raises(ConnectionClosedError):
        wa.create_lens_share(LensAlias=lens_arn, SharedWith=PEER, ClientRequestToken="share-1")
    assert emu.shares() == []
    assert emu.calls() == [("CreateLensShare", 0, OWNER)]
    wa.create_lens_share(LensAlias=lens_arn, SharedWith=PEER, ClientRequestToken="share-1")
    assert len(emu.shares()) == 1


def test_bad_faults_are_refused(emu: WellArchitectedEmulator) -> None:
    with pytest.raises(ValueError, match="fault kind"):
        emu.inject_fault("explode")
    with pytest.raises(ValueError, match="count"):
        emu.inject_fault("error", count=0)


def test_a_burst_over_the_bucket_is_throttled(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, peer: WellArchitectedClient
) -> None:
    emu.set_rate_limit(0.001, burst=3)  # refills about never during the test
    statuses = []
    for client in (wa, peer, wa, peer, wa):
        try:
            client.get_global_settings()
            statuses.append(200)
        except client.exceptions.ThrottlingException as error:
            statuses.append(error.response["ResponseMetadata"]["HTTPStatusCode"])
    assert statuses == [200, 200, 200, 429, 429]
    assert [(call[1], call[2]) for call in emu.calls()][-2:] == [(429, PEER), (429, OWNER)]
    emu.set_rate_limit(None)
    wa.get_global_settings()


def test_reset_clears_everything(emu: WellArchitectedEmulator, wa: WellArchitectedClient) -> None:
    lens_arn = emu.create_lens()
    wa.create_lens_share(LensAlias=lens_arn, SharedWith=PEER, ClientRequestToken="share-1")
    emu.set_organization_sharing(enabled=True)
    emu.inject_fault("error")
    emu.set_rate_limit(0.001, burst=1)
    emu.set_share_quota(0)
    emu.advance_clock(10**6)
    emu.reset()
    assert (emu.shares(), emu.invitations(), emu.calls(), emu.organization_sharing()) == ([], [], [], "DISABLED")
    lens_arn = emu.create_lens()
    for n in range(3):
        wa.create_lens_share(LensAlias=lens_arn, SharedWith=f"30000000000{n}", ClientRequestToken="share-1" + str(n))
    assert [call[1] for call in emu.calls()] == [200, 200, 200]
    assert [share["Status"] for share in emu.shares()] == ["PENDING"] * 3


class _FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_bucket_refills_at_the_rate_and_a_refusal_takes_no_token() -> None:
    clock = _FakeClock()
    limiter = RateLimiter(clock)
    limiter.configure(2.0, burst=2)
    assert [limiter.allow() for _ in range(3)] == [True, True, False]
    clock.now += 0.25
    assert limiter.allow() is False  # half a token: still refused, and the half is kept
    clock.now += 0.25
    assert [limiter.allow(), limiter.allow()] == [True, False]
    clock.now += 60
    assert [limiter.allow() for _ in range(3)] == [True, True, False]


def test_the_burst_defaults_to_one_second_of_requests() -> None:
    limiter = RateLimiter(_FakeClock())
    limiter.configure(2.5)
    assert [limiter.allow() for _ in range(4)] == [True, True, True, False]
    with pytest.raises(ValueError, match="rps"):
        limiter.configure(0)
