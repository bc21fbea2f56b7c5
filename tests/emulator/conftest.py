"""One emulator for the session, reset before each test, spoken to by real boto3 clients over HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import boto3  # type: ignore[import-untyped, unused-ignore]
import pytest
from botocore.config import Config  # type: ignore[import-untyped, unused-ignore]
from botocore.exceptions import ClientError  # type: ignore[import-untyped, unused-ignore]

from emulator import WellArchitectedEmulator
from tests.emulator.harness import PEER, ClientFor, Refused
from tests.emulator.share_kinds import KINDS, Kind

if TYPE_CHECKING:
    from mypy_boto3_wellarchitected import WellArchitectedClient


@pytest.fixture(autouse=True)
def _aws_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials only, and nothing from the environment may redirect a client."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEMULATORTESTKEY")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "emulator-test-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_WELLARCHITECTED"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[WellArchitectedEmulator]:
    with WellArchitectedEmulator() as emulator:
        yield emulator


@pytest.fixture
def emu(emulator_server: WellArchitectedEmulator) -> WellArchitectedEmulator:
    emulator_server.reset()
    return emulator_server


@pytest.fixture(scope="session")
def client_cache() -> dict[str | None, WellArchitectedClient]:
    return {}


@pytest.fixture
def client_for(emu: WellArchitectedEmulator, client_cache: dict[str | None, WellArchitectedClient]) -> ClientFor:
    """A client whose access key names the account (None: the default account); one attempt, no retries."""

    def make(account: str | None = None) -> WellArchitectedClient:
        if account not in client_cache:
            client: WellArchitectedClient = boto3.client(
                "wellarchitected",
                endpoint_url=emu.url,
                region_name="us-east-1",
                aws_access_key_id=f"AKIATEST{account}" if account else "AKIAEMULATORTESTKEY",
                aws_secret_access_key="emulator-test-secret",
                config=Config(retries={"total_max_attempts": 1}),
            )
            client_cache[account] = client
        return client_cache[account]

    return make


@pytest.fixture
def wa(client_for: ClientFor) -> WellArchitectedClient:
    """The lens owner's client (default account)."""
    return client_for(None)


@pytest.fixture
def peer(client_for: ClientFor) -> WellArchitectedClient:
    return client_for(PEER)


@pytest.fixture
def refused() -> Refused:
    """Runs a call that must fail; checks the error code and HTTP status, returns the parsed response."""

    def check(call: Callable[[], object], code: str, status: int) -> dict[str, Any]:
        with pytest.raises(ClientError) as caught:
            call()
        response: dict[str, Any] = dict(caught.value.response)
        assert (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]) == (code, status)
        assert response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-errortype"] == code
        return response

    return check


@pytest.fixture(params=KINDS, ids=lambda kind: kind.name)
def kind(request: pytest.FixtureRequest) -> Kind:
    """Each shareable kind in turn: LENS, PROFILE, TEMPLATE, WORKLOAD."""
    chosen: Kind = request.param
    return chosen
