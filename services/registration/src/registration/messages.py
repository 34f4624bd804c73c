"""The only place registration builds the events it publishes: pseudonymous facts, never names or emails."""

from __future__ import annotations

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
from shared.mongo.client import Document
from shared.mongo.outbox import outbox_entry, tombstone_entry
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


def changed_entry(topic: str, outcome: Outcome, participant: Participant) -> Document:
    """The outbox entry of a participant's registration or update, keyed by the participant's id."""
    event = new_event(
        source=SOURCE,
        type=_CHANGE_TYPES[outcome],
        subject=participant.id,
        data=participant_changed(participant),
    )
    return outbox_entry(topic, participant.id, event)


def key_entry(topic: str, participant: Participant) -> Document:
    """The outbox entry of a participant's data key on the keys topic, keyed by the participant's id.

    Its id is the participant's, so the same key published with each change is recognisably one fact.
    """
    event = new_event(
        source=SOURCE,
        type=PARTICIPANT_KEY,
        subject=participant.id,
        id=f"{participant.id}.key",
        data=ParticipantKey(participant_id=participant.id, key=key_text(participant.data_key)),
    )
    return outbox_entry(topic, participant.id, event)


def key_deleted_entry(topic: str, tombstone: Tombstone) -> Document:
    """The outbox entry of an erasure on the keys topic: a tombstone, after which the cleaner drops the key."""
    return tombstone_entry(topic, tombstone.id, tombstone.erased_at)


def erased_entry(topic: str, tombstone: Tombstone) -> Document:
    """The outbox entry of an erasure, keyed by the participant's id."""
    event = new_event(
        source=SOURCE, type=PARTICIPANT_ERASED, subject=tombstone.id, data=participant_erased(tombstone)
    )
    return outbox_entry(topic, tombstone.id, event)


def partner_entry(topic: str, partner: Document) -> Document:
    """The outbox entry of a partner's current facts (registered at version 1, renamed after), keyed by its id.

    The id is the partner's and the version's, so a fact published twice (a start-up that announces a
    partner on two instances at once) is recognisably the same.
    """
    version = partner["version"]
    event = new_event(
        source=SOURCE,
        type=PARTNER_REGISTERED if version == 1 else PARTNER_RENAMED,
        subject=partner["_id"],
        id=f"{partner['_id']}.v{version}",
        data=PartnerChanged(
            partner_id=partner["_id"],
            programme_id=partner["programme_id"],
            name=partner["name"],
            version=version,
        ),
    )
    return outbox_entry(topic, partner["_id"], event)
