"""The dashboard in a real headless Chromium (Debian's, driven by Playwright; no browser download)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.async_api import async_playwright, expect
from testkit.browser import CHROMIUM, CHROMIUM_ARGS, artifacts_dir, needs_chromium
from testkit.gateway_kit import CountersPublisher, ServerThread, snapshot

from gateway.app import create_app
from gateway.config import GatewaySettings

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
