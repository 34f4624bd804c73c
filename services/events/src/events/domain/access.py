"""Who may do what to which event (partner isolation, OWASP API1), checked again in this service."""

from __future__ import annotations

from events.domain.errors import NotAllowed, NotAuthenticated, RuleBroken
from events.domain.events import Event
from shared.contracts.identity import Principal, Scope


def owner_of_new_event(caller: Principal, given_partner_id: str | None) -> str:
    """A partner owns what it creates; an admin names the owner."""
    _require(caller, Scope.PARTNER, Scope.ADMIN)
    if caller.scope is Scope.ADMIN:
        if given_partner_id is None:
            raise RuleBroken("An admin must give partner_id.")
        return given_partner_id
    if caller.partner_id is None or given_partner_id not in (None, caller.partner_id):
        raise NotAllowed("A partner creates events for itself only.")
    return caller.partner_id


def ensure_can_list(caller: Principal) -> None:
    """Partners see every event of the programme (to plan around each other) but change only their own."""
    _require(caller, Scope.PARTNER, Scope.ADMIN)


def ensure_can_read(caller: Principal, event_id: str) -> None:
    """Admins and partners read the whole catalogue; a check-in key reads its one event."""
    _require(caller, Scope.PARTNER, Scope.ADMIN, Scope.CHECKIN)
    if caller.scope is Scope.CHECKIN and caller.event_id != event_id:
        raise NotAllowed("This check-in key belongs to another event.")


def ensure_can_change(caller: Principal, event: Event) -> None:
    _require(caller, Scope.PARTNER, Scope.ADMIN)
    if caller.scope is Scope.PARTNER and caller.partner_id != event.partner_id:
        raise NotAllowed("A partner changes its own events only.")


def ensure_can_check_in(caller: Principal, event: Event) -> None:
    """The owning partner, an admin, or a check-in key of this very event."""
    _ensure_at_the_door(caller, event, "checks people in to")


def ensure_can_count_checkins(caller: Principal, event: Event) -> None:
    """Who may check people in to an event may also see how many are in; nobody else."""
    _ensure_at_the_door(caller, event, "sees check-ins at")


def batch_partner(caller: Principal) -> str | None:
    """The partner a batch is confined to, or None for an admin."""
    _require(caller, Scope.PARTNER, Scope.ADMIN)
    if caller.scope is Scope.ADMIN:
        return None
    if caller.partner_id is None:
        raise NotAllowed("This partner key names no partner.")
    return caller.partner_id


def may_record_at(event: Event, partner_id: str | None) -> None:
    """A partner records attendance at its own events only (partner_id None: an admin, anywhere)."""
    if partner_id is not None and event.partner_id != partner_id:
        raise NotAllowed("A partner records attendance at its own events only.")


def _ensure_at_the_door(caller: Principal, event: Event, doing: str) -> None:
    _require(caller, Scope.PARTNER, Scope.ADMIN, Scope.CHECKIN)
    if caller.scope is Scope.CHECKIN and caller.event_id != event.id:
        raise NotAllowed("This check-in key belongs to another event.")
    if caller.scope is Scope.PARTNER and caller.partner_id != event.partner_id:
        raise NotAllowed(f"A partner {doing} its own events only.")


def _require(caller: Principal, *scopes: Scope) -> None:
    if caller.scope in scopes:
        return
    raise NotAuthenticated() if caller.scope is Scope.PUBLIC else NotAllowed()
