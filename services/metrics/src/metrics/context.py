"""What the metrics routes need from the running service, built once in the app's setup."""

from __future__ import annotations

from dataclasses import dataclass, field

from metrics.config import MetricsSettings
from metrics.handlers.counters_view import CountersView
from metrics.routes.report import RenderedReports


@dataclass(frozen=True)
class MetricsContext:
    settings: MetricsSettings
    view: CountersView
    reports: RenderedReports = field(default_factory=RenderedReports)
