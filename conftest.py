"""Fixtures for the whole suite: real Kafka and MongoDB (see pulse_local.pytest_plugin)."""

pytest_plugins = ["pulse_local.pytest_plugin"]
