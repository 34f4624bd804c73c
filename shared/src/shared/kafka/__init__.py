"""Kafka helpers: topic setup, the one producer and the one consumer loop."""
