"""Fixtures of the metrics tests: settings on this test's own topics and database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from metrics.config import MetricsSettings
from shared.kafka.topics_admin import ensure_topics


@pytest.fixture
async def metrics_settings(make_settings: Callable[..., Any]) -> MetricsSettings:
    settings: MetricsSettings = make_settings(
        MetricsSettings, topic_partitions=3, snapshot_min_interval_s=0.1
    )
    await ensure_topics(settings.kafka, settings.topics, partitions=3, replication=1)
    return settings
