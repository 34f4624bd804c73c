"""Signed QR check-in tokens: registration signs with its private key, events verifies offline.

A token is a compact Ed25519 token (shared.signed_tokens), short enough for a QR code. The payload names
the participant, their partner and programme, and an expiry.
"""

from __future__ import annotations

from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ConfigDict

from shared import signed_tokens
from shared.signed_tokens import InvalidToken, generate_keypair, load_private_key, load_public_key

__all__ = [
    "InvalidToken",
    "QrClaims",
    "generate_keypair",
    "load_private_key",
    "load_public_key",
    "sign",
    "verify",
]


class QrClaims(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    pid: str  # participant id
    prt: str  # partner id
    prg: str  # programme id
    exp: int  # expiry, seconds since the epoch


def sign(claims: QrClaims, key: Ed25519PrivateKey) -> str:
    return signed_tokens.sign(claims, key)


def verify(token: str, key: Ed25519PublicKey, now: datetime | None = None) -> QrClaims:
    """The token's claims, or InvalidToken."""
    claims = signed_tokens.verify(token, (key,), QrClaims)
    if claims.exp < (now or datetime.now(UTC)).timestamp():
        raise InvalidToken("token has expired")
    return claims
