from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.participant_export import ParticipantExport
from ...models.problem_details import ProblemDetails
from ...models.validation_problem import ValidationProblem
from ...types import Response


def _get_kwargs(
    participant_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/participants/{participant_id}/export".format(
            participant_id=quote(str(participant_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ParticipantExport | ProblemDetails | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = ParticipantExport.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ProblemDetails.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ProblemDetails.from_dict(response.json())

        return response_404

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
) -> Response[ParticipantExport | ProblemDetails | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    participant_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[ParticipantExport | ProblemDetails | ValidationProblem]:
    """Export everything registration holds about a participant (subject access), erased ones too

     Export everything registration holds about a participant (subject access), erased ones too.

    A partner exports its own participants only; an admin anyone's (docs/privacy.md, Subject access).

    Args:
        participant_id (str): the participant's id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ParticipantExport | ProblemDetails | ValidationProblem]
    """

    kwargs = _get_kwargs(
        participant_id=participant_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    participant_id: str,
    *,
    client: AuthenticatedClient,
) -> ParticipantExport | ProblemDetails | ValidationProblem | None:
    """Export everything registration holds about a participant (subject access), erased ones too

     Export everything registration holds about a participant (subject access), erased ones too.

    A partner exports its own participants only; an admin anyone's (docs/privacy.md, Subject access).

    Args:
        participant_id (str): the participant's id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ParticipantExport | ProblemDetails | ValidationProblem
    """

    return sync_detailed(
        participant_id=participant_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    participant_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[ParticipantExport | ProblemDetails | ValidationProblem]:
    """Export everything registration holds about a participant (subject access), erased ones too

     Export everything registration holds about a participant (subject access), erased ones too.

    A partner exports its own participants only; an admin anyone's (docs/privacy.md, Subject access).

    Args:
        participant_id (str): the participant's id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ParticipantExport | ProblemDetails | ValidationProblem]
    """

    kwargs = _get_kwargs(
        participant_id=participant_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    participant_id: str,
    *,
    client: AuthenticatedClient,
) -> ParticipantExport | ProblemDetails | ValidationProblem | None:
    """Export everything registration holds about a participant (subject access), erased ones too

     Export everything registration holds about a participant (subject access), erased ones too.

    A partner exports its own participants only; an admin anyone's (docs/privacy.md, Subject access).

    Args:
        participant_id (str): the participant's id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ParticipantExport | ProblemDetails | ValidationProblem
    """

    return (
        await asyncio_detailed(
            participant_id=participant_id,
            client=client,
        )
    ).parsed
