"""The running service on the real broker and database: exact live counters, snapshots, API, rebuild."""

from __future__ import annotations

import asyncio
import json
import random
from datetime import UTC, datetime

import pytest
from testkit.facts import expected_figures, generate_programme
from testkit.kafka_reading import read_all
from testkit.metrics_kit import produce, running, wait_for_figures

from metrics.config import MetricsSettings
from metrics.domain.disclosure import ROUND_5, public_figures
from metrics.rebuild import rebuild
from shared.contracts.counters import ProgrammeFigures

pytestmark = pytest.mark.integration


def timeless(figures: ProgrammeFigures) -> ProgrammeFigures:
    return figures.model_copy(update={"updated_at": None})


async def test_live_counters_are_exact_and_public_ones_rounded(metrics_settings: MetricsSettings) -> None:
    programme = generate_programme(random.Random(11), participants=60, events=10, attendances=400)
    await produce(metrics_settings, programme.messages)
    # Public releases as soon as anything changes, so the public figures catch up with the exact ones here
    settings = metrics_settings.model_copy(
        update={"public_release_interval_s": 0, "public_release_min_attendances": 1}
    )

    async with running(settings) as (_, client):
        exact = await wait_for_figures(client, expected_figures(programme))
        public = (await client.get("/v1/programme/counters")).json()
        breakdown = (await client.get("/v1/programme/breakdowns", params={"by": "partner"})).json()
        targets = (await client.get("/v1/programme/targets")).json()
        lag_line = f'pulse_kafka_consumer_lag{{group="{metrics_settings.consumer_group}"'
        for _ in range(100):  # exported once the batch that made the figures is committed
            lag = (await client.get("/metrics")).text
            if lag_line in lag:
                break
            await asyncio.sleep(0.1)
        report_csv = await client.get("/v1/programme/report", params={"format": "csv"})
        report_page = await client.get("/v1/programme/report")
        pdfs = [(await client.get("/v1/programme/report", params={"format": "pdf"})) for _ in range(2)]
        statement = (await client.get("/v1/programme/statement")).json()

    small_cells = [
        v for rows in exact.breakdowns.values() for row in rows.values() for v in row.values() if 0 < v < 5
    ]
    assert small_cells, "the generated programme has small breakdown cells"
    expected_public = public_figures(exact, ROUND_5, exact.updated_at or datetime.now(UTC))
    assert {**public, "updated_at": None} == {**expected_public.model_dump(mode="json"), "updated_at": None}
    assert public["disclosure_controlled"] is True
    assert exact.disclosure_controlled is False
    assert public["attendances"] == ROUND_5.rounded(exact.attendances)
    assert (breakdown["by"], breakdown["programme_id"]) == ("partner", "resilience")
    assert breakdown["rows"] == public["breakdowns"]["partner"]
    assert targets["targets"]["events_delivered"] == {
        "target": 170,
        "actual": ROUND_5.rounded(exact.events_delivered),
        "percent": round(100 * ROUND_5.rounded(exact.events_delivered) / 170, 1),
    }
    assert lag_line in lag
    assert report_csv.headers["content-type"].startswith("text/csv")
    assert f"headline,,,attendances,{ROUND_5.rounded(exact.attendances)}\n" in report_csv.text
    assert "breakdown:" in report_csv.text
    assert "disclosure,,,rounded_to_nearest,5\n" in report_csv.text
    assert report_page.headers["content-type"].startswith("text/html")
    assert "rounded to the nearest 5" in report_page.text
    # Partners by name (the latest after a rename), keys still their ids; public figures too.
    assert exact.partner_names == public["partner_names"] == programme.partner_names
    assert breakdown["names"] == {key: programme.partner_names[key] for key in breakdown["rows"]}
    assert "Teesside University" in report_page.text
    assert "(old name)" not in report_page.text
    assert ",teesside,Teesside University,attendances," in report_csv.text
    assert pdfs[0].headers["content-type"] == "application/pdf"
    assert pdfs[0].content.startswith(b"%PDF")
    assert pdfs[1].content == pdfs[0].content
    assert statement["disclosure_controlled"] is True
    assert statement["figures"]["attendances"] == public["attendances"]


async def test_snapshot_on_the_counters_topic_matches_the_counters_and_rebuild_reproduces_them(
    metrics_settings: MetricsSettings,
) -> None:
    programme = generate_programme(random.Random(12), participants=200, events=12, attendances=1500)
    await produce(metrics_settings, programme.messages)

    async with running(metrics_settings) as (_, client):
        live = await wait_for_figures(client, expected_figures(programme))
        await asyncio.sleep(1)  # lets the coalesced snapshot of the final figures go out
        records = await read_all(metrics_settings.kafka_bootstrap, metrics_settings.topics.counters, 1)
        await asyncio.sleep(0.5)
        records = await read_all(
            metrics_settings.kafka_bootstrap, metrics_settings.topics.counters, len(records)
        )

    latest = json.loads(records[-1].value)
    assert records[-1].key == b"resilience"
    assert latest["type"] == "pulse.counters.snapshot.v1"
    assert timeless(ProgrammeFigures.model_validate(latest["data"]["exact"])) == timeless(live)
    assert latest["data"]["public"]["disclosure_controlled"] is True
    assert len(records) < len(programme.messages) / 100, "snapshots are coalesced, not one per message"

    rebuilt = await rebuild(metrics_settings)
    assert timeless(rebuilt["resilience"]) == timeless(live)
    assert live.partner_names == programme.partner_names


async def test_unknown_programme_and_bad_query_are_refused(metrics_settings: MetricsSettings) -> None:
    async with running(metrics_settings) as (_, client):
        await wait_for_figures(
            client,
            expected_figures(generate_programme(random.Random(1), attendances=0, participants=0, events=0)),
        )
        unknown = await client.get("/v1/programme/counters", params={"programme_id": "nope"})
        bad_by = await client.get("/v1/programme/breakdowns", params={"by": "colour"})
        bad_id = await client.get("/v1/programme/counters", params={"programme_id": "x" * 65})

    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    assert (bad_by.status_code, bad_id.status_code) == (422, 422)
