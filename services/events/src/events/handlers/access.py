"""Who may do what to which event (partner isolation, OWASP API1)."""

from __future__ import annotations

from shared.contracts.identity import Principal, Scope
from shared.http.identity import require_scope
from shared.http.problems import ProblemError
from shared.mongo.client import Document


def forbidden(detail: str) -> ProblemError:
    return ProblemError(403, "Forbidden", detail, type_="forbidden")


def owner_of_new_event(caller: Principal, given_partner_id: str | None) -> str:
    """A partner owns what it creates; an admin names the owner."""
    require_scope(caller, Scope.PARTNER, Scope.ADMIN)
    if caller.scope is Scope.ADMIN:
        if given_partner_id is None:
            raise ProblemError(422, "Owner required", "An admin must give partner_id.", type_="validation")
        return given_partner_id
    if caller.partner_id is None or given_partner_id not in (None, caller.partner_id):
        raise forbidden("A partner creates events for itself only.")
    return caller.partner_id


def ensure_can_list(caller: Principal) -> None:
    """Partners see every event of the programme (to plan around each other) but change only their own."""
    require_scope(caller, Scope.PARTNER, Scope.ADMIN)


def ensure_can_read(caller: Principal, event_id: str) -> None:
    """Admins and partners read the whole catalogue; a check-in key reads its one event."""
    require_scope(caller, Scope.PARTNER, Scope.ADMIN, Scope.CHECKIN)
    if caller.scope is Scope.CHECKIN and caller.event_id != event_id:
        raise forbidden("This check-in key belongs to another event.")


def ensure_can_change(caller: Principal, event: Document) -> None:
    require_scope(caller, Scope.PARTNER, Scope.ADMIN)
    if caller.scope is Scope.PARTNER and caller.partner_id != event["partner_id"]:
        raise forbidden("A partner changes its own events only.")


def ensure_can_check_in(caller: Principal, event: Document) -> None:
    """The owning partner, an admin, or a check-in key of this very event."""
    _ensure_at_the_door(caller, event, "checks people in to")


def ensure_can_count_checkins(caller: Principal, event: Document) -> None:
    """Who may check people in to an event may also see how many are in; nobody else."""
    _ensure_at_the_door(caller, event, "sees check-ins at")


def _ensure_at_the_door(caller: Principal, event: Document, doing: str) -> None:
    require_scope(caller, Scope.PARTNER, Scope.ADMIN, Scope.CHECKIN)
    if caller.scope is Scope.CHECKIN and caller.event_id != event["_id"]:
        raise forbidden("This check-in key belongs to another event.")
    if caller.scope is Scope.PARTNER and caller.partner_id != event["partner_id"]:
        raise forbidden(f"A partner {doing} its own events only.")


def batch_partner(caller: Principal) -> str | None:
    """The partner a batch or an attendance listing is confined to (its events), or None for an admin."""
    require_scope(caller, Scope.PARTNER, Scope.ADMIN)
    if caller.scope is Scope.ADMIN:
        return None
    if caller.partner_id is None:
        raise forbidden("This partner key names no partner.")
    return caller.partner_id
