"""The pseudonymous facts registration publishes: categories and consent flags, never names or emails."""

from __future__ import annotations

from registration.domain.participants import Participant, Tombstone
from shared.contracts.payloads import ParticipantChanged, ParticipantErased


def participant_changed(participant: Participant) -> ParticipantChanged:
    details = participant.details
    # Demographics are stored only with consent, but the guard keeps a withdrawn consent out of the event.
    consented = details.consent.demographics
    return ParticipantChanged(
        participant_id=participant.id,
        programme_id=participant.programme_id,
        partner_id=participant.partner_id,
        version=participant.version,
        role=details.role,
        organisation_id=details.organisation_id,
        gender=details.gender if consented else None,
        ethnicity=details.ethnicity if consented else None,
        nation=details.nation if consented else None,
        region=details.region if consented else None,
        consent_data_processing=details.consent.data_processing,
        consent_demographics=consented,
    )


def participant_erased(tombstone: Tombstone) -> ParticipantErased:
    return ParticipantErased(
        participant_id=tombstone.id,
        programme_id=tombstone.programme_id,
        partner_id=tombstone.partner_id,
        version=tombstone.version,
    )
