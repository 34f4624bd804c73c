"""Partners and organisations: who registers people, and where people come from."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from shared.contracts.vocabulary import OrganisationKind


@dataclass(frozen=True)
class Partner:
    """An organisation that runs events and registers participants; `version` grows with each renaming."""

    id: str
    name: str
    programme_id: str
    created_at: datetime
    version: int = 1


def renamed(partner: Partner, name: str) -> Partner | None:
    """The partner under its new name, or None when the name is its own already."""
    return None if partner.name == name else replace(partner, name=name, version=partner.version + 1)


@dataclass(frozen=True)
class Organisation:
    """Where a participant comes from; named by any partner, once per name and kind."""

    id: str
    name: str
    kind: OrganisationKind
    created_by: str | None
    created_at: datetime

    @property
    def name_key(self) -> str:
        return name_key(self.name)


def name_key(name: str) -> str:
    """The form under which two spellings of one organisation's name meet."""
    return " ".join(name.split()).casefold()


def new_organisation(
    organisation_id: str, name: str, kind: OrganisationKind, created_by: str | None, now: datetime
) -> Organisation:
    return Organisation(organisation_id, " ".join(name.split()), kind, created_by, now)
