"""Settings of the metrics service."""

from __future__ import annotations

from shared.settings import BaseServiceSettings


class MetricsSettings(BaseServiceSettings):
    service_name: str = "metrics"
