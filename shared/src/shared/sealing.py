"""Sealed participant fields: the special-category and quasi-identifying fields of a participant, encrypted
with that participant's own data key (crypto-shredding, docs/architecture.md, Erasure).

Registration holds each participant's random 256-bit key and publishes it on the compacted
`pulse.participant-keys` topic; erasure deletes it there and in registration, after which the sealed field
on `pulse.participants` cannot be opened by anyone. AES-256-GCM; the associated data binds a sealed field to
its participant id and version, so it cannot be moved to another participant or replayed as another version.
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import ValidationError

from shared.contracts.payloads import SealedFields

KEY_BYTES = 32
_NONCE_BYTES = 12


class Unsealable(ValueError):
    """The sealed field does not open with this key for this participant and version."""


def new_data_key() -> bytes:
    return os.urandom(KEY_BYTES)


def _associated(participant_id: str, version: int) -> bytes:
    return f"pulse.participant.sealed.v1|{participant_id}|{version}".encode()


def seal(key: bytes, participant_id: str, version: int, fields: SealedFields) -> str:
    """The fields encrypted for this participant at this version: base64url of nonce and ciphertext."""
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(key).encrypt(
        nonce, fields.model_dump_json(exclude_none=True).encode(), _associated(participant_id, version)
    )
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(key: bytes, participant_id: str, version: int, sealed: str) -> SealedFields:
    """The fields sealed for this participant at this version; raises Unsealable otherwise."""
    try:
        raw = base64.urlsafe_b64decode(sealed)
        plain = AESGCM(key).decrypt(
            raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _associated(participant_id, version)
        )
        return SealedFields.model_validate_json(plain)
    except (InvalidTag, ValueError, ValidationError) as exc:
        raise Unsealable(f"the sealed fields of {participant_id} v{version} do not open") from exc


def key_text(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode()


def key_bytes(text: str) -> bytes:
    key = base64.urlsafe_b64decode(text)
    if len(key) != KEY_BYTES:
        raise ValueError("a data key is 32 bytes")
    return key
