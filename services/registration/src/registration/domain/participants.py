"""Participants: what a partner states about a person, and how a registration changes what is stored."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from shared.contracts.vocabulary import Ethnicity, Gender, Nation, Role


@dataclass(frozen=True)
class Consent:
    data_processing: bool
    demographics: bool


@dataclass(frozen=True)
class Details:
    """Everything a partner states about one participant; equal details mean an unchanged replay."""

    role: Role
    given_name: str
    family_name: str
    email: str
    organisation_id: str | None
    gender: Gender | None
    ethnicity: Ethnicity | None
    nation: Nation | None
    region: str | None
    consent: Consent

    def demographics_given(self) -> list[str]:
        values = {"gender": self.gender, "ethnicity": self.ethnicity, "nation": self.nation}
        given = [name for name, value in values.items() if value is not None]
        return [*given, "region"] if self.region is not None else given


def registration_problems(details: Details) -> list[str]:
    """Why these details cannot be registered, in words a partner can act on; empty when they can."""
    problems = []
    if not details.consent.data_processing:
        problems.append("consent.data_processing must be true: nobody is registered without it")
    given = details.demographics_given()
    if given and not details.consent.demographics:
        problems.append(f"{', '.join(given)} given without consent.demographics=true")
    if details.role is Role.LEADER and details.organisation_id is None:
        problems.append("a leader needs an organisation_id")
    return problems


class Outcome(StrEnum):
    CREATED = "created"
    UNCHANGED = "unchanged"
    UPDATED = "updated"


@dataclass(frozen=True)
class Participant:
    id: str
    partner_id: str
    programme_id: str
    partner_ref: str
    details: Details
    version: int
    consent_recorded_at: datetime
    created_at: datetime
    updated_at: datetime
    # The participant's 256-bit data key, which seals their categories on Kafka; erasure deletes it
    # (docs/architecture.md, Erasure). A participant stored before keys existed gets one when next written.
    data_key: bytes = field(default_factory=lambda: os.urandom(32), repr=False, compare=False)
    key_unpublished: bool = field(default=True, repr=False, compare=False)  # False once stored with it


@dataclass(frozen=True)
class Tombstone:
    """What is left of an erased participant: nothing that identifies the person."""

    id: str
    partner_id: str
    programme_id: str
    role: Role
    version: int
    erased_at: datetime


@dataclass(frozen=True)
class Registration:
    """One registration request of a partner: its own reference for the person and the details."""

    partner_ref: str
    details: Details


def register(
    existing: Participant | None,
    registration: Registration,
    *,
    partner_id: str,
    programme_id: str,
    now: datetime,
    new_id: Callable[[], str],
) -> tuple[Participant, Outcome]:
    """The participant after this registration, and whether it created, changed or left it as it was."""
    details = registration.details
    if existing is None:
        created = Participant(
            id=new_id(),
            partner_id=partner_id,
            programme_id=programme_id,
            partner_ref=registration.partner_ref,
            details=details,
            version=1,
            consent_recorded_at=now,
            created_at=now,
            updated_at=now,
        )
        return created, Outcome.CREATED
    if existing.details == details:
        return existing, Outcome.UNCHANGED
    consent_changed = existing.details.consent != details.consent
    updated = replace(
        existing,
        details=details,
        version=existing.version + 1,
        consent_recorded_at=now if consent_changed else existing.consent_recorded_at,
        updated_at=now,
    )
    return updated, Outcome.UPDATED


def erase(participant: Participant, now: datetime) -> Tombstone:
    return Tombstone(
        id=participant.id,
        partner_id=participant.partner_id,
        programme_id=participant.programme_id,
        role=participant.details.role,
        version=participant.version + 1,
        erased_at=now,
    )
