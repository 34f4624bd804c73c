"""The registration handlers over fakes of the service's own storage interfaces: no broker, no database."""

from __future__ import annotations

import pytest
from testkit.registration_fakes import World, world_of


@pytest.fixture
def world() -> World:
    return world_of()
