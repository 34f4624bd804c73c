"""Event contracts: the envelope, the topics and the typed payloads every service exchanges."""
