"""Rebuild: replay every fact topic from the beginning into a fresh database and print the merged figures.

`python -m metrics.rebuild [--keep]` reads the same settings as the service. It writes into its scratch
database `<database>_rebuild` (emptied first; never the live one, and one the service's own MongoDB user
may write) and stops at the end offsets it found when it began. It replays every partition with the
service's own code (a segment per partition per batch, then a snapshot of each partition), restores each
partition from what it stored, and merges their partials as the merger does, so the output can be compared
with the live counters. Run one rebuild at a time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Sequence
from datetime import UTC, datetime

from metrics.config import MetricsSettings
from metrics.consumers import fact_partition_count, fact_topics
from metrics.domain.partials import merge_partials
from metrics.handlers.compactor import Compactor
from metrics.handlers.events_feed import EventsFeed
from metrics.handlers.partitions import OwnedPartitions
from metrics.handlers.partners_feed import PartnersFeed
from metrics.repository.partition_store import PartitionStore
from shared.contracts.counters import ProgrammeFigures
from shared.contracts.payloads import EventChanged, PartnerChanged
from shared.kafka.consumer import ConsumerLoop, Fact, every_type, on
from shared.mongo.client import make_mongo_client
from shared.mongo.flavour import MongoFlavour

OWNER = "rebuild"


async def replay_topics(
    settings: MetricsSettings, owned: OwnedPartitions, feed: EventsFeed, partners: PartnersFeed
) -> int:
    """Fold every message up to the current end of the fact topics and the partners topic; returns how many
    were read. What the live consumers dead-lettered is skipped here: it never counted."""
    names = settings.topics

    async def events_in(facts: Sequence[Fact[EventChanged]]) -> None:
        owned.events_read(feed.read(facts))

    async def partners_in(facts: Sequence[Fact[PartnerChanged]]) -> None:
        partners.read(fact.payload for fact in facts)

    replay = ConsumerLoop(
        kafka=settings.kafka,
        group_id=None,
        name="metrics-rebuild",
        topics=[*fact_topics(settings), names.events, names.partners],
        handlers={
            **every_type(owned.apply),
            **on(EventChanged, events_in),
            **on(PartnerChanged, partners_in),
        },
        max_records=settings.batch_max_records,
    )
    return await replay.replay()


async def rebuild(settings: MetricsSettings, *, keep: bool = False) -> dict[str, ProgrammeFigures]:
    """Replay into the emptied scratch database and return every programme's exact figures derived from it."""
    name = f"{settings.database_name}_rebuild"
    mongo = make_mongo_client(settings.mongo_url)
    try:
        await mongo.drop_database(name)  # what a kept or interrupted rebuild left
        store = PartitionStore(mongo[name], MongoFlavour(mongo, settings.mongo_flavour), OWNER)
        await store.prepare()
        every = dict.fromkeys(range(await fact_partition_count(settings)), (0, 0, 0))
        feed, partners = EventsFeed(), PartnersFeed()
        replayed = OwnedPartitions(store, feed, settings.topics, OWNER)
        await replayed.take_up(every)
        await replay_topics(settings, replayed, feed, partners)
        compactor = Compactor(replayed, store, settings)
        for state in list(replayed.held.values()):
            await compactor.compact(state)
        stored = OwnedPartitions(store, feed, settings.topics, OWNER)
        await stored.take_up(every)
        programmes = {settings.programme_id, *settings.targets}
        partials = [stored.partial(state) for state in stored.held.values()]
        return merge_partials(partials, programmes, settings.targets, datetime.now(UTC), partners.names)
    finally:
        if not keep:
            await mongo.drop_database(name)
        await mongo.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--keep", action="store_true", help="keep the rebuilt database instead of dropping it"
    )
    args = parser.parse_args()
    figures = asyncio.run(rebuild(MetricsSettings(), keep=args.keep))
    print(json.dumps({pid: f.model_dump(mode="json") for pid, f in figures.items()}, indent=2))


if __name__ == "__main__":
    main()
