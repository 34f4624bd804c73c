"""Sealed participant fields open only with their participant's key, for their participant and version."""

from __future__ import annotations

import base64
import os

import pytest
from pydantic import ValidationError

from shared.contracts.payloads import ParticipantKey, SealedFields
from shared.contracts.vocabulary import Ethnicity, Gender, Nation
from shared.sealing import Unsealable, key_text, new_data_key, seal, unseal

FIELDS = SealedFields(
    organisation_id="org-1",
    gender=Gender.NON_BINARY,
    ethnicity=Ethnicity.MIXED,
    nation=Nation.WALES,
    region="Gwynedd",
)


def test_sealed_fields_open_with_their_key_for_their_participant_and_version() -> None:
    key = new_data_key()
    sealed = seal(key, "p-1", 3, FIELDS)
    assert unseal(key, "p-1", 3, sealed) == FIELDS
    for text in ("org-1", "non_binary", "mixed", "wales", "Gwynedd"):
        assert text not in sealed


def test_sealed_fields_do_not_open_with_another_participants_key() -> None:
    sealed = seal(new_data_key(), "p-1", 3, FIELDS)
    with pytest.raises(Unsealable):
        unseal(new_data_key(), "p-1", 3, sealed)


@pytest.mark.parametrize(("participant_id", "version"), [("p-2", 3), ("p-1", 2), ("p-1", 4)])
def test_sealed_fields_moved_to_another_participant_or_version_do_not_open(
    participant_id: str, version: int
) -> None:
    key = new_data_key()
    sealed = seal(key, "p-1", 3, FIELDS)
    with pytest.raises(Unsealable):
        unseal(key, participant_id, version, sealed)


def test_a_tampered_sealed_field_does_not_open() -> None:
    key = new_data_key()
    sealed = seal(key, "p-1", 3, FIELDS)
    flipped = sealed[:20] + ("A" if sealed[20] != "A" else "B") + sealed[21:]
    with pytest.raises(Unsealable):
        unseal(key, "p-1", 3, flipped)
    with pytest.raises(Unsealable):
        unseal(key, "p-1", 3, "not base64 at all!")


@pytest.mark.parametrize("length", [16, 31, 33])
def test_a_published_key_of_another_length_is_refused_by_its_contract(length: int) -> None:
    # Refused as the message is read, so the consumer loop dead-letters it (shared.kafka.consumer).
    assert ParticipantKey(participant_id="p-1", key=key_text(new_data_key())).key
    with pytest.raises(ValidationError, match="pattern"):
        ParticipantKey(participant_id="p-1", key=base64.urlsafe_b64encode(os.urandom(length)).decode())
