"""Programme Pulse gateway service."""
