"""Compact Ed25519 tokens: `<base64url(claims JSON)>.<base64url(Ed25519 signature of that first part)>`.

One format for every signed credential of the platform (QR check-in tokens, the principals the gateway
forwards); keys travel as base64url of their 32 raw bytes.
"""

from __future__ import annotations

import base64
import binascii
from typing import TypeVar

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ValidationError

Claims = TypeVar("Claims", bound=BaseModel)


class InvalidToken(ValueError):
    """The token is malformed, tampered with, signed by another key or expired."""


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    # One spelling per token: base64 ignores a last character's spare bits, so check the round trip.
    if b64(data) != text:
        raise binascii.Error("not canonical base64url")
    return data


def generate_keypair() -> tuple[str, str]:
    """A new (private, public) pair, each as base64url of its 32 raw bytes."""
    private = Ed25519PrivateKey.generate()
    public = private.public_key()
    return b64(private.private_bytes_raw()), b64(public.public_bytes_raw())


def load_private_key(encoded: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(unb64(encoded.strip().rstrip("=")))


def load_public_key(encoded: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(unb64(encoded.strip().rstrip("=")))


def sign(claims: BaseModel, key: Ed25519PrivateKey) -> str:
    body = b64(claims.model_dump_json(exclude_none=True).encode())
    return f"{body}.{b64(key.sign(body.encode()))}"


def verify(token: str, keys: tuple[Ed25519PublicKey, ...], model: type[Claims]) -> Claims:
    """The token's claims if one of `keys` signed it (several while a key pair is rotated), else InvalidToken.

    Expiry is the caller's to check: each kind of token names it in its own claims.
    """
    body, dot, signature = token.partition(".")
    if not dot or not body or not signature:
        raise InvalidToken("token is not of the form <payload>.<signature>")
    try:
        raw_signature = unb64(signature)
        signed = body.encode()
        for key in keys:
            try:
                key.verify(raw_signature, signed)
                break
            except InvalidSignature:
                continue
        else:
            raise InvalidSignature
        return model.model_validate_json(unb64(body))
    except (InvalidSignature, binascii.Error, ValueError, ValidationError) as exc:
        raise InvalidToken("token signature or payload is invalid") from exc
