"""What the handlers need of storage: the interfaces repository/ implements against MongoDB.

Each write that says something to other services takes its messages, which the store keeps in its outbox and
publishes (docs/architecture.md, Topics and event contracts): a handler never sees a document or an outbox.
Unit tests fake these interfaces.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from registration.domain.directory import Organisation, Partner
from registration.domain.participants import Participant, Tombstone
from shared.contracts.vocabulary import OrganisationKind
from shared.kafka.producer import Deletion, Outgoing


@dataclass(frozen=True)
class Change:
    """A participant to store as `after`, expected at `before_version` (0: new), with its messages."""

    after: Participant
    before_version: int
    messages: list[Outgoing]


class ParticipantStore(Protocol):
    async def get(self, participant_id: str) -> Participant | Tombstone | None: ...

    async def by_refs(self, partner_id: str, refs: Iterable[str]) -> dict[str, Participant]:
        """A partner's live participants by partner_ref."""
        ...

    async def page(self, partner_id: str | None, after: str | None, limit: int) -> list[Participant]: ...

    async def write(self, changes: Sequence[Change]) -> set[str]:
        """Store new and changed participants; returns the ids whose write lost a race with another writer."""
        ...

    async def erase(
        self, tombstone: Tombstone, before_version: int, messages: Sequence[Outgoing | Deletion]
    ) -> bool:
        """Remove the personal fields for good if the participant is still at `before_version`."""
        ...


class PartnerStore(Protocol):
    async def insert(self, partner: Partner, message: Outgoing) -> None: ...

    async def get(self, partner_id: str) -> Partner | None: ...

    async def all(self) -> list[Partner]: ...

    async def rename(self, before: Partner, after: Partner, message: Outgoing) -> bool:
        """Store `after` if nobody changed the partner since `before` was read."""
        ...

    async def announce_unannounced(self, message_of: Callable[[Partner], Outgoing]) -> int:
        """Give each partner stored before partners had facts its first one; returns how many."""
        ...


class OrganisationStore(Protocol):
    async def insert_or_find(self, organisation: Organisation) -> tuple[Organisation, bool]:
        """The stored organisation of that name and kind, and whether this call created it."""
        ...

    async def existing_ids(self, ids: set[str]) -> set[str]: ...

    async def page(
        self, *, kind: OrganisationKind | None, name_prefix: str | None, after: str | None, limit: int
    ) -> list[Organisation]: ...
