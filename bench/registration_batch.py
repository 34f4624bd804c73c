"""Participants per second for one 10,000-participant batch (and its retry) against KAFKA_BOOTSTRAP / MONGO_URL.

Run: KAFKA_BOOTSTRAP=... MONGO_URL=... .venv/bin/python bench/registration_batch.py
"""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from testkit import principals
from testkit.registration_bodies import participant_body, partner_headers
from testkit.registration_harness import new_partner, running

from registration.config import RegistrationSettings
from shared.mongo.client import make_mongo_client

N = 10_000


async def main() -> None:
    name = f"bench{uuid.uuid4().hex[:8]}"
    settings = RegistrationSettings(
        mongo_db=name,
        topic_prefix=f"{name}.",
        topic_partitions=1,
        principal_public_key=principals.PUBLIC_KEY,  # partner_headers signs with the test pair
    )
    bodies = [participant_body(partner_ref=f"b{n}") for n in range(N)]
    try:
        await _run(settings, bodies)
    finally:
        client = make_mongo_client(settings.mongo_url)
        await client.drop_database(name)
        await client.close()


async def _run(settings: RegistrationSettings, bodies: list[dict[str, object]]) -> None:
    async with running(settings) as api:
        headers = partner_headers(await new_partner(api))
        for label in ("first", "retry"):
            started = time.perf_counter()
            response = await api.post(
                "/v1/participants:batch", json={"participants": bodies}, headers=headers
            )
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, response.text
            print(f"{label}: {N} participants in {elapsed:.2f}s = {N / elapsed:,.0f} participants/s")


if __name__ == "__main__":
    asyncio.run(main())
