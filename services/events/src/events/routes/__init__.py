"""Thin HTTP routes of the events API, one module per resource."""
