"""Public figures suppress cells from 1 to 4; headline counters and zero cells stay as they are."""

from __future__ import annotations

from datetime import UTC, datetime

from metrics.domain.disclosure import public_figures
from shared.contracts.counters import ProgrammeFigures, Share


def figures() -> ProgrammeFigures:
    return ProgrammeFigures(
        programme_id="resilience",
        trainees_trained=3,
        students_reached=12,
        events_delivered=2,
        attendances=20,
        leaders=0,
        leader_organisations=0,
        shares={
            "students_reached": {
                "gender": {
                    "female": Share(count=8, percent=66.67),
                    "male": Share(count=4, percent=33.33),
                    "non_binary": Share(count=0, percent=0.0),
                }
            }
        },
        breakdowns={"partner": {"ucl": {"students_reached": 12, "trainees_trained": 3, "leaders": 0}}},
        targets={},
        disclosure_controlled=False,
        updated_at=datetime(2026, 3, 1, tzinfo=UTC),
    )


def test_small_cells_are_suppressed_and_their_percent_withheld() -> None:
    public = public_figures(figures())

    gender = public.shares["students_reached"]["gender"]
    assert gender["male"] == Share(count=None, percent=None, suppressed=True)
    assert gender["female"] == Share(count=8, percent=66.67)
    assert gender["non_binary"].count == 0
    assert public.breakdowns["partner"]["ucl"] == {
        "students_reached": 12,
        "trainees_trained": None,
        "leaders": 0,
    }
    assert public.disclosure_controlled is True


def test_headline_counters_are_shown_as_they_are() -> None:
    public = public_figures(figures())

    assert (public.trainees_trained, public.students_reached, public.events_delivered) == (3, 12, 2)
