"""Which service owns a public `/v1` path, and which callers the gateway lets through to it.

The services check object ownership again; the gateway refuses early whatever a scope can never do.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shared.contracts.identity import Principal, Scope


class Upstream(StrEnum):
    REGISTRATION = "registration"
    EVENTS = "events"
    METRICS = "metrics"


class Decision(StrEnum):
    ALLOW = "allow"
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"


@dataclass(frozen=True)
class Target:
    """Where a request goes and who may send it."""

    upstream: Upstream
    scopes: frozenset[Scope]
    # A partner passes only for this partner; a check-in key only for this event.
    partner_id: str | None = None
    event_id: str | None = None


_ADMIN = frozenset({Scope.ADMIN})
_PARTNER = frozenset({Scope.ADMIN, Scope.PARTNER})
_CHECKIN = frozenset({Scope.ADMIN, Scope.PARTNER, Scope.CHECKIN})
_EVERYONE = frozenset(Scope)
_REGISTRATION_ROOTS = ("organisations", "participants", "participants:batch")


def target_for(method: str, path: str) -> Target | None:
    """The owning service and allowed callers of `method path`, or None for no such public path."""
    if not path.startswith("/v1/"):
        return None
    parts = path[len("/v1/") :].split("/")
    root, rest = parts[0], parts[1:]
    if "" in parts:
        return None
    if root == "partners":
        if not rest:
            return Target(Upstream.REGISTRATION, _ADMIN)
        return Target(Upstream.REGISTRATION, _PARTNER, partner_id=rest[0])
    if root in _REGISTRATION_ROOTS:
        return Target(Upstream.REGISTRATION, _PARTNER)
    if root == "events":
        if _door_device_path(method, rest):
            return Target(Upstream.EVENTS, _CHECKIN, event_id=rest[0])
        return Target(Upstream.EVENTS, _PARTNER)
    if root in ("attendance", "attendance:batch") and not rest:
        return Target(Upstream.EVENTS, _PARTNER)
    if root == "programme":
        readable = rest in (["report"], ["statement"]) or (len(rest) == 2 and rest[0] == "charts")
        if readable and method in ("GET", "HEAD"):
            return Target(Upstream.METRICS, _EVERYONE)
        return Target(Upstream.METRICS, _ADMIN)
    return None


def _door_device_path(method: str, rest: list[str]) -> bool:
    """What a door device does at its one event: read it, check people in, see how many are in."""
    if method == "GET":
        return len(rest) == 1 or rest[1:] == ["checkins", "count"]
    return method == "POST" and rest[1:] == ["checkins"]


def decide(principal: Principal, target: Target) -> Decision:
    """Allow, or say whether the caller must authenticate (401) or is outside its scope (403)."""
    if principal.scope is Scope.ADMIN or Scope.PUBLIC in target.scopes:
        return Decision.ALLOW
    if principal.scope not in target.scopes:
        if principal.scope is Scope.PUBLIC:
            return Decision.UNAUTHENTICATED
        return Decision.FORBIDDEN
    if principal.scope is Scope.PARTNER and target.partner_id is not None:
        return Decision.ALLOW if principal.partner_id == target.partner_id else Decision.FORBIDDEN
    if principal.scope is Scope.CHECKIN:
        return Decision.ALLOW if principal.event_id == target.event_id else Decision.FORBIDDEN
    return Decision.ALLOW
