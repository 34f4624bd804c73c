"""Fakes of the registration service's own storage interfaces (registration.handlers.storage), for its unit
tests: no broker, no database."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from registration.config import RegistrationSettings
from registration.context import RegistrationContext
from registration.domain.directory import Organisation, Partner
from registration.domain.participants import Consent, Details, Participant, Tombstone
from registration.handlers.storage import Change
from registration.messages import RegistrationMessages
from shared.contracts.topics import Topics
from shared.contracts.vocabulary import OrganisationKind, Role
from shared.kafka.producer import Deletion, Outgoing

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def details(**overrides: object) -> Details:
    """A student's registration details, consenting to processing only, with `overrides`."""
    values: dict[str, object] = {
        "role": Role.STUDENT,
        "given_name": "Ada",
        "family_name": "Lovelace",
        "email": "ada@example.org",
        "organisation_id": None,
        "gender": None,
        "ethnicity": None,
        "nation": None,
        "region": None,
        "consent": Consent(data_processing=True, demographics=False),
    }
    values.update(overrides)
    return Details(**values)  # type: ignore[arg-type]


@dataclass
class FakeParticipants:
    rows: dict[str, Participant | Tombstone] = field(default_factory=dict)
    sent: list[Outgoing | Deletion] = field(default_factory=list)

    async def get(self, participant_id: str) -> Participant | Tombstone | None:
        return self.rows.get(participant_id)

    async def by_refs(self, partner_id: str, refs: Iterable[str]) -> dict[str, Participant]:
        wanted = set(refs)
        return {
            p.partner_ref: p
            for p in self.rows.values()
            if isinstance(p, Participant) and p.partner_id == partner_id and p.partner_ref in wanted
        }

    async def page(self, partner_id: str | None, after: str | None, limit: int) -> list[Participant]:
        live = [p for p in self.rows.values() if isinstance(p, Participant)]
        return sorted(live, key=lambda p: p.id)[:limit]

    async def write(self, changes: Sequence[Change]) -> set[str]:
        for change in changes:
            self.rows[change.after.id] = change.after
            self.sent.extend(change.messages)
        return set()

    async def erase(
        self, tombstone: Tombstone, before_version: int, messages: Sequence[Outgoing | Deletion]
    ) -> bool:
        if self.rows[tombstone.id].version != before_version:
            return False
        self.rows[tombstone.id] = tombstone
        self.sent.extend(messages)
        return True


@dataclass
class FakePartners:
    rows: dict[str, Partner] = field(default_factory=dict)
    sent: list[Outgoing] = field(default_factory=list)

    async def insert(self, partner: Partner, message: Outgoing) -> None:
        self.rows[partner.id] = partner
        self.sent.append(message)

    async def get(self, partner_id: str) -> Partner | None:
        return self.rows.get(partner_id)

    async def all(self) -> list[Partner]:
        return list(self.rows.values())

    async def rename(self, before: Partner, after: Partner, message: Outgoing) -> bool:
        if self.rows[before.id].version != before.version:
            return False
        self.rows[after.id] = after
        self.sent.append(message)
        return True

    async def announce_unannounced(self, message_of: Callable[[Partner], Outgoing]) -> int:
        return 0


@dataclass
class FakeOrganisations:
    rows: dict[str, Organisation] = field(default_factory=dict)

    async def insert_or_find(self, organisation: Organisation) -> tuple[Organisation, bool]:
        for known in self.rows.values():
            if (known.kind, known.name_key) == (organisation.kind, organisation.name_key):
                return known, False
        self.rows[organisation.id] = organisation
        return organisation, True

    async def existing_ids(self, ids: set[str]) -> set[str]:
        return ids & set(self.rows)

    async def page(
        self, *, kind: OrganisationKind | None, name_prefix: str | None, after: str | None, limit: int
    ) -> list[Organisation]:
        return list(self.rows.values())[:limit]


@dataclass
class World:
    """A context over fakes, and the fakes, so a test can arrange what is stored and read what was sent."""

    ctx: RegistrationContext
    participants: FakeParticipants
    partners: FakePartners
    organisations: FakeOrganisations


def world_of(**settings: object) -> World:
    """A fresh world with partner `ucl` (programme `resilience`): a clock stopped at NOW and counted ids."""
    participants, partners, organisations = FakeParticipants(), FakePartners(), FakeOrganisations()
    partners.rows["ucl"] = Partner("ucl", "UCL", "resilience", NOW)
    counter = itertools.count(1)
    ctx = RegistrationContext(
        settings=RegistrationSettings.model_validate({"max_batch_items": 10, **settings}),
        participants=participants,
        partners=partners,
        organisations=organisations,
        messages=RegistrationMessages(Topics()),
        clock=lambda: NOW,
        new_id=lambda kind: f"{kind}_{next(counter)}",
    )
    return World(ctx, participants, partners, organisations)
