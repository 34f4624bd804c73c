"""Signed QR check-in tokens: registration signs with its private key, events verifies offline.

A token is `<base64url(payload JSON)>.<base64url(Ed25519 signature of that first part)>`, compact enough
for a QR code. The payload names the participant, their partner and programme, and an expiry.
"""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, ValidationError


class InvalidToken(ValueError):
    """The token is malformed, tampered with, signed by another key or expired."""


class QrClaims(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    pid: str  # participant id
    prt: str  # partner id
    prg: str  # programme id
    exp: int  # expiry, seconds since the epoch


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    # One spelling per token: base64 ignores a last character's spare bits, so check the round trip.
    if _b64(data) != text:
        raise binascii.Error("not canonical base64url")
    return data


def generate_keypair() -> tuple[str, str]:
    """A new (private, public) pair, each as base64url of its 32 raw bytes."""
    private = Ed25519PrivateKey.generate()
    public = private.public_key()
    return _b64(private.private_bytes_raw()), _b64(public.public_bytes_raw())


def load_private_key(encoded: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_unb64(encoded.strip().rstrip("=")))


def load_public_key(encoded: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(_unb64(encoded.strip().rstrip("=")))


def sign(claims: QrClaims, key: Ed25519PrivateKey) -> str:
    body = _b64(claims.model_dump_json().encode())
    return f"{body}.{_b64(key.sign(body.encode()))}"


def verify(token: str, key: Ed25519PublicKey, now: datetime | None = None) -> QrClaims:
    """The token's claims, or InvalidToken."""
    body, dot, signature = token.partition(".")
    if not dot or not body or not signature:
        raise InvalidToken("token is not of the form <payload>.<signature>")
    try:
        key.verify(_unb64(signature), body.encode())
        claims = QrClaims.model_validate_json(_unb64(body))
    except (InvalidSignature, binascii.Error, ValueError, ValidationError) as exc:
        raise InvalidToken("token signature or payload is invalid") from exc
    if claims.exp < (now or datetime.now(UTC)).timestamp():
        raise InvalidToken("token has expired")
    return claims
