"""What the handlers need, built once in the app's lifespan (unit tests build it with fakes)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from registration.config import RegistrationSettings
from registration.domain import ids
from registration.handlers.storage import OrganisationStore, ParticipantStore, PartnerStore
from registration.messages import RegistrationMessages
from shared.clock import Clock, now


@dataclass
class RegistrationContext:
    settings: RegistrationSettings
    participants: ParticipantStore
    partners: PartnerStore
    organisations: OrganisationStore
    messages: RegistrationMessages
    clock: Clock = now
    new_id: Callable[[str], str] = field(default=ids.new_id)  # of a kind: ids.PARTICIPANT, PARTNER...
    # Partners never change programme, so their programme is remembered once read.
    partner_programmes: dict[str, str] = field(default_factory=dict)

    @property
    def keys_topic(self) -> str:
        return self.settings.topics.participant_keys
