"""Programme Pulse's common library."""
