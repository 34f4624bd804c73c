"""Each log record is one JSON object on one line, whatever its message holds."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Response
from hypothesis import given
from hypothesis import strategies as st

from shared.http.request_middleware import RequestMiddleware
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
    ("reads_logged", "logged"),
    [
        (False, ["POST /v1/x?status=201 201", "GET /v1/x?status=404 404", "DELETE /v1/x?status=204 204"]),
        (True, None),
    ],
)
async def test_the_access_log_leaves_out_successful_reads_unless_asked_for_all(
    reads_logged: bool, logged: list[str] | None, capsys: pytest.CaptureFixture[str]
) -> None:
    requests = [("GET", 200), ("POST", 201), ("HEAD", 304), ("GET", 404), ("DELETE", 204)]
    app = FastAPI()

    @app.api_route("/v1/x", methods=["GET", "HEAD", "POST", "DELETE"])
    async def answer(status: int) -> Response:
        return Response(status_code=status)

    app.add_middleware(RequestMiddleware, reads_logged=reads_logged)
    root, access = logging.getLogger(), logging.getLogger("access")
    saved = root.handlers[:], root.level, access.level, access.disabled
    access.setLevel(logging.NOTSET)  # as a server configured by another test may have left it
    access.disabled = False
    try:
        configure_logging("gateway", "INFO")
        # uvicorn makes a record of every request while its own access logger has a handler
        assert not logging.getLogger("uvicorn.access").hasHandlers()
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 5000))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            for method, status in requests:
                assert (
                    await client.request(method, "/v1/x", params={"status": status})
                ).status_code == status
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        access.setLevel(saved[2])
        access.disabled = saved[3]

    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    entries = [entry for entry in records if entry["logger"] != "httpx"]  # the client's own lines
    assert {entry["logger"] for entry in entries} == {"access"}
    assert all(entry["message"].startswith('127.0.0.1:5000 - "') for entry in entries)
    every = [f"{method} /v1/x?status={status} {status}" for method, status in requests]
    lines = [entry["message"].split('"') for entry in entries]
    assert [f"{m[1].removesuffix(' HTTP/1.1')}{m[2]}" for m in lines] == (logged or every)
