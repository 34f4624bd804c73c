"""What the metrics routes need from the running service, built once in the app's setup."""

from __future__ import annotations

from dataclasses import dataclass

from metrics.config import MetricsSettings
from metrics.handlers.counters_view import CountersView


@dataclass(frozen=True)
class MetricsContext:
    settings: MetricsSettings
    view: CountersView
