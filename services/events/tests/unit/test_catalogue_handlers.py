"""Scheduling, changing and listing events, over fakes of the service's storage; and how refusals answer."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from testkit.events_fakes import NOW, World
from testkit.refusals import refusals_of

from events.domain import errors
from events.domain.errors import ConcurrentChange, EventCancelled, EventsError, NotAllowed, RuleBroken
from events.domain.events import EventDetails
from events.handlers.catalogue import change_event, list_events, read_event, schedule_event
from events.routes.problems import PROBLEMS, problem_of, record_problem
from shared.contracts.identity import Principal, Scope
from shared.contracts.payloads import EVENT_CANCELLED, EVENT_SCHEDULED, EVENT_UPDATED
from shared.contracts.vocabulary import EventKind, EventStatus, Nation

UCL = Principal(scope=Scope.PARTNER, partner_id="ucl")
ADMIN = Principal(scope=Scope.ADMIN)
DETAILS = EventDetails("Flood training", EventKind.TRAINING, NOW, NOW + timedelta(hours=8), Nation.WALES)


async def test_a_change_makes_a_new_version_and_says_so_and_a_cancelled_event_changes_no_more(
    world: World,
) -> None:
    event = await schedule_event(ctx=world.ctx, caller=UCL, partner_id=None, details=DETAILS)
    same = await change_event(
        ctx=world.ctx, caller=UCL, event_id=event.id, changes={"title": "Flood training"}
    )
    renamed = await change_event(ctx=world.ctx, caller=UCL, event_id=event.id, changes={"title": "Floods II"})
    cancelled = await change_event(
        ctx=world.ctx, caller=UCL, event_id=event.id, changes={"status": EventStatus.CANCELLED}
    )
    with pytest.raises(EventCancelled):
        await change_event(ctx=world.ctx, caller=UCL, event_id=event.id, changes={"title": "Back"})

    assert (event.partner_id, same, renamed.version, cancelled.version) == ("ucl", event, 2, 3)
    assert [(m.event.type, m.event.data["version"]) for m in world.events.sent] == [
        (EVENT_SCHEDULED, 1),
        (EVENT_UPDATED, 2),
        (EVENT_CANCELLED, 3),
    ]
    assert await read_event(ctx=world.ctx, caller=ADMIN, event_id=event.id) == cancelled


async def test_changes_are_refused_to_other_partners_to_inverted_windows_and_to_a_lost_race(
    world: World,
) -> None:
    event = await schedule_event(ctx=world.ctx, caller=UCL, partner_id=None, details=DETAILS)
    teesside = Principal(scope=Scope.PARTNER, partner_id="teesside")
    with pytest.raises(NotAllowed):
        await change_event(ctx=world.ctx, caller=teesside, event_id=event.id, changes={"title": "Mine"})
    with pytest.raises(RuleBroken):
        await change_event(ctx=world.ctx, caller=UCL, event_id=event.id, changes={"ends_at": NOW})
    with pytest.raises(RuleBroken):  # an admin names the owner
        await schedule_event(ctx=world.ctx, caller=ADMIN, partner_id=None, details=DETAILS)

    world.events.changed_meanwhile = True
    with pytest.raises(ConcurrentChange):
        await change_event(ctx=world.ctx, caller=UCL, event_id=event.id, changes={"title": "Lost"})
    assert [m.event.type for m in world.events.sent] == [EVENT_SCHEDULED]


async def test_the_listing_pages_by_start_time_with_an_opaque_cursor(world: World) -> None:
    for hours in (3, 1, 2):
        details = replace(DETAILS, starts_at=NOW + timedelta(hours=hours), ends_at=NOW + timedelta(days=1))
        await schedule_event(ctx=world.ctx, caller=UCL, partner_id=None, details=details)
    filters = {"kind": None, "partner_id": None, "nation": None, "starts_from": None, "starts_before": None}

    first, cursor = await list_events(ctx=world.ctx, caller=UCL, cursor=None, limit=2, **filters)
    rest, end = await list_events(ctx=world.ctx, caller=UCL, cursor=cursor, limit=2, **filters)

    assert [e.starts_at - NOW for e in [*first, *rest]] == [timedelta(hours=h) for h in (1, 2, 3)]
    assert cursor is not None
    assert end is None


def test_every_refusal_of_the_domain_is_answered_and_alike_for_a_request_and_a_record() -> None:
    refusals = refusals_of(errors, EventsError)
    assert refusals == set(PROBLEMS)
    for kind in refusals:
        error = kind("why")
        problem, record = problem_of(error), record_problem(error)
        assert (record["status"], record["title"], record["detail"]) == (problem.status, problem.title, "why")
        assert 400 <= problem.status < 600
