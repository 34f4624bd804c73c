"""Programme Pulse events service."""
