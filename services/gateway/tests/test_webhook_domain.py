"""Pure webhook rules: signatures, ids, retry delays, milestones, who is sent what, which URLs."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from testkit.gateway_kit import snapshot
from testkit.webhook_receiver import Hit, verify

from gateway.domain.milestones import MilestoneState, reached
from gateway.domain.webhook_notices import milestone_notice, notice_of
from gateway.domain.webhook_retries import Outcome, retry_delay
from gateway.domain.webhook_urls import url_problem
from gateway.domain.webhooks import Endpoint, Notice, message_id, signature, signatures, wants
from shared.contracts.envelope import new_event
from shared.contracts.payloads import PARTICIPANT_REGISTERED, ParticipantChanged
from shared.contracts.webhooks import MILESTONE_REACHED

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
# The Standard Webhooks test vector, which its reference libraries reproduce.
VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY = "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, b'{"test": 2432232314}'
VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def endpoint(**overrides: object) -> Endpoint:
    values: dict[str, object] = {
        "id": "whk_1",
        "partner_id": "pA",
        "programme_id": "resilience",
        "url": "https://hooks.example.org/",
        "event_types": (PARTICIPANT_REGISTERED, MILESTONE_REACHED),
        "description": None,
        "enabled": True,
        "secret": VECTOR_SECRET,
        "created_at": NOW,
        "updated_at": NOW,
    }
    values.update(overrides)
    return Endpoint(**values)  # type: ignore[arg-type]


def registered(partner_id: str = "pA", at: datetime = NOW, event_id: str | None = None) -> Notice:
    fact = ParticipantChanged(
        participant_id="p1",
        programme_id="resilience",
        partner_id=partner_id,
        version=1,
        role="trainee",
        gender="female",
        consent_data_processing=True,
        consent_demographics=True,
    )
    event = new_event(
        source="/registration", type=PARTICIPANT_REGISTERED, subject="p1", data=fact, time=at, id=event_id
    )
    return notice_of(event, fact)


def test_signatures_reproduce_the_standard_webhooks_test_vector() -> None:
    assert signature(VECTOR_SECRET, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY) == VECTOR_SIGNATURE
    # The tests' own verifier, which checks every delivery, accepts the vector too.
    hit = Hit(
        "/",
        {
            "webhook-id": VECTOR_ID,
            "webhook-timestamp": str(VECTOR_TIMESTAMP),
            "webhook-signature": VECTOR_SIGNATURE,
        },
        VECTOR_BODY,
    )
    verify(VECTOR_SECRET, hit, tolerance_s=float("inf"))
    with pytest.raises(AssertionError):
        verify("whsec_" + "A" * 32, hit, tolerance_s=float("inf"))


def test_a_rotated_secret_signs_beside_the_new_one_until_its_grace_ends() -> None:
    rotated = endpoint(
        secret="whsec_" + "B" * 32, previous_secret=VECTOR_SECRET, previous_until=NOW + timedelta(hours=1)
    )
    both = signatures(rotated.secrets_at(NOW), VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY).split(" ")
    assert len(both) == 2
    assert both[1] == VECTOR_SIGNATURE
    assert len(rotated.secrets_at(NOW + timedelta(hours=2))) == 1


def test_a_notice_is_thin_and_its_id_is_stable_and_free_of_dots() -> None:
    first, again = registered(event_id="f.1"), registered(event_id="f.1")
    assert first.id == again.id == message_id("/registration\nf.1")
    assert "." not in first.id
    assert b"female" not in first.body
    assert b"consent" not in first.body


def test_an_endpoint_is_sent_its_own_partners_subscribed_changes_made_after_it_was_created() -> None:
    hook = endpoint()
    assert wants(hook, registered())
    assert not wants(hook, registered(partner_id="pB"))
    assert not wants(hook, registered(at=NOW - timedelta(seconds=1)))
    assert not wants(endpoint(enabled=False), registered())
    assert not wants(endpoint(event_types=(MILESTONE_REACHED,)), registered())
    milestone = milestone_notice(
        "resilience", reached(MilestoneState(), snapshot(1, 12).public, 10)[1][0], NOW
    )
    assert wants(hook, milestone)
    assert not wants(endpoint(programme_id="other"), milestone)


def test_retries_back_off_with_jitter_then_give_up() -> None:
    schedule, rng = [5.0, 30.0, 120.0], random.Random(7)
    failed = Outcome(status_code=500)
    for n, scheduled in enumerate(schedule, start=1):
        delay = retry_delay(schedule, n, failed, rng)
        assert delay is not None
        assert scheduled * 0.8 <= delay <= scheduled * 1.2
    assert retry_delay(schedule, 4, failed, rng) is None
    assert retry_delay(schedule, 1, Outcome(status_code=410), rng) is None  # Gone: no more
    asked = retry_delay(schedule, 1, Outcome(status_code=503, retry_after_s=90), rng)
    assert asked == 90
    assert retry_delay(schedule, 1, Outcome(status_code=429, retry_after_s=10**6), rng) == 3600


def test_a_milestone_is_told_once_and_a_jump_tells_the_highest() -> None:
    state, found = reached(MilestoneState(), snapshot(1, trainees=35).public, 10)
    assert [(m.counter, m.milestone) for m in found if m.counter == "trainees_trained"] == [
        ("trainees_trained", 30)
    ]
    assert reached(state, snapshot(2, trainees=35).public, 10)[1] == []
    state, _ = reached(state, snapshot(3, trainees=5).public, 10)  # figures may fall (a cancelled event)
    assert [
        m for m in reached(state, snapshot(4, trainees=39).public, 10)[1] if m.counter == "trainees_trained"
    ] == []
    _, at_target = reached(state, snapshot(5, trainees=1500).public, 1000)
    assert ("trainees_trained", "target", 1500) in [(m.counter, m.kind, m.milestone) for m in at_target]


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://hooks.example.org/pulse?x=1", True),
        ("https://8.8.8.8/hook", True),
        ("http://127.0.0.1:8080/hook", True),  # an allowed host
        ("https://127.0.0.1/hook", True),
        ("http://169.254.169.254/", False),  # never, even when listed
        ("https://[::ffff:10.0.0.1]/", False),
        ("https://100.100.100.200/", False),
        ("https://hooks.example.org:0/", False),
        ("https://hooks.example.org/#frag", False),
        ("https://" + "a" * 2100 + ".org/", False),
    ],
)
def test_urls(url: str, allowed: bool) -> None:
    assert (url_problem(url, ["127.0.0.1", "169.254.169.254"]) is None) is allowed


def test_the_verifier_partners_are_shown_in_the_docs_accepts_the_standard_webhooks_vector(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    docs = (Path(__file__).resolve().parents[3] / "docs" / "webhooks.md").read_text()
    example = docs.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {}
    exec(example, namespace)  # the very code partners copy
    monkeypatch.setattr(time, "time", lambda: VECTOR_TIMESTAMP + 10)
    headers = {"webhook-id": VECTOR_ID, "webhook-timestamp": str(VECTOR_TIMESTAMP)}
    verify_as_documented = namespace["verify"]
    assert verify_as_documented(
        VECTOR_SECRET, {**headers, "webhook-signature": f"v1,x {VECTOR_SIGNATURE}"}, VECTOR_BODY
    )
    assert not verify_as_documented(VECTOR_SECRET, {**headers, "webhook-signature": VECTOR_SIGNATURE}, b"{}")
