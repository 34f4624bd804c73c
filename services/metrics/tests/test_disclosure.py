"""Public figures never let a count from 1 to the threshold be derived, within a release or between two.

Random programmes (cells of 1 to 10 people, zero cells) are fed one arrival at a time; at each arrival the
public release is asked for, as the snapshot publisher does. Every published number, every sum of published
cells against a published total, and every difference between two consecutive releases is checked; the
exact (admin) figures must still equal a direct recomputation.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit.facts import GeneratedProgramme, expected_figures, generate_programme, observed_figures
from testkit.merged import one_partition_figures

from metrics.domain.disclosure import (
    ONS_10_5,
    ROUND_5,
    RULES,
    DisclosureRule,
    PublicReleases,
    ReleaseSchedule,
    public_figures,
)
from metrics.domain.facts import attendance_fact, event_fact, participant_fact
from metrics.domain.partition_facts import PartitionFacts
from shared.contracts.counters import COUNTER_NAMES, ProgrammeFigures, Share
from shared.contracts.payloads import AttendanceRecorded, EventChanged, ParticipantChanged

START = datetime(2026, 6, 1, 9, tzinfo=UTC)
SCHEDULE = ReleaseSchedule(
    min_interval=timedelta(seconds=60), min_attendances=5, max_hold=timedelta(minutes=30)
)
TARGETS = {"resilience": {"students_reached": 40, "trainees_trained": 15}}


def numbers(figures: ProgrammeFigures) -> Iterator[tuple[tuple[str, ...], int]]:
    """Every published count with its path: headline, share cells, breakdown cells, target actuals."""
    for name in COUNTER_NAMES:
        yield (name,), getattr(figures, name)
    for population, dimensions in figures.shares.items():
        for dimension, cells in dimensions.items():
            for category, share in cells.items():
                if share.count is not None:
                    yield ("share", population, dimension, category), share.count
    for by, rows in figures.breakdowns.items():
        for key, row in rows.items():
            for measure, value in row.items():
                if value is not None:
                    yield ("breakdown", by, key, measure), value
    for name, progress in figures.targets.items():
        yield ("target", name), progress.actual


def partitions(figures: ProgrammeFigures) -> Iterator[tuple[int, list[int]]]:
    """Published totals beside the published cells that make them up (or overlap them)."""
    for population, dimensions in figures.shares.items():
        for cells in dimensions.values():
            yield getattr(figures, population), [s.count for s in cells.values() if s.count is not None]
    for rows in figures.breakdowns.values():
        for measure in COUNTER_NAMES:
            yield (
                getattr(figures, measure),
                [v for row in rows.values() if (v := row.get(measure)) is not None],
            )


def small(value: int, threshold: int) -> bool:
    return 1 <= abs(value) <= threshold


def assert_nothing_small_derivable(figures: ProgrammeFigures, rule: DisclosureRule) -> None:
    shown = max(rule.threshold, rule.smallest_shown - 1)
    for path, value in numbers(figures):
        assert not small(value, shown), f"{path} = {value} is published"
    for total, cells in partitions(figures):
        for size in range(1, min(len(cells), 8) + 1):
            for subset in itertools.combinations(cells, size):
                assert not small(total - sum(subset), rule.threshold), (total, subset)
                assert not small(sum(subset), rule.threshold), subset
    for population, dimensions in figures.shares.items():
        whole = getattr(figures, population)
        for cells in dimensions.values():
            for share in cells.values():
                if share.count is not None:  # percentages come from the rounded counts only
                    assert share.percent == (round(100 * share.count / whole, 2) if whole else None)


def assert_no_small_difference(
    before: ProgrammeFigures, after: ProgrammeFigures, rule: DisclosureRule
) -> None:
    old, new = dict(numbers(before)), dict(numbers(after))
    for path in old.keys() | new.keys():
        assert not small(new.get(path, 0) - old.get(path, 0), rule.threshold), (
            path,
            old.get(path),
            new.get(path),
        )


def exact_figures(
    facts: PartitionFacts, ranks: dict[str, tuple[int, int]], now: datetime
) -> ProgrammeFigures:
    return one_partition_figures(facts, ranks, now, TARGETS)


@st.composite
def arrivals(draw: st.DrawFn) -> tuple[GeneratedProgramme, list[int]]:
    """A programme small enough for cells of 1 to 10 people, and seconds between its arrivals."""
    programme = generate_programme(
        draw(st.randoms(use_true_random=False)),
        participants=draw(st.integers(1, 40)),
        events=draw(st.integers(1, 4)),
        attendances=draw(st.integers(0, 70)),
        duplicate_share=0,
    )
    gaps = draw(st.lists(st.sampled_from((0, 1, 5, 20, 61, 400, 2000)), min_size=len(programme.attendance)))
    return programme, gaps


def feed(
    programme: GeneratedProgramme, gaps: list[int], rule: DisclosureRule
) -> tuple[list[tuple[datetime, int, ProgrammeFigures]], ProgrammeFigures]:
    """Participants and events first, then one attendance per step; the public figures after each step."""
    facts = PartitionFacts()
    facts.merge(
        participant_fact(p) for p in programme.participants.values() if isinstance(p, ParticipantChanged)
    )
    events = [event_fact(e) for e in programme.events.values() if isinstance(e, EventChanged)]
    facts.merge(events)
    ranks = {event.event_id: (0, rank) for rank, event in enumerate(events)}
    releases = PublicReleases(rule, SCHEDULE)
    now, seen = START, []
    exact = exact_figures(facts, ranks, now)
    seen.append((now, exact.attendances, releases.release("resilience", exact, now)))
    for record, gap in zip(programme.attendance.values(), gaps, strict=False):
        assert isinstance(record, AttendanceRecorded)
        facts.merge([attendance_fact(record)])
        now += timedelta(seconds=gap)
        exact = exact_figures(facts, ranks, now)
        seen.append((now, exact.attendances, releases.release("resilience", exact, now)))
    return seen, exact


@pytest.mark.parametrize("rule", list(RULES.values()), ids=list(RULES))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=arrivals())
def test_no_release_nor_difference_between_releases_reveals_a_small_count(
    rule: DisclosureRule, case: tuple[GeneratedProgramme, list[int]]
) -> None:
    programme, gaps = case
    seen, exact = feed(programme, gaps, rule)

    releases = [seen[0]] + [step for before, step in itertools.pairwise(seen) if step[2] is not before[2]]
    for _, _, public in releases:
        assert_nothing_small_derivable(public, rule)
    for (was, had, before), (at, has, after) in itertools.pairwise(releases):
        assert_no_small_difference(before, after, rule)
        assert at - was >= SCHEDULE.min_interval
        assert abs(has - had) >= SCHEDULE.min_attendances or at - was >= SCHEDULE.max_hold
    # The admin's figures are exact: what was released publicly never changed them.
    assert observed_figures(exact) == expected_figures(programme)


def student_figures(non_binary: int, female: int) -> ProgrammeFigures:
    students = non_binary + female
    return ProgrammeFigures(
        programme_id="resilience",
        trainees_trained=0,
        students_reached=students,
        events_delivered=1,
        attendances=students,
        leaders=0,
        leader_organisations=0,
        shares={
            "students_reached": {
                "gender": {
                    "female": Share(count=female, percent=None),
                    "non_binary": Share(count=non_binary, percent=None),
                }
            }
        },
        breakdowns={"nation": {"wales": {"students_reached": non_binary}}, "kind": {}},
        targets={},
        disclosure_controlled=False,
        updated_at=START,
    )


def test_one_more_student_is_not_derivable_from_the_totals() -> None:
    before = public_figures(student_figures(non_binary=0, female=14855), ROUND_5, START)
    after = public_figures(student_figures(non_binary=1, female=14855), ROUND_5, START)

    assert (before.students_reached, after.students_reached) == (14855, 14855)
    assert after.shares["students_reached"]["gender"]["non_binary"] == Share(count=0, percent=0.0)
    assert after.breakdowns["nation"] == {}  # a row of only zeros would say someone is there


def test_counts_are_rounded_to_the_nearest_five_and_zero_stays_zero() -> None:
    assert [ROUND_5.rounded(n) for n in (0, 1, 2, 3, 4, 5, 7, 8, 12, 13)] == [0, 0, 0, 5, 5, 5, 5, 10, 10, 15]


def test_the_ons_rule_withholds_cells_below_ten_and_rounds_the_rest_to_five() -> None:
    public = public_figures(student_figures(non_binary=9, female=33), ONS_10_5, START)

    gender = public.shares["students_reached"]["gender"]
    assert gender["non_binary"] == Share(count=None, percent=None, suppressed=True)
    assert gender["female"] == Share(count=35, percent=87.5)
    assert public.students_reached == 40
    assert (public.rounding_base, public.smallest_shown) == (5, 10)


def test_a_single_arrival_crossing_a_rounding_boundary_is_not_released_on_its_own() -> None:
    releases = PublicReleases(ROUND_5, SCHEDULE)
    first = releases.release("p", student_figures(non_binary=2, female=18), START)
    # Two arrivals that change nothing visible: held, then decided silently after the maximum hold
    two = START + timedelta(seconds=90)
    assert releases.release("p", student_figures(non_binary=2, female=20), two) is first
    decided = two + SCHEDULE.max_hold
    assert releases.release("p", student_figures(non_binary=2, female=20), decided) is first
    # One more arrival would show non_binary 0 -> 5 and 20 -> 25 students: it is held, not shown alone
    one = decided + timedelta(seconds=90)
    assert releases.release("p", student_figures(non_binary=3, female=20), one) is first
    assert releases.next_due() == one + SCHEDULE.max_hold
    released = releases.release("p", student_figures(non_binary=3, female=20), one + SCHEDULE.max_hold)
    assert released.shares["students_reached"]["gender"]["non_binary"].count == 5
    assert (released.students_reached, released.updated_at) == (25, one + SCHEDULE.max_hold)


def test_the_first_release_is_immediate_and_nothing_new_keeps_the_last_one() -> None:
    releases = PublicReleases(ROUND_5, SCHEDULE)
    first = releases.release("p", student_figures(non_binary=0, female=10), START)

    assert first.updated_at == START
    assert first.disclosure_controlled
    assert (
        releases.release("p", student_figures(non_binary=0, female=10), START + timedelta(hours=2)) is first
    )
    assert releases.next_due() is None


def test_a_new_merger_goes_on_with_the_release_schedule_of_the_last_one() -> None:
    last_merger = PublicReleases(ROUND_5, SCHEDULE)
    exact = student_figures(non_binary=0, female=10)
    published = last_merger.release("p", exact, START)

    # The next merger knows the last release only from pulse.counters: it must not release early.
    next_merger = PublicReleases(ROUND_5, SCHEDULE)
    next_merger.resume("p", exact, published)
    soon = START + timedelta(seconds=10)
    assert next_merger.release("p", student_figures(non_binary=1, female=14), soon) is published
    assert next_merger.next_due() == START + SCHEDULE.min_interval
    later = next_merger.release("p", student_figures(non_binary=1, female=14), START + SCHEDULE.min_interval)
    assert later.students_reached == 15


def test_a_renamed_partner_goes_out_at_once_without_releasing_counts_early() -> None:
    releases = PublicReleases(ROUND_5, SCHEDULE)
    named = student_figures(non_binary=0, female=10).model_copy(
        update={"partner_names": {"prt_1": "Old name"}}
    )
    first = releases.release("p", named, START)
    assert first.partner_names == {"prt_1": "Old name"}

    # One arrival and a rename a second later: the name is shown, the held count is not.
    soon = START + timedelta(seconds=1)
    renamed = student_figures(non_binary=1, female=10).model_copy(
        update={"partner_names": {"prt_1": "Teesside University"}}
    )
    shown = releases.release("p", renamed, soon)
    assert shown.partner_names == {"prt_1": "Teesside University"}
    assert (shown.students_reached, shown.updated_at) == (first.students_reached, START)
    assert releases.release("p", renamed, soon + timedelta(seconds=1)) is shown
