"""Rules on times and identities of events and attendance."""

from __future__ import annotations

from datetime import datetime, timedelta

from events.domain.errors import RuleBroken

EARLIEST_YEAR = 2000
LATEST_YEAR = 2100
# A device clock may run a little ahead. There is no limit on age: partners upload a programme's history.
CLOCK_SKEW = timedelta(minutes=5)


def check_year(moment: datetime) -> datetime:
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise RuleBroken(f"year must be within {EARLIEST_YEAR}..{LATEST_YEAR}")
    return moment


def check_event_window(starts_at: datetime, ends_at: datetime) -> None:
    if starts_at >= ends_at:
        raise RuleBroken("starts_at must be before ends_at")


def check_checkin_time(checked_in_at: datetime, now: datetime) -> None:
    if checked_in_at > now + CLOCK_SKEW:
        raise RuleBroken("checked_in_at is in the future")
    check_year(checked_in_at)


def attendance_id(event_id: str, participant_id: str) -> str:
    """Deterministic, so the unique (event, participant) pair is the document's own key.

    Ids never contain ':' (see schemas.ID_PATTERN), so the pair is recoverable and collisions impossible.
    """
    return f"{event_id}:{participant_id}"
