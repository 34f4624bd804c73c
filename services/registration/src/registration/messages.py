"""The only place registration builds the events it publishes: pseudonymous facts, never names or emails."""

from __future__ import annotations

from registration.domain.directory import Partner
from registration.domain.participants import Outcome, Participant, Tombstone
from shared.contracts.envelope import new_event
from shared.contracts.payloads import (
    PARTICIPANT_ERASED,
    PARTICIPANT_KEY,
    PARTICIPANT_REGISTERED,
    PARTICIPANT_UPDATED,
    PARTNER_REGISTERED,
    PARTNER_RENAMED,
    ParticipantChanged,
    ParticipantErased,
    ParticipantKey,
    PartnerChanged,
    SealedFields,
)
from shared.contracts.topics import Topics
from shared.kafka.producer import Deletion, Outgoing
from shared.sealing import key_text, seal

SOURCE = "/registration"
_CHANGE_TYPES = {Outcome.CREATED: PARTICIPANT_REGISTERED, Outcome.UPDATED: PARTICIPANT_UPDATED}


def participant_changed(participant: Participant) -> ParticipantChanged:
    """The participant's facts: categories and organisation only sealed with their data key, never in clear."""
    details = participant.details
    # Demographics are stored only with consent, but the guard keeps a withdrawn consent out of the event.
    consented = details.consent.demographics
    fields = SealedFields(
        organisation_id=details.organisation_id,
        gender=details.gender if consented else None,
        ethnicity=details.ethnicity if consented else None,
        nation=details.nation if consented else None,
        region=details.region if consented else None,
    )
    return ParticipantChanged(
        participant_id=participant.id,
        programme_id=participant.programme_id,
        partner_id=participant.partner_id,
        version=participant.version,
        role=details.role,
        sealed=seal(participant.data_key, participant.id, participant.version, fields),
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


class RegistrationMessages:
    """Builds each message for its topic, keyed by the participant's or the partner's id."""

    def __init__(self, topics: Topics) -> None:
        self._topics = topics

    def changed(self, outcome: Outcome, participant: Participant) -> Outgoing:
        """A participant's registration or update."""
        event = new_event(
            source=SOURCE,
            type=_CHANGE_TYPES[outcome],
            subject=participant.id,
            data=participant_changed(participant),
        )
        return Outgoing(self._topics.participants, participant.id, event)

    def key(self, participant: Participant) -> Outgoing:
        """A participant's data key on the keys topic. Its id is the participant's, so the same key published
        with each change is recognisably one fact."""
        event = new_event(
            source=SOURCE,
            type=PARTICIPANT_KEY,
            subject=participant.id,
            id=f"{participant.id}.key",
            data=ParticipantKey(participant_id=participant.id, key=key_text(participant.data_key)),
        )
        return Outgoing(self._topics.participant_keys, participant.id, event)

    def key_deleted(self, tombstone: Tombstone) -> Deletion:
        """An erasure on the keys topic: a tombstone, after which the log cleaner drops the key."""
        return Deletion(self._topics.participant_keys, tombstone.id, tombstone.erased_at)

    def erased(self, tombstone: Tombstone) -> Outgoing:
        event = new_event(
            source=SOURCE, type=PARTICIPANT_ERASED, subject=tombstone.id, data=participant_erased(tombstone)
        )
        return Outgoing(self._topics.participants, tombstone.id, event)

    def partner(self, partner: Partner) -> Outgoing:
        """A partner's current facts (registered at version 1, renamed after).

        The id is the partner's and the version's, so a fact published twice (a start-up that announces a
        partner on two instances at once) is recognisably the same.
        """
        event = new_event(
            source=SOURCE,
            type=PARTNER_REGISTERED if partner.version == 1 else PARTNER_RENAMED,
            subject=partner.id,
            id=f"{partner.id}.v{partner.version}",
            data=PartnerChanged(
                partner_id=partner.id,
                programme_id=partner.programme_id,
                name=partner.name,
                version=partner.version,
            ),
        )
        return Outgoing(self._topics.partners, partner.id, event)
