"""The running service: the app factory, logging, tracing and the collector's settings."""
