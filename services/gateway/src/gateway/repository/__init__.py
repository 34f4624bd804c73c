"""MongoDB access of the gateway: API keys."""
