"""Fixtures for the whole suite: real Kafka and MongoDB (see pulse_local.pytest_plugin)."""

from testkit.principals import use_in_environment

pytest_plugins = ["pulse_local.pytest_plugin"]

use_in_environment()  # every service the tests build trusts the run's own principal key pair
