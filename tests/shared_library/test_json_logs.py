"""Each log record is one JSON object on one line, whatever its message holds."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from shared.runtime.logging import JsonFormatter, set_ce_id, set_request_id


def _record(message: str, created: float, exc_info: Any = None) -> logging.LogRecord:
    record = logging.LogRecord("pulse.test", logging.WARNING, __file__, 1, "%s", (message,), exc_info)
    record.created = created
    return record


@given(
    message=st.text(),
    created=st.floats(min_value=0, max_value=4_102_444_800),  # up to 2100
    request_id=st.one_of(st.none(), st.text(min_size=1, max_size=40)),
)
def test_a_record_is_one_line_of_json_with_its_fields(
    message: str, created: float, request_id: str | None
) -> None:
    set_request_id(request_id)
    set_ce_id(None)
    try:
        line = JsonFormatter("events").format(_record(message, created))
    finally:
        set_request_id(None)

    assert "\n" not in line
    assert line.isascii()
    entry = json.loads(line)
    assert entry.pop("message") == message
    assert entry.pop("time") == datetime.fromtimestamp(created, UTC).isoformat(timespec="microseconds")
    assert entry.pop("request_id", None) == request_id
    assert entry == {"level": "WARNING", "service": "events", "logger": "pulse.test"}


def test_a_record_names_the_event_being_handled_and_the_exception_raised() -> None:
    try:
        raise RuntimeError('the broker "went" away')
    except RuntimeError:
        record = _record("could not apply", 1_764_460_800.5, sys.exc_info())
    set_ce_id("ce-1")
    try:
        entry = json.loads(JsonFormatter("metrics").format(record))
    finally:
        set_ce_id(None)

    assert entry["ce_id"] == "ce-1"
    assert entry["time"] == "2025-11-30T00:00:00.500000+00:00"
    assert entry["exception"].startswith("Traceback")
    assert entry["exception"].endswith('RuntimeError: the broker "went" away')
