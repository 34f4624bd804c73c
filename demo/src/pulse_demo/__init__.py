"""The RESILIENCE demo: a programme generator, its expected figures, and a loader through the gateway."""
