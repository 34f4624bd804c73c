"""Sealed participant fields open only with their participant's key, for their participant and version."""

from __future__ import annotations

import pytest

from shared.contracts.payloads import SealedFields
from shared.contracts.vocabulary import Ethnicity, Gender, Nation
from shared.sealing import Unsealable, new_data_key, seal, unseal

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
