import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.event_kind import EventKind
from ...models.event_page import EventPage
from ...models.nation import Nation
from ...models.problem_details import ProblemDetails
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    kind: EventKind | Unset | None = UNSET,
    partner_id: str | Unset | None = UNSET,
    nation: Nation | Unset | None = UNSET,
    from_: datetime.datetime | Unset | None = UNSET,
    to: datetime.datetime | Unset | None = UNSET,
    cursor: str | Unset | None = UNSET,
    limit: int | Unset = 100,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_kind: str | Unset | None
    if isinstance(kind, Unset):
        json_kind = UNSET
    elif isinstance(kind, EventKind):
        json_kind = kind.value
    else:
        json_kind = kind
    params["kind"] = json_kind

    json_partner_id: str | Unset | None
    json_partner_id = UNSET if isinstance(partner_id, Unset) else partner_id
    params["partner_id"] = json_partner_id

    json_nation: str | Unset | None
    if isinstance(nation, Unset):
        json_nation = UNSET
    elif isinstance(nation, Nation):
        json_nation = nation.value
    else:
        json_nation = nation
    params["nation"] = json_nation

    json_from_: str | Unset | None
    if isinstance(from_, Unset):
        json_from_ = UNSET
    elif isinstance(from_, datetime.datetime):
        json_from_ = from_.isoformat()
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: str | Unset | None
    if isinstance(to, Unset):
        json_to = UNSET
    elif isinstance(to, datetime.datetime):
        json_to = to.isoformat()
    else:
        json_to = to
    params["to"] = json_to

    json_cursor: str | Unset | None
    json_cursor = UNSET if isinstance(cursor, Unset) else cursor
    params["cursor"] = json_cursor

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/events",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EventPage | ProblemDetails | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = EventPage.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ProblemDetails.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ProblemDetails.from_dict(response.json())

        return response_403

    if response.status_code == 413:
        response_413 = ProblemDetails.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = ValidationProblem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ProblemDetails.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = ProblemDetails.from_dict(response.json())

        return response_503

    if response.status_code == 504:
        response_504 = ProblemDetails.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[EventPage | ProblemDetails | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    kind: EventKind | Unset | None = UNSET,
    partner_id: str | Unset | None = UNSET,
    nation: Nation | Unset | None = UNSET,
    from_: datetime.datetime | Unset | None = UNSET,
    to: datetime.datetime | Unset | None = UNSET,
    cursor: str | Unset | None = UNSET,
    limit: int | Unset = 100,
) -> Response[EventPage | ProblemDetails | ValidationProblem]:
    """List the programme's events by start time

     List the programme's events by start time; partners see every partner's events.

    Filter by kind, partner, nation and start time; `next_cursor` continues the listing.

    Args:
        kind (EventKind | None | Unset):
        partner_id (None | str | Unset): one partner's events
        nation (Nation | None | Unset):
        from_ (datetime.datetime | None | Unset): starts at or after
        to (datetime.datetime | None | Unset): starts before
        cursor (None | str | Unset): the previous page's next_cursor, unchanged
        limit (int | Unset): page size Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventPage | ProblemDetails | ValidationProblem]
    """

    kwargs = _get_kwargs(
        kind=kind,
        partner_id=partner_id,
        nation=nation,
        from_=from_,
        to=to,
        cursor=cursor,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    kind: EventKind | Unset | None = UNSET,
    partner_id: str | Unset | None = UNSET,
    nation: Nation | Unset | None = UNSET,
    from_: datetime.datetime | Unset | None = UNSET,
    to: datetime.datetime | Unset | None = UNSET,
    cursor: str | Unset | None = UNSET,
    limit: int | Unset = 100,
) -> EventPage | ProblemDetails | ValidationProblem | None:
    """List the programme's events by start time

     List the programme's events by start time; partners see every partner's events.

    Filter by kind, partner, nation and start time; `next_cursor` continues the listing.

    Args:
        kind (EventKind | None | Unset):
        partner_id (None | str | Unset): one partner's events
        nation (Nation | None | Unset):
        from_ (datetime.datetime | None | Unset): starts at or after
        to (datetime.datetime | None | Unset): starts before
        cursor (None | str | Unset): the previous page's next_cursor, unchanged
        limit (int | Unset): page size Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventPage | ProblemDetails | ValidationProblem
    """

    return sync_detailed(
        client=client,
        kind=kind,
        partner_id=partner_id,
        nation=nation,
        from_=from_,
        to=to,
        cursor=cursor,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    kind: EventKind | Unset | None = UNSET,
    partner_id: str | Unset | None = UNSET,
    nation: Nation | Unset | None = UNSET,
    from_: datetime.datetime | Unset | None = UNSET,
    to: datetime.datetime | Unset | None = UNSET,
    cursor: str | Unset | None = UNSET,
    limit: int | Unset = 100,
) -> Response[EventPage | ProblemDetails | ValidationProblem]:
    """List the programme's events by start time

     List the programme's events by start time; partners see every partner's events.

    Filter by kind, partner, nation and start time; `next_cursor` continues the listing.

    Args:
        kind (EventKind | None | Unset):
        partner_id (None | str | Unset): one partner's events
        nation (Nation | None | Unset):
        from_ (datetime.datetime | None | Unset): starts at or after
        to (datetime.datetime | None | Unset): starts before
        cursor (None | str | Unset): the previous page's next_cursor, unchanged
        limit (int | Unset): page size Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventPage | ProblemDetails | ValidationProblem]
    """

    kwargs = _get_kwargs(
        kind=kind,
        partner_id=partner_id,
        nation=nation,
        from_=from_,
        to=to,
        cursor=cursor,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    kind: EventKind | Unset | None = UNSET,
    partner_id: str | Unset | None = UNSET,
    nation: Nation | Unset | None = UNSET,
    from_: datetime.datetime | Unset | None = UNSET,
    to: datetime.datetime | Unset | None = UNSET,
    cursor: str | Unset | None = UNSET,
    limit: int | Unset = 100,
) -> EventPage | ProblemDetails | ValidationProblem | None:
    """List the programme's events by start time

     List the programme's events by start time; partners see every partner's events.

    Filter by kind, partner, nation and start time; `next_cursor` continues the listing.

    Args:
        kind (EventKind | None | Unset):
        partner_id (None | str | Unset): one partner's events
        nation (Nation | None | Unset):
        from_ (datetime.datetime | None | Unset): starts at or after
        to (datetime.datetime | None | Unset): starts before
        cursor (None | str | Unset): the previous page's next_cursor, unchanged
        limit (int | Unset): page size Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventPage | ProblemDetails | ValidationProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            kind=kind,
            partner_id=partner_id,
            nation=nation,
            from_=from_,
            to=to,
            cursor=cursor,
            limit=limit,
        )
    ).parsed
