"""Property: any interleaving, duplication and batching of a programme's messages gives the exact figures."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit.facts import GeneratedProgramme, Message, expected_figures, generate_programme, observed_figures

from metrics.domain.facts import reduce_facts
from metrics.domain.figures import CountedFacts, compute_figures
from metrics.handlers.projection import fact_of
from metrics.repository.segments import decode_segment, encode_segment
from shared.kafka.consumer import Received

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def received(message: Message, offset: int) -> Received:
    return Received(
        topic=message.topic,
        partition=0,
        offset=offset,
        key=message.key,
        event=message.event(),
        request_id=None,
    )


def fold(deliveries: list[Received], batch_sizes: list[int]) -> CountedFacts:
    """What the service does: per batch, reduce, store as a segment, merge what the segment holds."""
    facts = CountedFacts()
    start, sizes = 0, iter(batch_sizes)
    while start < len(deliveries):
        batch = deliveries[start : start + next(sizes, 7)]
        start += len(batch)
        reduced = reduce_facts(f for f in map(fact_of, batch) if f is not None)
        facts.merge(decode_segment(encode_segment("s", reduced)))
    return facts


@st.composite
def programmes(draw: st.DrawFn) -> GeneratedProgramme:
    return generate_programme(
        draw(st.randoms(use_true_random=False)),
        participants=draw(st.integers(1, 25)),
        events=draw(st.integers(1, 6)),
        attendances=draw(st.integers(0, 80)),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programme=programmes(), data=st.data())
def test_any_order_with_duplicates_and_replays_gives_the_direct_recomputation(
    programme: GeneratedProgramme, data: st.DataObject
) -> None:
    deliveries = [received(m, n) for n, m in enumerate(programme.messages)]
    order = data.draw(st.permutations(range(len(deliveries))), label="order")
    # Redelivery after a crash: a run of already-applied messages comes again, later and reordered.
    replays = data.draw(st.lists(st.integers(0, max(len(deliveries) - 1, 0)), max_size=30), label="replays")
    stream = [deliveries[i] for i in order] + [deliveries[i] for i in replays if deliveries]
    batch_sizes = data.draw(st.lists(st.integers(1, 40), max_size=50), label="batch sizes")

    facts = fold(stream, batch_sizes)
    figures = compute_figures(facts, [programme.programme_id], {}, NOW)[programme.programme_id]

    assert observed_figures(figures) == expected_figures(programme)


@settings(max_examples=25, deadline=None)
@given(programme=programmes())
def test_shares_of_each_population_add_up_to_it_and_to_one_hundred_percent(
    programme: GeneratedProgramme,
) -> None:
    facts = fold([received(m, n) for n, m in enumerate(programme.messages)], [50])
    figures = compute_figures(facts, [programme.programme_id], {}, NOW)[programme.programme_id]

    for population, by_dimension in figures.shares.items():
        size = getattr(figures, population)
        for cells in by_dimension.values():
            assert sum(s.count or 0 for s in cells.values()) == size
            if size:
                assert abs(sum(s.percent or 0 for s in cells.values()) - 100) < 0.1


def test_erasure_and_late_stale_versions_leave_the_counters_unchanged() -> None:
    programme = generate_programme(random.Random(7), participants=40, events=6, attendances=150)
    erasures = [m for m in programme.messages if m.type.endswith("erased.v1")]
    assert erasures, "the generated programme erases someone"
    in_order = [received(m, n) for n, m in enumerate(programme.messages)]
    without_erasures = [r for r in in_order if not r.event.type.endswith("erased.v1")]

    with_them = compute_figures(fold(in_order, [13]), [programme.programme_id], {}, NOW)
    without = compute_figures(fold(without_erasures, [13]), [programme.programme_id], {}, NOW)

    assert with_them == without
    assert observed_figures(with_them[programme.programme_id]) == expected_figures(programme)
