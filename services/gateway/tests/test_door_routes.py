"""The gateway's door routes: the app shell, its service worker, the QR public key and the QR reader's files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import ValidationError
from testkit.gateway_kit import gateway_client

from gateway.config import GatewaySettings
from shared.qr_tokens import generate_keypair


async def test_the_app_its_worker_and_the_public_key_are_served(
    gateway_settings: Callable[..., GatewaySettings],
) -> None:
    public_key = generate_keypair()[1]
    async with gateway_client(gateway_settings(qr_public_key=public_key)) as (_, client):
        page = await client.get("/door/")
        worker = await client.get("/door/sw.js")
        config = await client.get("/door/config.json")
        reader = await client.get("/door/scanner/zxing_reader.wasm")
        module = await client.get("/door/app/tokens.js")

    assert page.status_code == 200
    assert "Pulse Door" in page.text
    assert worker.headers["content-type"].startswith("text/javascript")
    assert "__DOOR_VERSION__" not in worker.text  # stamped, so a changed file installs a new worker
    assert 'const VERSION = "' in worker.text
    assert config.json() == {"qr_public_key": public_key}
    assert (reader.status_code, reader.headers["content-type"]) == (200, "application/wasm")
    assert module.headers["content-type"].startswith("text/javascript")


async def test_without_a_key_or_a_reader_the_gateway_says_what_to_do(
    gateway_settings: Callable[..., GatewaySettings], tmp_path: Path
) -> None:
    async with gateway_client(gateway_settings(door_scanner_dir=tmp_path / "missing")) as (_, client):
        config = await client.get("/door/config.json")
        reader = await client.get("/door/scanner/reader.js")
        other = await client.get("/door/scanner/..%2F..%2Fpackage.json")

    assert config.status_code == 503
    assert "PULSE_QR_PUBLIC_KEY" in config.json()["detail"]
    assert reader.status_code == 404
    assert "make door" in reader.json()["detail"]
    assert other.status_code == 404


def test_a_qr_public_key_that_is_not_one_stops_the_gateway_at_start(
    gateway_settings: Callable[..., GatewaySettings],
) -> None:
    with pytest.raises(ValidationError, match="PULSE_QR_PUBLIC_KEY"):
        gateway_settings(qr_public_key="CHANGE-ME-make-keys")
