"""What happens for each command and each consumed event."""
