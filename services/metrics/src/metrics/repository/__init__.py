"""MongoDB access of the metrics service."""
