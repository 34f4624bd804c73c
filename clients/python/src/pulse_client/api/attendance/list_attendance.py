import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.attendance_page import AttendancePage
from ...models.list_attendance_status_type_0 import ListAttendanceStatusType0
from ...models.problem_details import ProblemDetails
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    event_id: str | Unset | None = UNSET,
    status: ListAttendanceStatusType0 | Unset | None = UNSET,
    from_: datetime.datetime | Unset | None = UNSET,
    to: datetime.datetime | Unset | None = UNSET,
    cursor: str | Unset | None = UNSET,
    limit: int | Unset = 100,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_event_id: str | Unset | None
    json_event_id = UNSET if isinstance(event_id, Unset) else event_id
    params["event_id"] = json_event_id

    json_status: str | Unset | None
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, ListAttendanceStatusType0):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

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
        "url": "/v1/attendance",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AttendancePage | ProblemDetails | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = AttendancePage.from_dict(response.json())

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
) -> Response[AttendancePage | ProblemDetails | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    event_id: str | Unset | None = UNSET,
    status: ListAttendanceStatusType0 | Unset | None = UNSET,
    from_: datetime.datetime | Unset | None = UNSET,
    to: datetime.datetime | Unset | None = UNSET,
    cursor: str | Unset | None = UNSET,
    limit: int | Unset = 100,
) -> Response[AttendancePage | ProblemDetails | ValidationProblem]:
    """List the attendance recorded at the caller's events, pending records saying why they wait

     List the attendance recorded at the caller's events, pending records saying why they wait.

    A partner sees the attendance at its own events only (whoever posted it); an admin sees all. Items
    come in id order (by event, then participant); `next_cursor` continues the listing.

    Args:
        event_id (None | str | Unset): one event's attendance
        status (ListAttendanceStatusType0 | None | Unset): pending: waiting for the participant's
            registration
        from_ (datetime.datetime | None | Unset): checked in at or after
        to (datetime.datetime | None | Unset): checked in before
        cursor (None | str | Unset): the previous page's next_cursor, unchanged
        limit (int | Unset): page size Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AttendancePage | ProblemDetails | ValidationProblem]
    """

    kwargs = _get_kwargs(
        event_id=event_id,
        status=status,
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
    event_id: str | Unset | None = UNSET,
    status: ListAttendanceStatusType0 | Unset | None = UNSET,
    from_: datetime.datetime | Unset | None = UNSET,
    to: datetime.datetime | Unset | None = UNSET,
    cursor: str | Unset | None = UNSET,
    limit: int | Unset = 100,
) -> AttendancePage | ProblemDetails | ValidationProblem | None:
    """List the attendance recorded at the caller's events, pending records saying why they wait

     List the attendance recorded at the caller's events, pending records saying why they wait.

    A partner sees the attendance at its own events only (whoever posted it); an admin sees all. Items
    come in id order (by event, then participant); `next_cursor` continues the listing.

    Args:
        event_id (None | str | Unset): one event's attendance
        status (ListAttendanceStatusType0 | None | Unset): pending: waiting for the participant's
            registration
        from_ (datetime.datetime | None | Unset): checked in at or after
        to (datetime.datetime | None | Unset): checked in before
        cursor (None | str | Unset): the previous page's next_cursor, unchanged
        limit (int | Unset): page size Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AttendancePage | ProblemDetails | ValidationProblem
    """

    return sync_detailed(
        client=client,
        event_id=event_id,
        status=status,
        from_=from_,
        to=to,
        cursor=cursor,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    event_id: str | Unset | None = UNSET,
    status: ListAttendanceStatusType0 | Unset | None = UNSET,
    from_: datetime.datetime | Unset | None = UNSET,
    to: datetime.datetime | Unset | None = UNSET,
    cursor: str | Unset | None = UNSET,
    limit: int | Unset = 100,
) -> Response[AttendancePage | ProblemDetails | ValidationProblem]:
    """List the attendance recorded at the caller's events, pending records saying why they wait

     List the attendance recorded at the caller's events, pending records saying why they wait.

    A partner sees the attendance at its own events only (whoever posted it); an admin sees all. Items
    come in id order (by event, then participant); `next_cursor` continues the listing.

    Args:
        event_id (None | str | Unset): one event's attendance
        status (ListAttendanceStatusType0 | None | Unset): pending: waiting for the participant's
            registration
        from_ (datetime.datetime | None | Unset): checked in at or after
        to (datetime.datetime | None | Unset): checked in before
        cursor (None | str | Unset): the previous page's next_cursor, unchanged
        limit (int | Unset): page size Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AttendancePage | ProblemDetails | ValidationProblem]
    """

    kwargs = _get_kwargs(
        event_id=event_id,
        status=status,
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
    event_id: str | Unset | None = UNSET,
    status: ListAttendanceStatusType0 | Unset | None = UNSET,
    from_: datetime.datetime | Unset | None = UNSET,
    to: datetime.datetime | Unset | None = UNSET,
    cursor: str | Unset | None = UNSET,
    limit: int | Unset = 100,
) -> AttendancePage | ProblemDetails | ValidationProblem | None:
    """List the attendance recorded at the caller's events, pending records saying why they wait

     List the attendance recorded at the caller's events, pending records saying why they wait.

    A partner sees the attendance at its own events only (whoever posted it); an admin sees all. Items
    come in id order (by event, then participant); `next_cursor` continues the listing.

    Args:
        event_id (None | str | Unset): one event's attendance
        status (ListAttendanceStatusType0 | None | Unset): pending: waiting for the participant's
            registration
        from_ (datetime.datetime | None | Unset): checked in at or after
        to (datetime.datetime | None | Unset): checked in before
        cursor (None | str | Unset): the previous page's next_cursor, unchanged
        limit (int | Unset): page size Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AttendancePage | ProblemDetails | ValidationProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            event_id=event_id,
            status=status,
            from_=from_,
            to=to,
            cursor=cursor,
            limit=limit,
        )
    ).parsed
