"""The controls from another process (EmulatorControl over /_emulator/), the CLI and the server's lifecycle."""

from __future__ import annotations

import graphlib
import inspect
import json
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

import boto3  # type: ignore[import-untyped, unused-ignore]
import pytest
from botocore.config import Config  # type: ignore[import-untyped, unused-ignore]
from botocore.exceptions import EndpointConnectionError  # type: ignore[import-untyped, unused-ignore]

from emulator import EmulatorControl, WellArchitectedEmulator
from emulator.controls import CONTROLS, Controls
from tests.imports import import_graph

if TYPE_CHECKING:
    from mypy_boto3_wellarchitected import WellArchitectedClient

    from tests.emulator.harness import ClientFor, Refused

OWNER, PEER = "111111111111", "222222222222"
REPOSITORY = Path(__file__).resolve().parents[2]


def _client(url: str) -> WellArchitectedClient:
    client: WellArchitectedClient = boto3.client(
        "wellarchitected",
        endpoint_url=url,
        region_name="us-east-1",
        config=Config(retries={"total_max_attempts": 1}),
    )
    return client


def test_the_control_client_sees_and_sets_what_the_python_api_does(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, peer: WellArchitectedClient
) -> None:
    control = EmulatorControl(emu.url)
    lens_arn = control.create_lens("Remote lens", account=None, published=True)
    share_id = wa.create_lens_share(LensAlias=lens_arn, SharedWith=PEER, ClientRequestToken="share-1")["ShareId"]
    assert control.shares(lens_arn) == emu.shares(lens_arn)
    assert control.shares()[0]["ShareId"] == share_id
    assert control.invitations(PEER) == emu.invitations(PEER)
    assert control.invitations("333333333333") == []
    assert control.calls("CreateLensShare") == [("CreateLensShare", 200, OWNER)]
    control.set_organization_sharing(enabled=True, account=PEER)
    assert (control.organization_sharing(PEER), control.organization_sharing()) == ("ENABLED", "DISABLED")
    assert peer.get_global_settings()["OrganizationSharingStatus"] == "ENABLED"
    control.advance_clock(7 * 24 * 3600)
    assert [share["Status"] for share in control.shares()] == ["EXPIRED"]
    control.reset()
    assert (control.shares(), control.calls()) == ([], [])


def test_faults_limits_and_quota_travel_over_http(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, refused: Refused
) -> None:
    control = EmulatorControl(emu.url)
    lens_arn = control.create_lens(published=True)
    control.inject_fault("error", operation="GetGlobalSettings", status=503, code="ServiceUnavailable")
    refused(wa.get_global_settings, "ServiceUnavailable", 503)
    control.set_share_quota(0)
    refused(
        lambda: wa.create_lens_share(LensAlias=lens_arn, SharedWith=PEER, ClientRequestToken="share-1"),
        "ServiceQuotaExceededException",
        402,
    )
    control.set_rate_limit(0.001, burst=1)
    wa.get_global_settings()
    refused(wa.get_global_settings, "ThrottlingException", 429)
    control.set_rate_limit(None)
    wa.get_global_settings()


def test_a_refused_control_request_raises_value_error(emu: WellArchitectedEmulator) -> None:
    control = EmulatorControl(emu.url)
    with pytest.raises(ValueError, match="fault kind"):
        control.inject_fault("explode")
    with pytest.raises(ValueError, match="forward"):
        control.advance_clock(-1)


def test_the_cli_prints_its_url_and_stops_on_sigterm() -> None:
    command = [sys.executable, "-m", "emulator", "--port", "0", "--rate-limit", "0.001", "--burst", "1"]
    with subprocess.Popen(command, cwd=REPOSITORY, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            url = process.stdout.readline().strip()
            assert url.startswith("http://127.0.0.1:")
            client = _client(url)
            client.get_global_settings()
            with pytest.raises(client.exceptions.ThrottlingException):
                client.get_global_settings()
            EmulatorControl(url).reset()  # the limit given on the command line survives a reset
            client.get_global_settings()
            with pytest.raises(client.exceptions.ThrottlingException):
                client.get_global_settings()
        finally:
            process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


@pytest.mark.parametrize("host", ["0.0.0.0", "10.1.2.3", "::"])
def test_only_loopback_addresses_are_accepted(host: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        WellArchitectedEmulator(host=host)


def test_stop_ends_kept_alive_connections_and_the_url() -> None:
    emulator = WellArchitectedEmulator()
    with pytest.raises(RuntimeError):
        _ = emulator.url
    with emulator:
        client = _client(emulator.url)
        client.get_global_settings()  # leaves a kept-alive connection behind
    with pytest.raises(RuntimeError):
        _ = emulator.url
    with pytest.raises(EndpointConnectionError):
        client.get_global_settings()
    emulator.stop()


def test_every_kind_and_the_organization_controls_travel_over_http(
    emu: WellArchitectedEmulator, wa: WellArchitectedClient, client_for: ClientFor, refused: Refused
) -> None:
    control = EmulatorControl(emu.url)
    profile = control.create_profile("Remote profile")
    template = control.create_review_template("Remote template", account=PEER)
    workload = control.create_workload("Remote workload")
    assert template.startswith(f"arn:aws:wellarchitected:us-east-1:{PEER}:review-template/")
    control.set_organization_sharing(enabled=True)
    control.add_organization_member("333333333333", "o-a1b2c3d4e5", ["ou-ab12-cd34ef56"])
    wa.create_workload_share(
        WorkloadId=workload, SharedWith="ou-ab12-cd34ef56", PermissionType="READONLY", ClientRequestToken="s1"
    )
    assert client_for("333333333333").get_workload(WorkloadId=workload)["Workload"]["WorkloadName"] == "Remote workload"
    control.set_share_quota(0, kind="PROFILE")
    refused(
        lambda: wa.create_profile_share(ProfileArn=profile, SharedWith=PEER, ClientRequestToken="s2"),
        "ServiceQuotaExceededException",
        402,
    )
    [share] = control.shares(kind="WORKLOAD")
    assert share == emu.shares(workload)[0]
    assert (share["Kind"], share["WorkloadId"], share["PermissionType"]) == ("WORKLOAD", workload, "READONLY")
    assert control.shares(profile) == []


def test_each_control_is_written_once_and_served_in_process_and_over_http() -> None:
    for name in CONTROLS:
        written = getattr(Controls, name)
        assert getattr(WellArchitectedEmulator, name) is written, f"the server redefines {name}"
        assert inspect.signature(getattr(EmulatorControl, name)) == inspect.signature(written), name


def test_the_client_reaches_other_regions_and_carries_the_state_across(
    emu: WellArchitectedEmulator, client_for: ClientFor
) -> None:
    control = EmulatorControl(emu.url)
    lens_arn = control.create_lens("Frankfurt lens", region="eu-central-1")
    control.set_organization_sharing(enabled=True, region="eu-central-1")
    frankfurt: WellArchitectedClient = boto3.client("wellarchitected", endpoint_url=emu.url, region_name="eu-central-1")
    frankfurt.create_lens_share(LensAlias=lens_arn, SharedWith="o-a1b2c3d4e5", ClientRequestToken="org-1")
    assert lens_arn.startswith("arn:aws:wellarchitected:eu-central-1:")
    assert (control.organization_sharing(region="eu-central-1"), control.organization_sharing()) == (
        "ENABLED",
        "DISABLED",
    )
    assert [share["SharedWith"] for share in control.shares(region="eu-central-1")] == ["o-a1b2c3d4e5"]
    assert control.shares(region="us-east-1") == []
    [call] = control.calls("CreateLensShare")
    assert (call.operation, call.status, call.account) == ("CreateLensShare", 200, OWNER)

    dumped = control.dump()
    control.reset()
    assert control.shares() == []
    control.load(dumped)

    assert control.dump() == dumped
    assert [share["SharedWith"] for share in emu.shares(lens_arn)] == ["o-a1b2c3d4e5"]


def test_an_unknown_control_is_refused_with_the_names_of_those_there_are(emu: WellArchitectedEmulator) -> None:
    request = urllib.request.Request(f"{emu.url}/_emulator/drop_everything", data=b"{}", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 404
    assert "create_lens" in json.loads(refused.value.read())["Message"]
    with pytest.raises(ValueError, match="unexpected keyword argument 'colour'"):
        EmulatorControl(emu.url)._post("create_lens", {"colour": "blue"})


def test_the_emulator_modules_import_one_another_without_a_circle() -> None:
    graphlib.TopologicalSorter(import_graph("emulator")).prepare()  # raises CycleError, naming the circle
