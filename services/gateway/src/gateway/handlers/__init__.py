"""What the gateway does for a request: authentication and the live counters."""
