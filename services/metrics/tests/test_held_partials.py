"""The merger holds each partition's freshest partial: a late or stale one never replaces a fresher one."""

from __future__ import annotations

import gc
import sys
import tracemalloc
from datetime import UTC, datetime, timedelta

from metrics.domain.held_partials import HeldPartials
from metrics.domain.partials import merged_figures
from shared.contracts.envelope import CloudEvent, new_event
from shared.contracts.partials import CellPartial, PartialCoverage, PartitionPartial, ProgrammePartial
from shared.contracts.payloads import PARTITION_PARTIAL

T0 = datetime(2026, 6, 1, tzinfo=UTC)


def partial(
    participants: int,
    attendance: int,
    events: int,
    *,
    generation: int = 1,
    students: int = 0,
    seconds: int = 0,
) -> PartitionPartial:
    return PartitionPartial(
        partition=0,
        covers=PartialCoverage(participants=participants, attendance=attendance, events={0: events}),
        owner=f"instance-{generation}",
        generation=generation,
        published_at=T0 + timedelta(seconds=seconds),
        programmes={
            "resilience": ProgrammePartial(
                total=CellPartial(attendances=students, students_reached=students), shares={}, breakdowns={}
            )
        },
    )


def test_a_zombie_owners_partial_arriving_late_does_not_replace_the_new_owners() -> None:
    held = HeldPartials()
    new_owner = partial(50, 80, 3, generation=2, students=40)
    assert held.offer(new_owner)

    assert not held.offer(partial(40, 60, 3, generation=1, students=30))  # the old owner's, delivered late
    assert held.by_partition[0].owner == new_owner.owner


def test_a_partial_covering_more_replaces_and_one_covering_the_same_is_decided_by_generation() -> None:
    held = HeldPartials()
    held.offer(partial(10, 10, 1))
    further = partial(10, 12, 1, students=1)
    assert held.offer(further)

    same_older_generation = partial(10, 12, 1, generation=0, seconds=5)
    assert not held.offer(same_older_generation)
    same_later = partial(10, 12, 1, seconds=9)
    assert held.offer(same_later)


def test_partials_neither_covering_the_other_keep_the_held_one_until_one_covers_both() -> None:
    held = HeldPartials()
    first = partial(30, 10, 2, generation=1)
    held.offer(first)

    assert not held.offer(partial(20, 40, 2, generation=2))  # more attendance, fewer participants
    assert not held.offer(partial(30, 10, 1, generation=2))  # fewer events read
    assert held.by_partition[0].covers == first.covers
    assert held.offer(partial(30, 40, 2, generation=2))


def test_figures_are_complete_only_with_a_partial_of_every_partition() -> None:
    held = HeldPartials()
    for number in (0, 2):
        held.offer(partial(1, 1, 1).model_copy(update={"partition": number}))

    assert not held.complete(3)
    held.offer(partial(1, 1, 1).model_copy(update={"partition": 1}))
    assert held.complete(3)
    assert len(held.covering(3)) == 3


def test_partials_read_apart_share_one_string_per_organisation() -> None:
    """A merger holds a partial per partition, each naming an organisation in many cells: read as the
    consumer loop reads them (the envelope, then the payload's model), they share one string each."""
    organisations = [f"organisation-{n}" for n in range(3)]
    sent = [
        partial(1, 1, 1, generation=n).model_copy(
            update={
                "programmes": {
                    "resilience": ProgrammePartial(
                        total=CellPartial(leader_organisation_ids=organisations), shares={}, breakdowns={}
                    )
                }
            }
        )
        for n in (1, 2)
    ]
    read = [
        PartitionPartial.model_validate(
            CloudEvent.model_validate_json(
                new_event(source="/metrics", type=PARTITION_PARTIAL, subject="0", data=one).model_dump_json()
            ).data
        )
        for one in sent
    ]

    first, second = (p.programmes["resilience"].total.leader_organisation_ids for p in read)
    assert first == second == organisations
    assert all(a is b for a, b in zip(first, second, strict=True))


def test_twelve_partials_listing_thousands_of_organisations_are_held_in_little_memory() -> None:
    # Named as testkit.facts names them, and interned before the window as decoding interns them: the
    # process's table of interned strings grows when they are first interned, by up to a few MB depending
    # on what earlier tests interned, and that is not held by the merger.
    organisations = [sys.intern(f"org-3f9a1c7e-{n}") for n in range(6_000)]

    def listing(partition: int, cell: int) -> list[str]:
        start = (partition * 500 + cell * 97) % 4_000
        return organisations[start : start + 2_000]

    def read(partition: int) -> PartitionPartial:
        """As the merger reads it: decoded from its JSON, with its own copy of every id."""
        months = {
            f"2026-{m:02d}": CellPartial(leaders=2_000, leader_organisation_ids=listing(partition, m))
            for m in range(1, 13)
        }
        return PartitionPartial.model_validate_json(
            partial(1, 1, 1)
            .model_copy(
                update={
                    "partition": partition,
                    "programmes": {
                        "resilience": ProgrammePartial(
                            total=CellPartial(leaders=2_000, leader_organisation_ids=listing(partition, 0)),
                            shares={},
                            breakdowns={"month": months},
                        )
                    },
                }
            )
            .model_dump_json()
        )

    held = HeldPartials()
    tracemalloc.start(64)
    try:
        for number in range(12):
            held.offer(read(number))
        gc.collect()  # decoding's cyclic garbage (other tests may have changed the collector's thresholds)
        # Only what this test's calls allocated: threads left by other tests allocate meanwhile (~4 MB).
        ours = tracemalloc.take_snapshot().filter_traces(
            [tracemalloc.Filter(True, __file__, all_frames=True)]
        )
        holding = sum(stat.size for stat in ours.statistics("filename"))
    finally:
        tracemalloc.stop()

    assert holding < 1.5 * 2**20  # held as decoded: ~3 MB (decoding shares equal ids; the lists do not)
    figures = merged_figures(held.covering(12), ["resilience"], {}, T0)["resilience"]
    expected = {o for p in range(12) for o in listing(p, 0)}
    assert figures.leader_organisations == len(expected)
    assert figures.breakdowns["month"]["2026-03"]["leader_organisations"] == len(
        {o for p in range(12) for o in listing(p, 3)}
    )
