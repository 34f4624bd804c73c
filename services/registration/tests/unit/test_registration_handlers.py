"""Registration, replays, batches, erasure and partners decided by the handlers, over fakes of its storage."""

from __future__ import annotations

from dataclasses import replace

import pytest
from testkit.refusals import refusals_of
from testkit.registration_fakes import NOW, World, details, world_of

from registration.domain import errors
from registration.domain.directory import Organisation
from registration.domain.errors import (
    BatchTooLarge,
    InvalidParticipant,
    ParticipantErased,
    ParticipantNotFound,
    PartnerNotFound,
    QrNotConfigured,
    RegistrationError,
    UnknownOrganisation,
    UnknownPartner,
)
from registration.domain.participants import Outcome, Registration, Tombstone
from registration.handlers.directory import create_partner, get_partner, name_organisation, rename_partner
from registration.handlers.participants import Registered, register_batch, register_one
from registration.handlers.records import erase_participant, issue_qr_token, live, owned
from registration.routes.problems import PROBLEMS, item_error, problem_of
from shared.contracts.identity import Principal, Scope
from shared.contracts.payloads import (
    PARTICIPANT_ERASED,
    PARTICIPANT_REGISTERED,
    PARTICIPANT_UPDATED,
    PARTNER_REGISTERED,
    PARTNER_RENAMED,
)
from shared.contracts.vocabulary import OrganisationKind, Role
from shared.kafka.producer import Deletion, Outgoing

UCL = Principal(scope=Scope.PARTNER, partner_id="ucl")
TEESSIDE = Principal(scope=Scope.PARTNER, partner_id="teesside")


def registration(ref: str = "r1", **overrides: object) -> Registration:
    return Registration(ref, details(**overrides))


def facts(world: World) -> list[Outgoing]:
    """What went to pulse.participants (a participant's data key and its deletion go to the keys topic)."""
    topic = world.ctx.settings.topics.participants
    return [m for m in world.participants.sent if isinstance(m, Outgoing) and m.topic == topic]


def sent(world: World) -> list[tuple[str, int]]:
    return [(m.event.type, m.event.data["version"]) for m in facts(world)]


async def test_a_replay_by_partner_ref_returns_the_same_participant_and_says_only_what_changed(
    world: World,
) -> None:
    first = await register_one(world.ctx, "ucl", registration())
    same = await register_one(world.ctx, "ucl", registration())
    changed = await register_one(world.ctx, "ucl", registration(given_name="Ada B."))

    assert [r.outcome for r in (first, same, changed)] == [
        Outcome.CREATED,
        Outcome.UNCHANGED,
        Outcome.UPDATED,
    ]
    assert first.participant.id == same.participant.id == changed.participant.id
    assert (changed.participant.version, changed.participant.created_at) == (2, NOW)
    assert sent(world) == [(PARTICIPANT_REGISTERED, 1), (PARTICIPANT_UPDATED, 2)]


async def test_a_batch_gives_each_item_its_result_in_order_and_a_bad_item_stops_nothing(world: World) -> None:
    world.organisations.rows["org_1"] = Organisation("org_1", "Acme", OrganisationKind.EMPLOYER, None, NOW)
    items: list[Registration | RegistrationError] = [
        registration("r1"),
        InvalidParticipant(errors=[{"loc": ["email"], "msg": "not an email", "type": "value_error"}]),
        registration("r1"),  # the same partner_ref again: a replay of the first
        registration("r2", role=Role.LEADER, organisation_id="org_404"),
        registration("r3", role=Role.LEADER, organisation_id="org_1"),
    ]

    results = await register_batch(world.ctx, "ucl", items)

    kinds = [r.outcome if isinstance(r, Registered) else type(r) for r in results]
    assert kinds == [
        Outcome.CREATED,
        InvalidParticipant,
        Outcome.UNCHANGED,
        UnknownOrganisation,
        Outcome.CREATED,
    ]
    assert [m.key for m in facts(world)] == [results[0].participant.id, results[4].participant.id]  # type: ignore[union-attr]
    assert item_error(results[3]).errors[0]["loc"] == ["organisation_id"]  # type: ignore[arg-type]


async def test_registration_is_refused_to_an_unknown_partner_and_past_the_batch_bound(world: World) -> None:
    with pytest.raises(UnknownPartner):
        await register_one(world.ctx, "nobody", registration())
    with pytest.raises(BatchTooLarge):
        await register_batch(world.ctx, "ucl", [registration(f"r{n}") for n in range(11)])
    assert world.participants.rows == {}


async def test_erasure_keeps_a_tombstone_says_so_once_and_hides_the_participant_from_other_partners(
    world: World,
) -> None:
    registered = await register_one(world.ctx, "ucl", registration())
    pid = registered.participant.id
    with pytest.raises(ParticipantNotFound):
        await erase_participant(world.ctx, TEESSIDE, pid)

    await erase_participant(world.ctx, UCL, pid)
    await erase_participant(world.ctx, UCL, pid)  # again: nothing changes, nothing is said

    tombstone = await owned(world.ctx, UCL, pid)
    assert isinstance(tombstone, Tombstone)
    assert (tombstone.version, tombstone.erased_at, tombstone.role) == (2, NOW, Role.STUDENT)
    assert sent(world) == [(PARTICIPANT_REGISTERED, 1), (PARTICIPANT_ERASED, 2)]
    keys = world.ctx.settings.topics.participant_keys
    # The data key went out with the registration; the erasure deletes it from the keys topic.
    assert [type(m) for m in world.participants.sent if m.topic == keys] == [Outgoing, Deletion]
    with pytest.raises(ParticipantErased):
        await live(world.ctx, UCL, pid)


async def test_a_qr_token_needs_a_signing_key() -> None:
    world = world_of(qr_private_key="")
    registered = await register_one(world.ctx, "ucl", registration())
    with pytest.raises(QrNotConfigured):
        issue_qr_token(world.ctx, registered.participant)


async def test_a_partner_is_announced_and_renamed_once_per_new_name_and_seen_only_by_itself(
    world: World,
) -> None:
    created = await create_partner(world.ctx, "Heriot-Watt", None)
    await rename_partner(world.ctx, created.id, "Heriot-Watt")  # its own name: nothing changes
    renamed = await rename_partner(world.ctx, created.id, "Heriot-Watt University")

    assert (created.programme_id, renamed.version) == ("resilience", 2)
    assert [(m.event.type, m.event.id) for m in world.partners.sent] == [
        (PARTNER_REGISTERED, f"{created.id}.v1"),
        (PARTNER_RENAMED, f"{created.id}.v2"),
    ]
    assert await get_partner(world.ctx, "ucl", UCL) == world.partners.rows["ucl"]
    with pytest.raises(PartnerNotFound):
        await get_partner(world.ctx, created.id, UCL)


async def test_two_spellings_of_an_organisation_name_one_organisation(world: World) -> None:
    first, created = await name_organisation(world.ctx, "Acme  Ltd", OrganisationKind.EMPLOYER, "ucl")
    again, created_again = await name_organisation(
        world.ctx, "acme ltd", OrganisationKind.EMPLOYER, "teesside"
    )
    assert (created, created_again) == (True, False)
    assert again == first == replace(first, name="Acme Ltd")


def test_every_refusal_of_the_domain_is_answered_and_alike_for_a_request_and_an_item() -> None:
    refusals = refusals_of(errors, RegistrationError)
    assert refusals == set(PROBLEMS)
    for kind in refusals:
        error = kind("org_1") if kind is UnknownOrganisation else kind("why")
        problem, item = problem_of(error), item_error(error)
        assert (item.status, item.title, item.detail, item.type) == (
            problem.status,
            problem.title,
            problem.detail,
            f"/problems/{problem.type_}",
        )
