"""The dependencies every handler needs, built once in the app's lifespan."""

from __future__ import annotations

from dataclasses import dataclass, field

from registration.config import RegistrationSettings
from registration.repository.directory import OrganisationStore, PartnerStore
from registration.repository.participants import ParticipantStore
from shared.mongo.outbox import OutboxRelay


@dataclass
class RegistrationContext:
    settings: RegistrationSettings
    participants: ParticipantStore
    partners: PartnerStore
    organisations: OrganisationStore
    relay: OutboxRelay
    # Partners never change programme, so their programme is remembered once read.
    partner_programmes: dict[str, str] = field(default_factory=dict)

    @property
    def topic(self) -> str:
        return self.settings.topics.participants

    @property
    def keys_topic(self) -> str:
        return self.settings.topics.participant_keys

    @property
    def partners_topic(self) -> str:
        return self.settings.topics.partners
