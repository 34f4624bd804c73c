"""The methods a path takes, over every route of the app: the `Allow` of a 405 (RFC 9110, 15.5.6)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Match, Route


def allowed_methods(request: Request) -> list[str]:
    """Every method some route of this path takes; Starlette's own 405 names only the first route's."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        if isinstance(route, Route) and route.methods:
            match, _ = route.matches(request.scope)
            if match is not Match.NONE:
                methods |= route.methods
    return sorted(methods)
