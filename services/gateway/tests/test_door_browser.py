"""The door app in Debian's headless Chromium, its camera fed a video of real participants' QR codes.

The platform is real (the four services as processes, on the run's Kafka and MongoDB, with their own topics
and databases so that the attendance made here never reaches another test's programme figures); the app is
served by a second gateway in this process, with a low per-key rate so that uploading a backlog meets real 429s.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import BrowserContext, Page, Response, async_playwright, expect
from testkit.browser import CHROMIUM, CHROMIUM_ARGS, artifacts_dir, camera_args, needs_chromium
from testkit.fault_traffic import new_partner
from testkit.gateway_kit import ServerThread, bearer
from testkit.private_platform import PrivatePlatform, platform_on_shared_infra
from testkit.qr_video import write_y4m
from testkit.registration_bodies import participant_body

from gateway.app import create_app
from gateway.config import GatewaySettings
from pulse_local import platform
from shared.qr_tokens import QrClaims, load_private_key, sign

pytestmark = [pytest.mark.e2e, needs_chromium]
PHONE = {"width": 360, "height": 740}
PEOPLE = 20
WAIT_MS = 30_000  # bound of each wait for something the page shows
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"  # one column at 360 px


@dataclass(frozen=True)
class Event:
    id: str
    title: str
    partner_id: str
    partner_key: str


@dataclass(frozen=True)
class Door:
    """The real platform, a partner with registered participants and their QR tokens, and the door's gateway."""

    api: httpx.AsyncClient  # the platform's own gateway, as the test's admin and partner
    admin_key: str
    tokens: list[str]  # issued by the registration service, one per participant
    private_key: str  # the platform's QR signing key, to forge tokens of another programme
    url: str  # the door app's gateway

    async def new_event(self) -> Event:
        """An event running now, of a partner of its own, so that its attendance is this test's alone."""
        partner_id, partner_key, _ = await new_partner(self.api, self.admin_key, events=0)
        starts = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
        body = {
            "title": f"Flood resilience training {uuid.uuid4().hex[:4]}",
            "kind": "training",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=3)).isoformat(),
            "nation": "wales",
            "venue": "Aberystwyth Arts Centre",
        }
        created = await self.api.post("/v1/events", json=body, headers=bearer(partner_key))
        assert created.status_code == 201, created.text
        return Event(created.json()["id"], body["title"], partner_id, partner_key)

    async def setup_link(self, event: Event) -> str:
        expires = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
        made = await self.api.post(
            f"/v1/events/{event.id}/checkin-keys",
            json={"expires_at": expires},
            headers=bearer(event.partner_key),
        )
        assert made.status_code == 201, made.text
        return f"{self.url}/door/#event={event.id}&key={made.json()['key']}"

    def forged(self, **claims: Any) -> str:
        """A correctly signed token with other claims (what another programme's registration would issue)."""
        genuine = _claims_of(self.tokens[2])
        return sign(QrClaims(**{**genuine, **claims}), load_private_key(self.private_key))


def _claims_of(token: str) -> dict[str, Any]:
    body = token.split(".")[0]
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return claims


def tampered(token: str) -> str:
    """The same signature over a payload naming someone else."""
    claims = _claims_of(token)
    claims["pid"] = claims["pid"][:-1] + ("0" if claims["pid"][-1] != "0" else "1")
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{body}.{token.split('.')[1]}"


def door_gateway_settings(env: dict[str, str], **overrides: Any) -> GatewaySettings:
    """A second gateway of the running platform: its environment, with these overrides."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        return GatewaySettings(**overrides)


@pytest.fixture(scope="module")
def door_platform(
    infra: platform.Infra, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PrivatePlatform]:
    with platform_on_shared_infra(tmp_path_factory.mktemp("door-platform"), infra) as running:
        yield running


@pytest.fixture(scope="module")
def door_gateway(door_platform: PrivatePlatform) -> Iterator[ServerThread]:
    # 4 requests a second per key with a burst of 4: a 20-check-in backlog meets 429s on its way up.
    settings = door_gateway_settings(door_platform.env, rate_per_key=4.0, burst_per_key=4.0)
    with ServerThread(create_app(settings)) as server:
        yield server


@pytest.fixture(scope="module")
async def door(door_platform: PrivatePlatform, door_gateway: ServerThread) -> AsyncIterator[Door]:
    admin, env = door_platform.admin_key, door_platform.env
    async with httpx.AsyncClient(base_url=door_platform.gateway_url, timeout=30) as api:
        _, partner_key, _ = await new_partner(api, admin, events=0)
        people = [participant_body() for _ in range(PEOPLE)]
        batch = await api.post(
            "/v1/participants:batch", json={"participants": people}, headers=bearer(partner_key)
        )
        assert batch.status_code == 200, batch.text
        tokens = []
        for result in batch.json()["results"]:
            issued = await api.get(f"/v1/participants/{result['id']}/qr", headers=bearer(partner_key))
            assert issued.status_code == 200, issued.text
            tokens.append(issued.json()["token"])
        yield Door(api, admin, tokens, env["PULSE_QR_PRIVATE_KEY"], door_gateway.url)


@asynccontextmanager
async def phone(profile: Path, video: Path) -> AsyncIterator[tuple[BrowserContext, Page]]:
    """A phone-sized Chromium whose camera plays `video`; the profile (storage, service worker) persists."""
    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS + camera_args(video),
            viewport=PHONE,
            device_scale_factor=1,
            is_mobile=True,
            has_touch=True,
        )
        try:
            page = context.pages[0] if context.pages else await context.new_page()
            yield context, page
        finally:
            await context.close()


async def answered(page: Page, state: str, screenshot: str | None = None) -> None:
    """Wait for an answer on screen, and keep a phone-sized picture of it."""
    await expect(page.locator("#result")).to_have_attribute("data-state", state, timeout=WAIT_MS)
    if screenshot:
        await page.screenshot(path=str(artifacts_dir() / screenshot))


async def test_set_up_by_scanning_then_each_code_gets_its_answer(door: Door, tmp_path: Path) -> None:
    event = await door.new_event()
    valid, forged_pid = door.tokens[0], door.tokens[1]
    video = tmp_path / "camera.y4m"
    async with phone(tmp_path / "profile", video) as (_, page):
        # The organiser makes the set-up code on the set-up page with their partner key.
        await page.goto(f"{door.url}/door/setup?event={event.id}")
        await page.get_by_label("Your partner (or admin) API key").fill(event.partner_key)
        await page.get_by_role("button", name="Make the set-up code").click()
        await expect(page.locator("#qr svg")).to_be_visible(timeout=WAIT_MS)
        link = await page.locator("#setup-link").text_content()
        assert link is not None
        assert link.startswith(f"{door.url}/door/#event={event.id}&key=pk_")
        await page.screenshot(path=str(artifacts_dir() / "door-setup-code.png"), full_page=True)
        assert await page.evaluate(NO_SIDEWAYS_SCROLL)

        # The door device scans it, then participants' codes: valid, the same again, forged and expired ones.
        write_y4m(
            video,
            [
                (link, 2.0),
                (None, 2.0),
                (valid, 1.2),
                (None, 2.0),
                (valid, 1.2),
                (tampered(forged_pid), 1.2),
                (door.forged(prg="another-programme"), 1.2),
                (door.forged(exp=int(time.time()) - 60), 1.2),
                (None, 2.0),
            ],
        )
        await page.goto(f"{door.url}/door/")
        await expect(page.locator("body")).to_have_attribute("data-mode", "scan", timeout=WAIT_MS)
        await expect(page.get_by_role("heading", level=1)).to_have_text(event.title)
        await expect(page.locator("#event-when")).to_contain_text("Aberystwyth Arts Centre")
        await answered(page, "accepted", "door-accepted.png")
        await answered(page, "duplicate", "door-already-checked-in.png")
        await expect(page.locator("#result-detail")).to_contain_text("First checked in at")
        await answered(page, "invalid", "door-not-valid.png")
        await answered(page, "other-programme", "door-other-programme.png")
        await answered(page, "expired", "door-expired.png")

        recent = page.locator("#recent li")
        await expect(recent.and_(page.locator('[data-state="accepted"]'))).to_have_count(1)
        await expect(page.locator("#count")).to_have_text("1 checked in here", timeout=WAIT_MS)
        await expect(page.locator("#queue")).to_have_text("0 waiting to upload")
        await expect(page.locator("#result")).to_have_attribute("aria-live", "assertive")
        assert await page.evaluate(NO_SIDEWAYS_SCROLL)


class UploadLog:
    """Every check-in upload the page made: its checkin_id, answer and browser-side timing."""

    def __init__(self) -> None:
        self.answers: list[tuple[str, int, float, float, float]] = []

    async def record(self, response: Response) -> None:
        request = response.request
        if request.method != "POST" or not request.url.endswith("/checkins"):
            return
        await response.finished()
        timing = request.timing
        # The page has the answer (and its Retry-After) when the headers arrive, before the body has ended.
        ended = timing["startTime"] + max(timing["responseStart"], 0)
        retry_after = float(response.headers.get("retry-after", "0"))
        body = request.post_data_json
        self.answers.append((body["checkin_id"], response.status, timing["startTime"], ended, retry_after))


async def test_offline_scans_queue_survive_a_reload_and_upload_once_through_429s(
    door: Door, tmp_path: Path
) -> None:
    event = await door.new_event()
    link = await door.setup_link(event)
    profile, video = tmp_path / "profile", tmp_path / "camera.y4m"
    write_y4m(video, [(None, 1.0)])
    async with phone(profile, video) as (_, page):
        await page.goto(link)  # set up by opening the link, online; the service worker caches the app
        await expect(page.locator("body")).to_have_attribute("data-mode", "scan", timeout=WAIT_MS)
        assert await page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    write_y4m(video, [(None, 1.0), *[(token, 0.8) for token in door.tokens], (None, 1.0)])
    log = UploadLog()
    async with phone(profile, video) as (context, page):
        await context.set_offline(True)
        await page.goto(f"{door.url}/door/")  # no network: the app opens from its service worker's cache
        await expect(page.locator("#network")).to_have_text("Offline — still checking in")
        queue = page.locator("#queue")
        await expect(queue).to_have_text(f"{PEOPLE} waiting to upload", timeout=60_000)
        await page.screenshot(path=str(artifacts_dir() / "door-offline-queue.png"))
        scanned_by = datetime.now(UTC)

        await page.reload()
        await expect(page.locator("body")).to_have_attribute("data-mode", "scan", timeout=WAIT_MS)
        await expect(queue).to_have_text(f"{PEOPLE} waiting to upload")

        page.on("response", log.record)
        await context.set_offline(False)
        await expect(queue).to_have_text("0 waiting to upload", timeout=60_000)
        await expect(page.locator("#count")).to_have_text(f"{PEOPLE} checked in here", timeout=WAIT_MS)

    uploads = log.answers
    created = [checkin_id for checkin_id, status, *_ in uploads if status == 201]
    statuses = [status for _, status, *_ in uploads]
    assert len(created) == len(set(created)) == PEOPLE, statuses  # each check-in stored exactly once
    assert set(statuses) == {201, 429}, statuses  # no 200: nothing was sent again after it was stored
    for _, status, _, ended, retry_after in uploads:
        if status == 429:
            next_start = min(start for _, _, start, _, _ in uploads if start > ended)
            assert next_start >= ended + retry_after * 1000 - 5, "an upload did not wait for Retry-After"

    # The server holds each participant's first check-in: the device's, at the time it scanned offline.
    for token in door.tokens:
        again = await door.api.post(
            f"/v1/events/{event.id}/checkins", json={"qr_token": token}, headers=bearer(event.partner_key)
        )
        assert again.status_code == 200, again.text
        assert again.json()["checkin_id"] in created
        assert datetime.fromisoformat(again.json()["checked_in_at"]) < scanned_by
    await _counters_show(door, event)


async def _counters_show(door: Door, event: Event) -> None:
    """The gateway's exact counters reach this partner's attendance within a bounded wait."""
    deadline = time.monotonic() + 60
    while True:
        rows = (
            (await door.api.get("/v1/programme/breakdowns?by=partner", headers=bearer(door.admin_key)))
            .json()
            .get("rows", {})
        )
        if rows.get(event.partner_id, {}).get("attendances") == PEOPLE:
            return
        assert time.monotonic() < deadline, (
            f"counters never showed {PEOPLE} attendances: {rows.get(event.partner_id)}"
        )
        await asyncio.sleep(0.5)
