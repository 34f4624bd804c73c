"""Check-in times become fixed-width UTC text that orders as the times do, from any offset."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from metrics.domain.facts import utc_text

offsets = st.builds(timezone, st.timedeltas(min_value=timedelta(hours=-23), max_value=timedelta(hours=23)))
moments = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=offsets)


@given(moments, moments)
def test_utc_text_is_fixed_width_and_orders_as_the_moments(a: datetime, b: datetime) -> None:
    assert len(utc_text(a)) == len("2026-06-01T09:30:00.000000Z")
    assert (utc_text(a) < utc_text(b)) == (a < b)
    assert datetime.fromisoformat(utc_text(a)) == a.astimezone(UTC)


def test_a_whole_second_keeps_its_microseconds() -> None:
    moment = datetime(2026, 6, 1, 10, 30, tzinfo=timezone(timedelta(hours=1)))
    assert utc_text(moment) == "2026-06-01T09:30:00.000000Z"
