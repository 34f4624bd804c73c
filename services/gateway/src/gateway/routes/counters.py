"""Live programme counters from the latest snapshot: as JSON, by breakdown, and as Server-Sent Events."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.sse import format_sse_event
from pydantic import StringConstraints, TypeAdapter, ValidationError

from gateway.domain.errors import CountersNotYetReceived, ProgrammeNotFound
from gateway.handlers.live_counters import version_of
from gateway.routes.dependencies import GatewayDep, PrincipalDep, authenticate, get_gateway
from gateway.routes.event_stream import SubscriptionStream
from gateway.routes.openapi import OPTIONAL_KEY
from gateway.routes.request_only_route import RequestOnlyRoute
from gateway.routes.schemas import Breakdown, CountersRead
from shared.contracts.counters import BreakdownBy, CountersSnapshot, ProgrammeFigures
from shared.contracts.identity import Principal, Scope
from shared.contracts.programmes import PROGRAMME_ID_PATTERN
from shared.http.responses import problems

router = APIRouter(prefix="/v1/programme", tags=["counters"])
ProgrammeQuery = Annotated[
    str | None,
    Query(
        max_length=64,
        pattern=PROGRAMME_ID_PATTERN,
        description="the programme (default: the gateway's own)",
        examples=["resilience"],
    ),
]
_ANSWERS = problems(
    404,
    422,
    503,
    s404="No figures were ever received for this programme_id.",
    s503="The programme's first figures have not arrived yet; retry after `Retry-After` seconds.",
)
# One event of the stream (OpenAPI 3.2), as FastAPI documents its own SSE routes.
_SSE_EVENT = {
    "type": "object",
    "properties": {
        "data": {"type": "string"},
        "event": {"type": "string"},
        "id": {"type": "string"},
        "retry": {"type": "integer", "minimum": 0},
    },
}
_programme_id = TypeAdapter(Annotated[str, StringConstraints(max_length=64, pattern=PROGRAMME_ID_PATTERN)])


def figures_for(principal: Principal, snapshot: CountersSnapshot) -> ProgrammeFigures:
    """Exact figures for an admin; disclosure-controlled figures for everyone else."""
    return snapshot.exact if principal.scope is Scope.ADMIN else snapshot.public


def _latest(gateway: GatewayDep, programme_id: str | None) -> CountersSnapshot:
    own = gateway.settings.programme_id
    snapshot = gateway.hub.latest(programme_id or own)
    if snapshot is None and programme_id not in (None, own):
        raise ProgrammeNotFound(f"No figures were ever received for programme {programme_id!r}.")
    if snapshot is None:
        raise CountersNotYetReceived()
    return snapshot


async def counters(request: Request) -> Response:
    """Read the programme's counters, shares, breakdowns and targets (exact for an admin key).

    Without a key the figures are disclosure-controlled: rounded, small cells withheld (docs/privacy.md).
    """
    gateway = await get_gateway(request)
    principal = await authenticate(request, gateway)
    # Most reads have no query: parsing an empty one was ~3% of a read's CPU.
    programme_id = request.query_params.get("programme_id") if request.scope["query_string"] else None
    if programme_id is not None:
        try:
            _programme_id.validate_python(programme_id)
        except ValidationError as exc:
            raise RequestValidationError(
                [{**error, "loc": ("query", "programme_id")} for error in exc.errors(include_url=False)]
            ) from None
    snapshot = _latest(gateway, programme_id)
    body = gateway.hub.figures_json(snapshot, exact=principal.scope is Scope.ADMIN)
    return Response(body, media_type="application/json")


router.add_api_route(
    "/counters",
    counters,
    methods=["GET"],
    route_class_override=RequestOnlyRoute,
    response_model=CountersRead,
    responses=_ANSWERS,
    openapi_extra={
        "security": OPTIONAL_KEY,
        "parameters": [
            {
                "name": "programme_id",
                "in": "query",
                "required": False,
                "schema": _programme_id.json_schema(),
                "description": "The programme (default: the gateway's own).",
                "example": "resilience",
            }
        ],
    },
)


@router.get("/breakdowns", responses=_ANSWERS, openapi_extra={"security": OPTIONAL_KEY})
async def breakdowns(
    gateway: GatewayDep,
    principal: PrincipalDep,
    by: Annotated[BreakdownBy, Query(examples=["nation"])],
    programme_id: ProgrammeQuery = None,
) -> Breakdown:
    """Read the counters broken down by partner, nation, event kind or month."""
    snapshot = _latest(gateway, programme_id)
    figures = figures_for(principal, snapshot)
    rows = figures.breakdowns.get(by.value, {})
    return Breakdown(
        programme_id=figures.programme_id,
        by=by.value,
        seq=version_of(snapshot, exact=principal.scope is Scope.ADMIN),
        disclosure_controlled=figures.disclosure_controlled,
        updated_at=figures.updated_at,
        rows=rows,
        names={key: name for key, name in figures.partner_names.items() if key in rows}
        if by.value == "partner"
        else {},
    )


@router.get(
    "/counters/stream",
    status_code=200,
    response_class=SubscriptionStream,
    responses={
        200: {
            "content": {
                "text/event-stream": {
                    "example": 'id: 1208\nretry: 3000\ndata: {"seq":1208,"students_reached":15000}\n\n',
                    "itemSchema": _SSE_EVENT,
                }
            }
        },
        **problems(422),
    },
    openapi_extra={"security": OPTIONAL_KEY},
)
async def counters_stream(
    gateway: GatewayDep,
    principal: PrincipalDep,
    programme_id: ProgrammeQuery = None,
    last_event_id: Annotated[
        str | None, Header(max_length=32, description="the id of the last event received", examples=["1207"])
    ] = None,
) -> SubscriptionStream:
    """Follow the counters as Server-Sent Events: each new snapshot (id = its version).

    A comment (`: ping`) keeps an idle stream open every `PULSE_SSE_KEEPALIVE_S` (15 s).

    An admin gets every exact snapshot; a public reader only a new public release (docs/privacy.md).
    """
    programme = programme_id or gateway.settings.programme_id
    exact = principal.scope is Scope.ADMIN
    # A reconnecting client is sent only versions newer than the one it has: a gateway that has just
    # started replays the counters topic from its beginning, older snapshots first.
    seen = int(last_event_id) if last_event_id and last_event_id.isascii() and last_event_id.isdigit() else -1

    def render(snapshot: CountersSnapshot, retry_ms: int | None) -> bytes | None:
        nonlocal seen
        version = version_of(snapshot, exact)
        if version <= seen:
            return None
        seen = version
        # Encoded once per snapshot and shared by every client and counters read, not once per client.
        data = gateway.hub.figures_json(snapshot, exact=exact).decode()
        return format_sse_event(data_str=data, id=str(version), retry=retry_ms)

    return SubscriptionStream(gateway.hub, programme, render, gateway.settings.sse_retry_ms)
