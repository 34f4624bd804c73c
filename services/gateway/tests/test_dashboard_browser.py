"""The dashboard in a real headless Chromium (Debian's, driven by Playwright; no browser download)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from playwright.async_api import async_playwright, expect
from testkit.browser import CHROMIUM, CHROMIUM_ARGS, artifacts_dir, needs_chromium
from testkit.gateway_kit import CountersPublisher, ServerThread, free_port, snapshot

from gateway.app import create_app
from gateway.config import GatewaySettings
from metrics.app import create_app as create_metrics_app
from metrics.config import MetricsSettings

pytestmark = needs_chromium


@pytest.fixture
def artifacts() -> Path:
    return artifacts_dir()


async def test_dashboard_shows_counters_that_change_live(
    gateway_settings: Callable[..., GatewaySettings], artifacts: Path
) -> None:
    settings = gateway_settings()
    publisher = CountersPublisher(settings)
    await publisher.start()
    await publisher.publish(snapshot(seq=1, trainees=412))
    try:
        with ServerThread(create_app(settings)) as server:
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                try:
                    page = await browser.new_page(viewport={"width": 1280, "height": 1000})
                    await page.goto(server.url + "/")
                    await expect(page).to_have_title("Programme Pulse — RESILIENCE")
                    trainees = page.locator('[data-counter="trainees_trained"] .value')
                    await expect(trainees).to_have_text("412", timeout=30_000)
                    await expect(page.locator("#connection")).to_have_text("Live")

                    await publisher.publish(snapshot(seq=2, trainees=1234))
                    await expect(trainees).to_have_text("1,234", timeout=30_000)
                    await expect(page.locator('[data-counter="students_reached"] .value')).to_have_text(
                        "11,109"
                    )
                    await expect(page.get_by_text("1,234 of 1,500 (82.3%)")).to_be_visible()
                    await expect(page.get_by_role("progressbar")).to_have_count(4)
                    # Partners by name, never by id.
                    partners = page.locator("#breakdown-partner tbody th")
                    await expect(partners).to_have_text(
                        ["University College London", "Teesside University", "Heriot-Watt University"]
                    )
                    # Suppressed public cells say so in words, never as a number.
                    await expect(
                        page.locator("#breakdown-partner").get_by_text("fewer than 5")
                    ).to_be_visible()
                    await expect(page.locator("#counters")).to_have_attribute("aria-live", "polite")
                    for landmark in ("banner", "main", "contentinfo"):
                        await expect(page.get_by_role(landmark)).to_have_count(1)
                    await page.screenshot(path=str(artifacts / "dashboard.png"), full_page=True)

                    await page.set_viewport_size({"width": 375, "height": 800})
                    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                    assert overflow <= 0  # readable on a phone without sideways scrolling
                    await page.screenshot(path=str(artifacts / "dashboard-phone.png"), full_page=True)
                finally:
                    await browser.close()
    finally:
        await publisher.stop()


async def test_dashboard_shows_the_statement_and_trend_charts_metrics_draws(
    gateway_settings: Callable[..., GatewaySettings], artifacts: Path
) -> None:
    """The gateway in front of a real metrics service on the same topics: metrics follows the published
    counters (it merges another programme of its own) and draws the statement and charts shown."""
    port = free_port()
    settings = gateway_settings(metrics_url=f"http://127.0.0.1:{port}")
    metrics_settings = MetricsSettings(
        kafka_bootstrap=settings.kafka_bootstrap,
        mongo_url=settings.mongo_url,
        topic_prefix=settings.topic_prefix,
        mongo_db=f"{settings.mongo_db}m",
        topic_partitions=1,
        programme_id="other",
        targets={},
    )
    publisher = CountersPublisher(settings)
    await publisher.start()
    published = snapshot(seq=1, trainees=412)
    await publisher.publish(published)
    try:
        with (
            ServerThread(create_metrics_app(metrics_settings), port=port),
            ServerThread(create_app(settings)) as server,
        ):
            async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
                for _ in range(300):  # metrics has read the counters topic
                    if (await client.get("/v1/programme/statement")).status_code == 200:
                        break
                    await asyncio.sleep(0.1)
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                try:
                    page = await browser.new_page(viewport={"width": 1280, "height": 1000})
                    await page.goto(server.url + "/")
                    await expect(page.locator("#statement")).to_contain_text(
                        "412 trainees attended industry training, and 3,711 students took part across 42 events.",
                        timeout=30_000,
                    )
                    chart = page.locator('#trend-charts img[data-chart="trainees_trained"]')
                    await expect(chart).to_have_attribute("alt", re.compile("Trainees trained by the end"))
                    await page.wait_for_function(
                        "document.querySelector('img[data-chart=\"trainees_trained\"]').naturalWidth > 0",
                        timeout=30_000,
                    )
                    svg = await page.evaluate(
                        "async (src) => (await fetch(src)).text()", await chart.get_attribute("src")
                    )
                    points = [
                        int(v.replace(",", ""))
                        for v in re.findall(r'<desc class="value">([^<]*)</desc>', svg)
                    ]
                    reach = published.public.reach_by_month
                    assert (
                        points
                        == [reach["2026-02"]["trainees_trained"], reach["2026-03"]["trainees_trained"]]
                        + [published.public.targets["trainees_trained"].target] * 2
                    )
                    rows = page.locator("#trend-table tbody tr")
                    await expect(rows.locator("th")).to_have_text(["February 2026", "March 2026"])
                    await expect(rows.nth(1).locator("td").first).to_have_text("412")
                    await expect(page.locator('#breakdown-charts img[data-chart="nation"]')).to_have_count(1)
                    await chart.scroll_into_view_if_needed()
                    await chart.screenshot(path=str(artifacts / "dashboard-trend.png"))
                finally:
                    await browser.close()
    finally:
        await publisher.stop()
