"""Thin HTTP routes of the metrics API."""
