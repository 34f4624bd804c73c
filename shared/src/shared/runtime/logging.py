"""JSON logs, one object per line, carrying the request id of the work being done."""

from __future__ import annotations

import logging
import math
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from json.encoder import encode_basestring_ascii

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
_ce_id: ContextVar[str | None] = ContextVar("ce_id", default=None)
_text = encode_basestring_ascii  # a JSON string, quoted and escaped as json.dumps does


def current_request_id() -> str | None:
    return _request_id.get()


def set_request_id(request_id: str | None) -> None:
    _request_id.set(request_id)


def current_ce_id() -> str | None:
    return _ce_id.get()


def set_ce_id(ce_id: str | None) -> None:
    """The CloudEvent being handled, so a consumer's log lines name it."""
    _ce_id.set(ce_id)


class JsonFormatter(logging.Formatter):
    """One JSON object per record, written out directly: every field is text, and each request logs a line.

    Built by `json.JSONEncoder` a line cost 5.6 us, 1.9 this way (docs/performance.md); the
    escaping is the encoder's own, and times always carry microseconds, so lines sort as text.
    """

    def __init__(self, service: str) -> None:
        super().__init__()
        self._service = _text(service)
        self._second = -1
        self._second_text = ""

    def format(self, record: logging.LogRecord) -> str:
        line = (
            f'{{"time": "{self._time_text(record.created)}", "level": {_text(record.levelname)},'
            f' "service": {self._service}, "logger": {_text(record.name)}, "message": {_text(record.getMessage())}'
        )
        request_id = current_request_id()
        if request_id:
            line += f', "request_id": {_text(request_id)}'
        ce_id = current_ce_id()
        if ce_id:
            line += f', "ce_id": {_text(ce_id)}'
        if record.exc_info:
            line += f', "exception": {_text(self.formatException(record.exc_info))}'
        return line + "}"

    def _time_text(self, created: float) -> str:
        """`YYYY-MM-DDTHH:MM:SS.ffffff+00:00`, the date and clock formatted once per second."""
        fraction, whole = math.modf(created)  # rounded as datetime.fromtimestamp rounds
        second, micro = int(whole), round(fraction * 1_000_000)
        if micro == 1_000_000:
            second, micro = second + 1, 0
        if second != self._second:
            self._second_text = datetime.fromtimestamp(second, UTC).isoformat()[:19]
            self._second = second
        return f"{self._second_text}.{micro:06d}+00:00"


def configure_logging(service: str, level: str = "INFO") -> None:
    """Send every logger's records to stdout as JSON lines."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Every record would otherwise collect its thread, process and multiprocessing names, which no line
    # shows (the logging HOWTO's "Optimization"); one record per request makes that ~20% of logging's cost.
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    logging._srcfile = None  # nor the caller's file, line and function (the same HOWTO section)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    # The request middleware writes the access lines (shared.http.request_middleware). uvicorn makes a
    # record of every request whenever its access logger has a handler, even one a filter then drops.
    uvicorn_access = logging.getLogger("uvicorn.access")
    uvicorn_access.handlers[:] = []
    uvicorn_access.propagate = False
    logging.getLogger("aiokafka").setLevel(logging.WARNING)
