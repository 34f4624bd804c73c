"""The events handlers over fakes of the service's own storage interfaces: no broker, no database."""

from __future__ import annotations

import pytest
from testkit.events_fakes import World, world_of

from shared.qr_tokens import generate_keypair


@pytest.fixture(scope="session")
def qr_pair() -> tuple[str, str]:
    return generate_keypair()


@pytest.fixture
def world(qr_pair: tuple[str, str]) -> World:
    return world_of(qr_pair)
