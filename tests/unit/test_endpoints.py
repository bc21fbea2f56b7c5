"""The provider reaches AWS only where the standard endpoint settings point, never a hard-coded endpoint."""

from __future__ import annotations

import pytest

from lens_share import services


def test_the_service_specific_endpoint_setting_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1111")
    monkeypatch.setenv("AWS_ENDPOINT_URL_WELLARCHITECTED", "http://127.0.0.1:2222")

    assert services.Environment.load().wellarchitected.meta.endpoint_url == "http://127.0.0.1:2222"


def test_the_global_endpoint_setting_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1111")
    monkeypatch.delenv("AWS_ENDPOINT_URL_WELLARCHITECTED", raising=False)

    assert services.Environment.load().wellarchitected.meta.endpoint_url == "http://127.0.0.1:1111"


def test_without_settings_the_regional_endpoint_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL_WELLARCHITECTED", raising=False)
    monkeypatch.setenv("AWS_REGION", "eu-west-1")

    environment = services.Environment.load()

    assert environment.region == "eu-west-1"
    assert environment.wellarchitected.meta.endpoint_url == "https://wellarchitected.eu-west-1.amazonaws.com"
