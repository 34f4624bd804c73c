"""Programme Pulse registration service."""
