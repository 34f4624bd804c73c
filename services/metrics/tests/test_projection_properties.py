"""Property: however a programme's messages are split over partitions, interleaved, duplicated, batched,
stored and restored, merging one partial per partition gives the exact figures."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit.facts import GeneratedProgramme, Message, expected_figures, generate_programme, observed_figures

from metrics.domain.event_sets import EventRank
from metrics.domain.facts import EventFact, reduce_facts
from metrics.domain.partials import merge_partials, programme_partials
from metrics.domain.partition_facts import PartitionFacts
from metrics.handlers.events_feed import EventsFeed
from metrics.handlers.incoming import fact_of
from metrics.repository.codec import compress, decode_facts, decode_state, encode_facts, state_bytes
from shared.contracts.counters import ProgrammeFigures
from shared.contracts.partials import PartialCoverage, PartitionPartial
from shared.kafka.consumer import Received, checked
from shared.kafka.producer import partition_for

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def received(message: Message, offset: int, partitions: int) -> Received:
    every = list(range(partitions))
    return Received(
        topic=message.topic,
        partition=partition_for(message.key.encode(), every, every),
        offset=offset,
        key=message.key,
        event=message.event(),
        request_id=None,
    )


def fold(
    deliveries: list[Received], batch_sizes: list[int], partitions: int, restore_after: int
) -> list[PartitionFacts]:
    """What the instances do: per batch and partition, reduce, store a segment, merge what it holds;
    events reach every partition; after `restore_after` batches each partition is stored whole and loaded."""
    states = [PartitionFacts() for _ in range(partitions)]
    start, sizes, batches = 0, iter(batch_sizes), 0
    while start < len(deliveries):
        batch = deliveries[start : start + next(sizes, 7)]
        start += len(batch)
        events = [f for f in (fact_of(checked(r)) for r in batch if r.topic == "events") if f is not None]
        for number, state in enumerate(states):
            state.merge(events)
            own = [fact_of(checked(r)) for r in batch if r.topic != "events" and r.partition == number]
            reduced = reduce_facts(f for f in own if f is not None)
            if reduced:
                state.merge(decode_facts(encode_facts(reduced)))
        batches += 1
        if batches == restore_after:
            states = [decode_state(compress(state_bytes(state))) for state in states]
    return states


def ranks_of(deliveries: list[Received]) -> dict[str, EventRank]:
    """Each event's rank as every instance reads it: by first appearance of its key in its partition."""
    feed = EventsFeed()
    feed.read([checked(r) for r in sorted(deliveries, key=lambda r: r.offset) if r.topic == "events"])
    return feed.ranks


def merged(states: list[PartitionFacts], programme_id: str, ranks: dict[str, EventRank]) -> ProgrammeFigures:
    """The merger's figures from each partition's partial, sent through their JSON form."""
    partials = [
        PartitionPartial(
            partition=number,
            covers=PartialCoverage(participants=0, attendance=0, events={}),
            owner="test",
            generation=1,
            published_at=NOW,
            programmes=programme_partials(state, ranks),
        )
        for number, state in enumerate(states)
    ]
    read_back = [PartitionPartial.model_validate_json(p.model_dump_json()) for p in partials]
    return merge_partials(read_back, [programme_id], {}, NOW)[programme_id]


@st.composite
def programmes(draw: st.DrawFn) -> GeneratedProgramme:
    return generate_programme(
        draw(st.randoms(use_true_random=False)),
        participants=draw(st.integers(1, 25)),
        events=draw(st.integers(1, 6)),
        attendances=draw(st.integers(0, 80)),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programme=programmes(), partitions=st.integers(1, 4), data=st.data())
def test_any_order_with_duplicates_and_replays_gives_the_direct_recomputation(
    programme: GeneratedProgramme, partitions: int, data: st.DataObject
) -> None:
    deliveries = [received(m, n, partitions) for n, m in enumerate(programme.messages)]
    order = data.draw(st.permutations(range(len(deliveries))), label="order")
    # Redelivery after a crash: a run of already-applied messages comes again, later and reordered.
    replays = data.draw(st.lists(st.integers(0, max(len(deliveries) - 1, 0)), max_size=30), label="replays")
    stream = [deliveries[i] for i in order] + [deliveries[i] for i in replays if deliveries]
    batch_sizes = data.draw(st.lists(st.integers(1, 40), max_size=50), label="batch sizes")
    restore_after = data.draw(st.integers(0, 8), label="batches before a restore")

    states = fold(stream, batch_sizes, partitions, restore_after)
    figures = merged(states, programme.programme_id, ranks_of(deliveries))

    assert observed_figures(figures) == expected_figures(programme)


@settings(max_examples=25, deadline=None)
@given(programme=programmes())
def test_shares_of_each_population_add_up_to_it_and_to_one_hundred_percent(
    programme: GeneratedProgramme,
) -> None:
    deliveries = [received(m, n, 3) for n, m in enumerate(programme.messages)]
    figures = merged(fold(deliveries, [50], 3, 0), programme.programme_id, ranks_of(deliveries))

    for population, by_dimension in figures.shares.items():
        size = getattr(figures, population)
        for cells in by_dimension.values():
            assert sum(s.count or 0 for s in cells.values()) == size
            if size:
                assert abs(sum(s.percent or 0 for s in cells.values()) - 100) < 0.1


def test_erasure_keeps_reach_and_takes_categories_and_organisations_out_of_every_share() -> None:
    programme = generate_programme(random.Random(7), participants=40, events=6, attendances=150)
    erasures = [m for m in programme.messages if m.type.endswith("erased.v1")]
    assert erasures, "the generated programme erases someone"
    in_order = [received(m, n, 2) for n, m in enumerate(programme.messages)]
    without_erasures = [r for r in in_order if not r.event.type.endswith("erased.v1")]
    erasures_first = sorted(in_order, key=lambda r: not r.event.type.endswith("erased.v1"))

    ranks = ranks_of(in_order)
    with_them = merged(fold(in_order, [13], 2, 0), programme.programme_id, ranks)
    without = merged(fold(without_erasures, [13], 2, 0), programme.programme_id, ranks)
    read_first = merged(fold(erasures_first, [13], 2, 0), programme.programme_id, ranks)

    reach = ("trainees_trained", "students_reached", "leaders", "events_delivered", "attendances")
    assert {name: getattr(with_them, name) for name in reach} == {
        name: getattr(without, name) for name in reach
    }

    def not_disclosed(figures: ProgrammeFigures) -> int:
        return sum(
            cells["not_disclosed"].count or 0 for by in figures.shares.values() for cells in by.values()
        )

    assert not_disclosed(with_them) > not_disclosed(without)
    assert observed_figures(with_them) == expected_figures(programme)
    assert read_first == with_them  # an erasure read before the facts it erases counts the same


def test_a_stored_and_loaded_partition_goes_on_counting_as_the_one_held() -> None:
    programme = generate_programme(random.Random(3), participants=50, events=6, attendances=300)
    facts = [f for f in (fact_of(checked(received(m, n, 1))) for n, m in enumerate(programme.messages)) if f]
    random.Random(4).shuffle(facts)
    half = len(facts) // 2
    held = PartitionFacts()
    held.merge(facts[:half])
    loaded = decode_state(compress(state_bytes(held)))

    assert loaded.state() == held.state()
    late_events = [f for f in facts[half:] if isinstance(f, EventFact)]
    held.merge(facts[half:])
    loaded.merge(facts[half:])
    assert late_events, "some event facts arrive after the restore"
    assert loaded.state() == held.state()
