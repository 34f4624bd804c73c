from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.participant_in import ParticipantIn
from ...models.participant_written import ParticipantWritten
from ...models.problem_details import ProblemDetails
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ParticipantIn,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/participants",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ParticipantWritten | ProblemDetails | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = ParticipantWritten.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = ParticipantWritten.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = ProblemDetails.from_dict(response.json())

        return response_409

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
) -> Response[ParticipantWritten | ProblemDetails | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ParticipantIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[ParticipantWritten | ProblemDetails | ValidationProblem]:
    """Register a participant (partner keys)

     Register a participant (partner keys): 201 when new, 200 for the same partner_ref again.

    `partner_ref` (the partner's own id for the person) makes registration idempotent: sending it again
    answers with the same id, updated if the details changed.

    Args:
        idempotency_key (str | Unset):
        body (ParticipantIn): A participant, registered once per `partner_ref`: sending the same
            one again updates them.

            `consent.data_processing` must be true; demographics need `consent.demographics`; a leader
            needs an
            `organisation_id` (of an organisation named with `POST /v1/organisations`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ParticipantWritten | ProblemDetails | ValidationProblem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ParticipantIn,
    idempotency_key: str | Unset = UNSET,
) -> ParticipantWritten | ProblemDetails | ValidationProblem | None:
    """Register a participant (partner keys)

     Register a participant (partner keys): 201 when new, 200 for the same partner_ref again.

    `partner_ref` (the partner's own id for the person) makes registration idempotent: sending it again
    answers with the same id, updated if the details changed.

    Args:
        idempotency_key (str | Unset):
        body (ParticipantIn): A participant, registered once per `partner_ref`: sending the same
            one again updates them.

            `consent.data_processing` must be true; demographics need `consent.demographics`; a leader
            needs an
            `organisation_id` (of an organisation named with `POST /v1/organisations`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ParticipantWritten | ProblemDetails | ValidationProblem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ParticipantIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[ParticipantWritten | ProblemDetails | ValidationProblem]:
    """Register a participant (partner keys)

     Register a participant (partner keys): 201 when new, 200 for the same partner_ref again.

    `partner_ref` (the partner's own id for the person) makes registration idempotent: sending it again
    answers with the same id, updated if the details changed.

    Args:
        idempotency_key (str | Unset):
        body (ParticipantIn): A participant, registered once per `partner_ref`: sending the same
            one again updates them.

            `consent.data_processing` must be true; demographics need `consent.demographics`; a leader
            needs an
            `organisation_id` (of an organisation named with `POST /v1/organisations`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ParticipantWritten | ProblemDetails | ValidationProblem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ParticipantIn,
    idempotency_key: str | Unset = UNSET,
) -> ParticipantWritten | ProblemDetails | ValidationProblem | None:
    """Register a participant (partner keys)

     Register a participant (partner keys): 201 when new, 200 for the same partner_ref again.

    `partner_ref` (the partner's own id for the person) makes registration idempotent: sending it again
    answers with the same id, updated if the details changed.

    Args:
        idempotency_key (str | Unset):
        body (ParticipantIn): A participant, registered once per `partner_ref`: sending the same
            one again updates them.

            `consent.data_processing` must be true; demographics need `consent.demographics`; a leader
            needs an
            `organisation_id` (of an organisation named with `POST /v1/organisations`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ParticipantWritten | ProblemDetails | ValidationProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
