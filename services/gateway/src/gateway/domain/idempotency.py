"""Idempotency-Key (IETF draft-ietf-httpapi-idempotency-key-header): the rules, free of storage and HTTP.

A key belongs to the caller's API key: two callers never share one. A stored answer is sealed with a key
derived from the Idempotency-Key itself, so the gateway's database alone cannot read the answers it keeps
(they may hold personal data) and only a retry that presents the same key gets one back.
"""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from dataclasses import dataclass
from enum import StrEnum

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAX_KEY_LENGTH = 255
# Visible ASCII without spaces: what a UUID, a ULID or any token a client generates is made of.
KEY_PATTERN = "^[!-~]+$"
# Answers replayed as they were: these headers with the status and the body.
REPLAYED_HEADERS = ("content-type", "location", "cache-control", "etag", "content-language")


class InvalidKey(ValueError):
    """The header's value is not an Idempotency-Key."""


def parse_key(value: str) -> str:
    """The key of an `Idempotency-Key` header: an sf-string (quoted, as the draft writes it) or bare."""
    key = value.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':
        key = key[1:-1]
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not all("!" <= c <= "~" for c in key):
        raise InvalidKey(f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} visible ASCII characters")
    return key


def record_id(caller: str, key: str) -> str:
    """Where the answer to (caller, key) is kept; neither can be read back from it."""
    return hashlib.sha256(f"record\n{caller}\n{key}".encode()).hexdigest()


def fingerprint(method: str, path: str, query: str, body: bytes) -> str:
    """What makes two requests the same request: method, path, query and the body's bytes."""
    digest = hashlib.sha256(f"{method}\n{path}\n{query}\n".encode())
    digest.update(body)
    return digest.hexdigest()


class State(StrEnum):
    RUNNING = "running"  # a request holds it until its lease ends
    DONE = "done"  # the answer is stored and replayed
    RELEASED = "released"  # the request ended without a final answer: a retry runs it again


class Verdict(StrEnum):
    RUN = "run"
    REPLAY = "replay"
    IN_FLIGHT = "in_flight"
    MISMATCH = "mismatch"


@dataclass(frozen=True)
class Record:
    """What is stored under one (caller, key)."""

    fingerprint: str
    state: State
    lease_ends_at: float  # seconds since the epoch
    answer: bytes | None = None


def verdict(record: Record, request_fingerprint: str, now: float) -> Verdict:
    """What a request does with the record already stored under its key."""
    if record.fingerprint != request_fingerprint:
        return Verdict.MISMATCH
    if record.state is State.DONE:
        return Verdict.REPLAY
    if record.state is State.RUNNING and now < record.lease_ends_at:
        return Verdict.IN_FLIGHT
    return Verdict.RUN  # released, or its request died with the gateway that ran it


def final(status: int) -> bool:
    """Whether an answer is the request's outcome, to replay, or a passing state a retry should retry.

    Conflicts and rate limits pass; 5xx may or may not have been applied, and the services derive the ids
    of what they create from the key, so running the request again creates nothing twice.
    """
    return status < 500 and status not in (408, 409, 425, 429)


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def _sealing_key(caller: str, key: str) -> bytes:
    return hashlib.sha256(f"seal\n{caller}\n{key}".encode()).digest()


def seal(answer: Answer, caller: str, key: str) -> bytes:
    """The answer compressed and encrypted (AES-256-GCM) under a key only the same request can derive."""
    plain = json.dumps({"status": answer.status, "headers": answer.headers}).encode() + b"\n" + answer.body
    nonce = os.urandom(12)
    return nonce + AESGCM(_sealing_key(caller, key)).encrypt(nonce, zlib.compress(plain), None)


def unseal(sealed: bytes, caller: str, key: str) -> Answer:
    plain = zlib.decompress(AESGCM(_sealing_key(caller, key)).decrypt(sealed[:12], sealed[12:], None))
    head, _, body = plain.partition(b"\n")
    meta = json.loads(head)
    return Answer(int(meta["status"]), dict(meta["headers"]), body)
