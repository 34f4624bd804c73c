"""MongoDB access of the events service."""
