"""Check-ins and bulk uploads decided by the handlers, over fakes of the service's storage."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from testkit.builders import participant
from testkit.events_fakes import NOW, World

from events.domain.attendance import Checkin, Outcome, Record
from events.domain.errors import (
    BatchTooLarge,
    CheckinIdConflict,
    EventCancelled,
    InvalidQrToken,
    NotAllowed,
    NotAuthenticated,
    ParticipantErased,
    RuleBroken,
)
from events.domain.events import Event, EventDetails
from events.handlers.attendance import count_checkins, record_batch, record_checkin
from events.handlers.catalogue import change_event, schedule_event
from events.handlers.participants import participants_changed, participants_erased
from events.handlers.storage import KnownParticipant
from shared.contracts.identity import PUBLIC, Principal, Scope
from shared.contracts.payloads import ATTENDANCE_RECORDED, ATTENDANCE_RELEASED
from shared.contracts.payloads import ParticipantErased as Erased
from shared.contracts.vocabulary import AttendanceStatus, EventKind, EventStatus, Nation
from shared.qr_tokens import QrClaims, load_private_key, sign

UCL = Principal(scope=Scope.PARTNER, partner_id="ucl")
TEESSIDE = Principal(scope=Scope.PARTNER, partner_id="teesside")
ADMIN = Principal(scope=Scope.ADMIN)
DETAILS = EventDetails("Flood training", EventKind.TRAINING, NOW, NOW + timedelta(hours=8), Nation.WALES)


async def an_event(world: World, *, cancelled: bool = False) -> Event:
    event = await schedule_event(ctx=world.ctx, caller=UCL, partner_id=None, details=DETAILS)
    if cancelled:
        event = await change_event(
            ctx=world.ctx, caller=UCL, event_id=event.id, changes={"status": EventStatus.CANCELLED}
        )
    return event


def sent_types(world: World) -> list[tuple[str, str | None]]:
    return [(m.event.type, m.event.data.get("status")) for m in world.attendance.sent]


async def test_a_check_in_at_a_cancelled_event_is_refused_and_nothing_is_stored(world: World) -> None:
    event = await an_event(world, cancelled=True)
    with pytest.raises(EventCancelled):
        await record_checkin(ctx=world.ctx, caller=UCL, event_id=event.id, checkin=Checkin("p1"))
    assert world.attendance.rows == {}
    assert world.attendance.sent == []


async def test_an_unknown_participant_is_pending_and_a_known_one_recorded(world: World) -> None:
    event = await an_event(world)
    world.participants.known_ones["p-known"] = KnownParticipant("ucl", "resilience")

    pending, _ = await record_checkin(ctx=world.ctx, caller=UCL, event_id=event.id, checkin=Checkin("p-new"))
    recorded, _ = await record_checkin(
        ctx=world.ctx, caller=UCL, event_id=event.id, checkin=Checkin("p-known")
    )

    assert (pending.status, recorded.status) == (AttendanceStatus.PENDING, AttendanceStatus.RECORDED)
    assert recorded.checked_in_at == NOW  # no time given: now
    assert sent_types(world) == [(ATTENDANCE_RECORDED, "pending"), (ATTENDANCE_RECORDED, "recorded")]


async def test_a_second_scan_answers_the_first_check_in_and_says_nothing_more(world: World) -> None:
    event = await an_event(world)
    first, created = await record_checkin(ctx=world.ctx, caller=UCL, event_id=event.id, checkin=Checkin("p1"))
    again, created_again = await record_checkin(
        ctx=world.ctx,
        caller=UCL,
        event_id=event.id,
        checkin=Checkin("p1", checked_in_at=NOW - timedelta(hours=1)),
    )

    assert (created, created_again) == (True, False)
    assert again == first
    assert len(world.attendance.rows) == 1
    assert len(world.attendance.sent) == 1


async def test_a_checkin_id_reused_for_another_participant_is_refused(world: World) -> None:
    event = await an_event(world)
    await record_checkin(
        ctx=world.ctx, caller=UCL, event_id=event.id, checkin=Checkin("p1", checkin_id="c-1")
    )
    with pytest.raises(CheckinIdConflict):
        await record_checkin(
            ctx=world.ctx, caller=UCL, event_id=event.id, checkin=Checkin("p2", checkin_id="c-1")
        )


async def test_check_ins_are_refused_to_other_partners_the_public_the_erased_and_the_future(
    world: World,
) -> None:
    event = await an_event(world)
    world.participants.erased.add("p-erased")
    refused = [
        (TEESSIDE, Checkin("p1"), NotAllowed),
        (PUBLIC, Checkin("p1"), NotAuthenticated),
        (Principal(scope=Scope.CHECKIN, event_id="another"), Checkin("p1"), NotAllowed),
        (UCL, Checkin("p-erased"), ParticipantErased),
        (UCL, Checkin("p1", checked_in_at=NOW + timedelta(minutes=6)), RuleBroken),
    ]
    for caller, checkin, error in refused:
        with pytest.raises(error):
            await record_checkin(ctx=world.ctx, caller=caller, event_id=event.id, checkin=checkin)
    assert world.attendance.rows == {}
    door = Principal(scope=Scope.CHECKIN, event_id=event.id)
    assert await count_checkins(ctx=world.ctx, caller=door, event_id=event.id) == 0


async def test_a_qr_token_proves_the_participant_known_unless_it_is_another_programmes(world: World) -> None:
    event = await an_event(world)

    def token(programme_id: str) -> str:
        claims = QrClaims(pid="p-qr", prt="ucl", prg=programme_id, exp=int(time.time()) + 3600)
        return sign(claims, load_private_key(world.qr_private_key))

    with pytest.raises(InvalidQrToken):
        await record_checkin(
            ctx=world.ctx, caller=UCL, event_id=event.id, checkin=Checkin(qr_token=token("other"))
        )
    scanned, _ = await record_checkin(
        ctx=world.ctx, caller=UCL, event_id=event.id, checkin=Checkin(qr_token=token("resilience"))
    )

    assert (scanned.participant_id, scanned.status) == ("p-qr", AttendanceStatus.RECORDED)
    assert "p-qr" in world.participants.known_ones


async def test_a_batch_decides_each_record_and_stores_the_rest_in_one_bulk_insert(world: World) -> None:
    event = await an_event(world)
    other = await schedule_event(ctx=world.ctx, caller=TEESSIDE, partner_id=None, details=DETAILS)
    world.participants.known_ones["p1"] = KnownParticipant("ucl", "resilience")
    records: list[Record | RuleBroken] = [
        Record(event.id, "p1", None, NOW),  # known: recorded
        Record(event.id, "p2", None, NOW),  # not yet known: pending
        Record(event.id, "p1", None, NOW),  # the same pair again: a duplicate
        Record(other.id, "p3", None, NOW),  # another partner's event
        Record(event.id, "p4", None, NOW + timedelta(days=1)),  # in the future
        RuleBroken("checked_in_at: Field required"),  # the request could not read it
    ]

    results = await record_batch(ctx=world.ctx, caller=UCL, records=records)

    assert [r.outcome for r in results] == [
        Outcome.RECORDED,
        Outcome.PENDING,
        Outcome.DUPLICATE,
        Outcome.ERROR,
        Outcome.ERROR,
        Outcome.ERROR,
    ]
    assert [type(r.error) for r in results[3:]] == [NotAllowed, RuleBroken, RuleBroken]
    assert sorted(world.attendance.rows) == [f"{event.id}:p1", f"{event.id}:p2"]
    assert len(world.attendance.batches) == 1


async def test_a_batch_record_another_request_stored_meanwhile_is_a_duplicate_not_an_error(
    world: World,
) -> None:
    event = await an_event(world)
    first = await record_batch(ctx=world.ctx, caller=ADMIN, records=[Record(event.id, "p1", "c-1", NOW)])
    world.attendance.stored_meanwhile = [world.attendance.rows[f"{event.id}:p1"]]
    world.attendance.rows.clear()  # as the batch's read found it: not stored yet

    raced = await record_batch(
        ctx=world.ctx,
        caller=UCL,
        records=[Record(event.id, "p1", "c-2", NOW), Record(event.id, "p2", "c-1", NOW)],
    )

    assert [r.outcome for r in first] == [Outcome.PENDING]
    assert [(r.outcome, type(r.error).__name__) for r in raced] == [
        (Outcome.DUPLICATE, "NoneType"),
        (Outcome.ERROR, "CheckinIdConflict"),
    ]


async def test_a_batch_holds_at_most_the_configured_number_of_records(world: World) -> None:
    event = await an_event(world)
    with pytest.raises(BatchTooLarge):
        await record_batch(
            ctx=world.ctx, caller=UCL, records=[Record(event.id, f"p{n}", None, NOW) for n in range(11)]
        )


async def test_a_registration_releases_pending_attendance_once(world: World) -> None:
    event = await an_event(world)
    await record_batch(ctx=world.ctx, caller=UCL, records=[Record(event.id, "p1", None, NOW)])

    await participants_changed(world.ctx, [participant("p1", "ucl")])
    await participants_changed(world.ctx, [participant("p1", "ucl")])  # redelivered: nothing more

    assert world.attendance.rows[f"{event.id}:p1"].status is AttendanceStatus.RECORDED
    released = [m for m in world.attendance.sent if m.event.type == ATTENDANCE_RELEASED]
    assert [(m.key, m.event.id) for m in released] == [("p1", f"{event.id}:p1/released")]
    assert json.loads(released[0].event.model_dump_json())["data"]["released_at"].startswith(
        "2026-06-01T12:00"
    )


async def test_an_erasure_is_remembered_before_the_participant(world: World) -> None:
    await participants_erased(
        world.ctx, [Erased(participant_id="p1", programme_id="resilience", partner_id="ucl", version=2)]
    )
    assert world.participants.erased == {"p1"}
    assert world.participants.known_ones["p1"].erased
