"""Thin HTTP routes of the registration API, one module per resource."""
