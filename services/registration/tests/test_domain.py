"""Registration rules and batch planning, without any infrastructure."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from testkit.registration_fakes import details

from registration.domain.batch import plan_batch
from registration.domain.participants import (
    Consent,
    Outcome,
    Registration,
    registration_problems,
)
from shared.contracts.vocabulary import Gender, Role

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def test_demographics_without_consent_are_refused_by_name() -> None:
    problems = registration_problems(details(gender=Gender.FEMALE, region="Fife"))
    assert problems == ["gender, region given without consent.demographics=true"]


def test_no_registration_without_data_processing_consent_and_no_leader_without_organisation() -> None:
    problems = registration_problems(
        details(role=Role.LEADER, consent=Consent(data_processing=False, demographics=False))
    )
    assert len(problems) == 2
    assert "data_processing" in problems[0]
    assert "organisation_id" in problems[1]


def test_a_repeated_partner_ref_in_one_batch_replays_the_first_item() -> None:
    ids = (f"par_{n}" for n in itertools.count())
    items = [
        (0, Registration("r1", details())),
        (1, Registration("r1", details())),
        (2, Registration("r1", details(given_name="Ada B."))),
    ]

    results, plans = plan_batch(
        items, {}, partner_id="p", programme_id="g", now=NOW, new_id=lambda: next(ids)
    )

    assert [(r.outcome, r.participant_id) for r in results] == [
        (Outcome.CREATED, "par_0"),
        (Outcome.UNCHANGED, "par_0"),
        (Outcome.UPDATED, "par_0"),
    ]
    plan = plans["r1"]
    assert plan.before is None
    assert [(outcome, p.version) for outcome, p in plan.changes] == [
        (Outcome.CREATED, 1),
        (Outcome.UPDATED, 2),
    ]
    assert plan.after.details.given_name == "Ada B."
