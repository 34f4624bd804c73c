"""Our producer's partitioning is Kafka's default, so every producer puts a key on the same partition."""

from __future__ import annotations

import random

from aiokafka.partitioner import DefaultPartitioner

from shared.kafka.producer import partition_for


def test_each_key_goes_to_the_partition_the_default_partitioner_picks() -> None:
    rng = random.Random(9)
    keys = [f"par_{rng.getrandbits(64):x}".encode() for _ in range(2000)] + [b"", b"\xff\x00"]
    for count in (1, 2, 3, 6, 12, 50):
        partitions = list(range(count))
        for key in keys + keys[:100]:  # asked again: the kept hash answers the same
            assert partition_for(key, partitions, partitions) == DefaultPartitioner()(
                key, partitions, partitions
            )


def test_a_message_without_a_key_goes_to_an_available_partition() -> None:
    assert {partition_for(None, [0, 1, 2], [2]) for _ in range(20)} == {2}
