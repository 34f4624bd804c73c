"""Programme Pulse metrics service."""
