"""The gateway app served alone for `bench/gateway_reads_ab.py`: its parts set by hand, no Kafka or MongoDB.

The app is the service's own (`gateway.app.create_app`: routes, middleware, logging as shipped); only its
lifespan is replaced by what a counters read needs, a snapshot in the hub. Imported by uvicorn with
`PYTHONPATH` naming the code to measure, so it uses only what older versions of the gateway also have.
"""

from __future__ import annotations

import dataclasses
import gc
import inspect

from fastapi import FastAPI

from gateway.app import create_app as create_gateway_app
from gateway.config import GatewaySettings
from gateway.context import GatewayContext
from gateway.handlers.live_counters import SnapshotHub
from shared.contracts.counters import CountersSnapshot, ProgrammeFigures
from shared.contracts.identity import PUBLIC, Principal
from shared.runtime.heap import freeze_long_lived
from shared.runtime.logging import configure_logging

ADMIN_KEY = "bench-admin-key-" + "0" * 16
PRINCIPAL_KEY = "A" * 43  # any 32 bytes: the key signs nothing here (older gateways ignore the setting)


class _KeylessReads:
    """What the counters read asks of the authenticator: no key, so the public, without the database."""

    async def principal(self, authorization: str | None, client_address: str) -> Principal:
        assert authorization is None, "this app serves reads without a key only"
        return PUBLIC


def _figures(programme_id: str) -> ProgrammeFigures:
    return ProgrammeFigures(
        programme_id=programme_id,
        trainees_trained=1500,
        students_reached=15000,
        events_delivered=170,
        attendances=40000,
        leaders=75,
        leader_organisations=23,
        shares={},
        breakdowns={},
        targets={},
        disclosure_controlled=False,
        updated_at=None,
    )


def create_app() -> FastAPI:
    settings = GatewaySettings(admin_key=ADMIN_KEY, principal_private_key=PRINCIPAL_KEY)
    app = create_gateway_app(settings)
    hub = SnapshotHub()
    figures = _figures(settings.programme_id)
    hub.publish(CountersSnapshot(programme_id=settings.programme_id, seq=1, exact=figures, public=figures))
    # No keys, upstreams, webhooks or idempotency: reads only. Older versions have fewer parts.
    parts = [settings, None, _KeylessReads(), None, hub]
    parts += [None] * (len(dataclasses.fields(GatewayContext)) - len(parts))
    app.state.context = GatewayContext(*parts)
    if "access_log" in inspect.signature(configure_logging).parameters:
        configure_logging(settings.service_name, settings.log_level, settings.access_log)
    else:
        configure_logging(settings.service_name, settings.log_level)
    gc.collect()
    freeze_long_lived()
    return app
