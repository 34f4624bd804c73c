"""Each log record is one JSON object on one line, whatever its message holds."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.runtime.logging import JsonFormatter, configure_logging, set_ce_id, set_request_id


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


@pytest.mark.parametrize(
    ("access_log", "logged"),
    [("writes", ["POST /v1/x 201", "GET /v1/x 404", "DELETE /v1/x 204"]), ("all", None)],
)
def test_the_access_log_leaves_out_successful_reads_unless_asked_for_all(
    access_log: str, logged: list[str] | None, capsys: pytest.CaptureFixture[str]
) -> None:
    requests = [("GET", 200), ("POST", 201), ("HEAD", 304), ("GET", 404), ("DELETE", 204)]
    root, access = logging.getLogger(), logging.getLogger("uvicorn.access")
    saved = root.handlers[:], root.level, access.filters[:], access.propagate, access.level, access.disabled
    access.setLevel(logging.NOTSET)  # as a server configured by another test may have left it
    access.disabled = False
    try:
        configure_logging("gateway", "INFO", access_log)
        for method, status in requests:  # as uvicorn's HTTP protocols log each answered request
            access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", method, "/v1/x", "1.1", status)
    finally:
        root.handlers[:], access.filters[:] = saved[0], saved[2]
        root.setLevel(saved[1])
        access.propagate = saved[3]
        access.setLevel(saved[4])
        access.disabled = saved[5]

    lines = [json.loads(line)["message"] for line in capsys.readouterr().out.splitlines()]
    every = [f"{method} /v1/x {status}" for method, status in requests]
    assert [m.split('"')[1].removesuffix(" HTTP/1.1") + m.split('"')[2] for m in lines] == (logged or every)
