"""Pure rules: access decisions, fixed-window limits, check-in key expiry, key hashing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gateway.domain.access import Decision, Upstream, decide, target_for
from gateway.domain.keys import checkin_expiry_error, hash_secret, new_secret
from gateway.domain.rate_limit import FixedWindow
from shared.contracts.identity import PUBLIC, Principal, Scope

DOOR = Principal(scope=Scope.CHECKIN, key_id="k", event_id="e1", partner_id="pA")
PARTNER_A = Principal(scope=Scope.PARTNER, key_id="k", partner_id="pA")


@pytest.mark.parametrize(
    ("method", "path", "upstream"),
    [
        ("POST", "/v1/participants:batch", Upstream.REGISTRATION),
        ("GET", "/v1/participants/p1/qr", Upstream.REGISTRATION),
        ("POST", "/v1/attendance:batch", Upstream.EVENTS),
        ("GET", "/v1/programme/report", Upstream.METRICS),
    ],
)
def test_paths_go_to_their_owning_service(method: str, path: str, upstream: Upstream) -> None:
    target = target_for(method, path)
    assert target is not None
    assert target.upstream is upstream


@pytest.mark.parametrize(
    "path", ["/v2/events", "/v1/", "/v1/events//checkins", "/v1/attendance:batch/x", "/v1/x"]
)
def test_unknown_paths_have_no_target(path: str) -> None:
    assert target_for("GET", path) is None


def test_a_door_key_may_only_check_in_to_its_event_and_read_it() -> None:
    for method, path in [
        ("POST", "/v1/events/e1/checkins"),
        ("GET", "/v1/events/e1"),
        ("GET", "/v1/events/e1/checkins/count"),
    ]:
        assert decide(DOOR, target_for(method, path)) is Decision.ALLOW  # type: ignore[arg-type]
    for method, path in [
        ("POST", "/v1/events/e2/checkins"),
        ("GET", "/v1/events/e2"),
        ("GET", "/v1/events/e2/checkins/count"),
        ("GET", "/v1/events"),
        ("PATCH", "/v1/events/e1"),
        ("GET", "/v1/events/e1/checkins"),
    ]:
        assert decide(DOOR, target_for(method, path)) is Decision.FORBIDDEN  # type: ignore[arg-type]
    assert decide(PUBLIC, target_for("POST", "/v1/events/e1/checkins")) is Decision.UNAUTHENTICATED  # type: ignore[arg-type]


def test_a_partner_reads_only_its_own_partner_record() -> None:
    assert decide(PARTNER_A, target_for("GET", "/v1/partners/pA")) is Decision.ALLOW  # type: ignore[arg-type]
    assert decide(PARTNER_A, target_for("GET", "/v1/partners/pB")) is Decision.FORBIDDEN  # type: ignore[arg-type]


def test_a_window_allows_its_limit_and_says_when_the_next_one_opens() -> None:
    window = FixedWindow.of_rate(rate=0.15, burst=3)  # 3 requests per 20 s
    assert window.number(1_000_019.9) == window.number(1_000_000.0) == 50_000
    assert window.number(1_000_020.0) == 50_001
    assert [window.exceeded(used) for used in (1, 3, 4)] == [False, False, True]
    assert window.retry_after(1_000_005.5) == pytest.approx(14.5)


def test_checkin_key_expiry_must_be_future_and_within_the_limit() -> None:
    now = datetime(2026, 3, 1, tzinfo=UTC)
    assert checkin_expiry_error(now + timedelta(days=30), now, 30) is None
    assert checkin_expiry_error(now, now, 30) == "expires_at must be in the future"
    assert checkin_expiry_error(now + timedelta(days=30, seconds=1), now, 30) is not None


def test_secrets_are_random_and_hashed_one_way() -> None:
    first, second = new_secret(), new_secret()
    assert first != second
    assert len(first) > 40
    assert hash_secret(first) == hash_secret(first) != hash_secret(second)
    assert first not in hash_secret(first)
