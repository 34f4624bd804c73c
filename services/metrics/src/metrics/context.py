"""What the metrics routes need from the running service, built once in the app's setup."""

from __future__ import annotations

from dataclasses import dataclass

from metrics.config import MetricsSettings
from metrics.domain.disclosure import PublicReleases
from metrics.handlers.projection import Projection


@dataclass(frozen=True)
class MetricsContext:
    settings: MetricsSettings
    projection: Projection
    releases: PublicReleases  # the public figures, released on a schedule (docs/privacy.md)
