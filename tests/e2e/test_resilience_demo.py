"""The whole platform as separate processes, fed a scaled-down RESILIENCE through the public API only."""

from __future__ import annotations

import asyncio
from fractions import Fraction

import httpx
import pytest
from testkit.browser import artifacts_dir

from metrics.domain.disclosure import ROUND_5
from pulse_demo.expected import expected_figures
from pulse_demo.loader import Loader
from pulse_demo.programme import Shape, generate
from pulse_local import platform

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]


def half_up(part: int, whole: int) -> int:
    return int(Fraction(100 * part, whole) + Fraction(1, 2))


async def test_the_gateway_shows_exactly_the_planned_figures(
    running_platform: tuple[platform.Layout, dict[str, str]],
) -> None:
    layout, env = running_platform
    programme = generate(Shape().scaled(0.05), seed=11)
    expected = expected_figures(programme)

    async with (
        httpx.AsyncClient(base_url=layout.url("gateway"), timeout=120) as client,
        Loader(layout.url("gateway"), env["PULSE_ADMIN_KEY"], door_scans_per_event=12) as loader,
    ):
        await loader.load(programme)  # its progress is printed, shown when the test fails
        exact = await loader.wait_for_counters(expected.counters["attendances"], timeout_s=240)
        # Public figures are every count rounded to the nearest 5, released within seconds here
        rounded = {name: ROUND_5.rounded(value) for name, value in expected.counters.items()}
        for _ in range(60):
            public = (await client.get("/v1/programme/counters")).json()
            if {name: public[name] for name in expected.counters} == rounded:
                break
            await asyncio.sleep(0.5)
        admin = {"Authorization": f"Bearer {env['PULSE_ADMIN_KEY']}"}
        statement = (await client.get("/v1/programme/statement", headers=admin)).json()
        public_statement = (await client.get("/v1/programme/statement", params={"format": "text"})).text
        pdf = await client.get("/v1/programme/report", params={"format": "pdf"}, headers=admin)

    # The statement an admin reads says the exact figures; the public one says it is rounded.
    leaders = expected.counters["leaders"]
    shares = expected.shares["leaders"]
    assert statement["figures"] == {
        **expected.counters,
        "women_percent_of_leaders": half_up(shares["gender"].get("female", 0), leaders),
        "minority_percent_of_leaders": half_up(shares["ethnic_minority"].get("yes", 0), leaders),
    }
    c = expected.counters
    assert (
        f"{c['trainees_trained']:,} trainees attended industry training, and {c['students_reached']:,} students "
        f"took part across {c['events_delivered']:,} events."
    ) in statement["text"]
    assert (
        f"{c['leaders']:,} future leaders from {c['leader_organisations']:,} organisations"
        in statement["text"]
    )
    assert not statement["disclosure_controlled"]
    assert "every count is rounded to the nearest 5" in public_statement
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    (artifacts_dir() / "e2e-report.pdf").write_bytes(pdf.content)

    assert {name: exact[name] for name in expected.counters} == expected.counters
    assert {name: public[name] for name in expected.counters} == rounded
    assert public["disclosure_controlled"]
    assert not exact["disclosure_controlled"]
    for population, dimensions in expected.shares.items():
        for dimension, counts in dimensions.items():
            shown = exact["shares"][population][dimension]
            assert {c: s["count"] for c, s in shown.items() if s["count"]} == counts, (population, dimension)
            assert sum(s["percent"] for s in shown.values()) == pytest.approx(100, abs=0.5)
    partner_keys = {pid: key for key, pid in loader.ids.partners.items()}
    by_partner = {partner_keys[k]: row["attendances"] for k, row in exact["breakdowns"]["partner"].items()}
    assert by_partner == expected.attendances_by["partner"]
    # Partners by their names in the figures (ids stay the keys), public ones included.
    names = {loader.ids.partners[key]: name for key, name in programme.partners}
    # (The session's platform is shared with tests that add partners of their own, which carry no attendance.)
    assert {pid: exact["partner_names"].get(pid) for pid in names} == names
    assert {pid: public["partner_names"].get(pid) for pid in names} == names
    for by in ("nation", "kind", "month"):
        shown = {k: row["attendances"] for k, row in exact["breakdowns"][by].items() if row["attendances"]}
        assert shown == expected.attendances_by[by], by

    tally = loader.tally.statuses
    assert tally["door-rescan:repeat"] > 0
    assert tally["door-rescan:new"] == 0
    assert tally["offline-resend:repeat"] == 5
    assert tally["attendance-retry:duplicate"] > 0
    assert tally["registration-retry:unchanged"] > 0
