from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.attendance_read import AttendanceRead
from ...models.checkin_create_type_0 import CheckinCreateType0
from ...models.checkin_create_type_1 import CheckinCreateType1
from ...models.problem_details import ProblemDetails
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    event_id: str,
    *,
    body: CheckinCreateType0 | CheckinCreateType1,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/events/{event_id}/checkins".format(
            event_id=quote(str(event_id), safe=""),
        ),
    }

    if isinstance(body, CheckinCreateType0):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AttendanceRead | ProblemDetails | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = AttendanceRead.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = AttendanceRead.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = ProblemDetails.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ProblemDetails.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ProblemDetails.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = ProblemDetails.from_dict(response.json())

        return response_409

    if response.status_code == 410:
        response_410 = ProblemDetails.from_dict(response.json())

        return response_410

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
) -> Response[AttendanceRead | ProblemDetails | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    event_id: str,
    *,
    client: AuthenticatedClient,
    body: CheckinCreateType0 | CheckinCreateType1,
    idempotency_key: str | Unset = UNSET,
) -> Response[AttendanceRead | ProblemDetails | ValidationProblem]:
    """Check a participant in to an event

     Check a participant in to an event: 201 the first time, 200 with the first check-in after.

    Name them by `participant_id` or by the signed `qr_token` of their QR code. A participant the events
    service does not know yet is recorded `pending` and counts once their registration arrives.

    Args:
        event_id (str): the event's id
        idempotency_key (str | Unset):
        body (CheckinCreateType0 | CheckinCreateType1): Name the participant by `participant_id`
            or by the `qr_token` their QR code holds (exactly one).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AttendanceRead | ProblemDetails | ValidationProblem]
    """

    kwargs = _get_kwargs(
        event_id=event_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    event_id: str,
    *,
    client: AuthenticatedClient,
    body: CheckinCreateType0 | CheckinCreateType1,
    idempotency_key: str | Unset = UNSET,
) -> AttendanceRead | ProblemDetails | ValidationProblem | None:
    """Check a participant in to an event

     Check a participant in to an event: 201 the first time, 200 with the first check-in after.

    Name them by `participant_id` or by the signed `qr_token` of their QR code. A participant the events
    service does not know yet is recorded `pending` and counts once their registration arrives.

    Args:
        event_id (str): the event's id
        idempotency_key (str | Unset):
        body (CheckinCreateType0 | CheckinCreateType1): Name the participant by `participant_id`
            or by the `qr_token` their QR code holds (exactly one).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AttendanceRead | ProblemDetails | ValidationProblem
    """

    return sync_detailed(
        event_id=event_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    event_id: str,
    *,
    client: AuthenticatedClient,
    body: CheckinCreateType0 | CheckinCreateType1,
    idempotency_key: str | Unset = UNSET,
) -> Response[AttendanceRead | ProblemDetails | ValidationProblem]:
    """Check a participant in to an event

     Check a participant in to an event: 201 the first time, 200 with the first check-in after.

    Name them by `participant_id` or by the signed `qr_token` of their QR code. A participant the events
    service does not know yet is recorded `pending` and counts once their registration arrives.

    Args:
        event_id (str): the event's id
        idempotency_key (str | Unset):
        body (CheckinCreateType0 | CheckinCreateType1): Name the participant by `participant_id`
            or by the `qr_token` their QR code holds (exactly one).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AttendanceRead | ProblemDetails | ValidationProblem]
    """

    kwargs = _get_kwargs(
        event_id=event_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    event_id: str,
    *,
    client: AuthenticatedClient,
    body: CheckinCreateType0 | CheckinCreateType1,
    idempotency_key: str | Unset = UNSET,
) -> AttendanceRead | ProblemDetails | ValidationProblem | None:
    """Check a participant in to an event

     Check a participant in to an event: 201 the first time, 200 with the first check-in after.

    Name them by `participant_id` or by the signed `qr_token` of their QR code. A participant the events
    service does not know yet is recorded `pending` and counts once their registration arrives.

    Args:
        event_id (str): the event's id
        idempotency_key (str | Unset):
        body (CheckinCreateType0 | CheckinCreateType1): Name the participant by `participant_id`
            or by the `qr_token` their QR code holds (exactly one).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AttendanceRead | ProblemDetails | ValidationProblem
    """

    return (
        await asyncio_detailed(
            event_id=event_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
