from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.participant_qr_format import ParticipantQrFormat
from ...models.problem_details import ProblemDetails
from ...models.qr_token_read import QrTokenRead
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    participant_id: str,
    *,
    format_: ParticipantQrFormat | Unset = ParticipantQrFormat.JSON,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/participants/{participant_id}/qr".format(
            participant_id=quote(str(participant_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemDetails | QrTokenRead | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = QrTokenRead.from_dict(response.json())

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
) -> Response[ProblemDetails | QrTokenRead | ValidationProblem]:
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
    format_: ParticipantQrFormat | Unset = ParticipantQrFormat.JSON,
) -> Response[ProblemDetails | QrTokenRead | ValidationProblem]:
    """Issue a participant's signed check-in token, as JSON or as a QR code (SVG or PNG)

     Issue a participant's signed check-in token, as JSON or as a QR code (SVG or PNG).

    Args:
        participant_id (str): the participant's id
        format_ (ParticipantQrFormat | Unset): json, or the QR code as an image Default:
            ParticipantQrFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | QrTokenRead | ValidationProblem]
    """

    kwargs = _get_kwargs(
        participant_id=participant_id,
        format_=format_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    participant_id: str,
    *,
    client: AuthenticatedClient,
    format_: ParticipantQrFormat | Unset = ParticipantQrFormat.JSON,
) -> ProblemDetails | QrTokenRead | ValidationProblem | None:
    """Issue a participant's signed check-in token, as JSON or as a QR code (SVG or PNG)

     Issue a participant's signed check-in token, as JSON or as a QR code (SVG or PNG).

    Args:
        participant_id (str): the participant's id
        format_ (ParticipantQrFormat | Unset): json, or the QR code as an image Default:
            ParticipantQrFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | QrTokenRead | ValidationProblem
    """

    return sync_detailed(
        participant_id=participant_id,
        client=client,
        format_=format_,
    ).parsed


async def asyncio_detailed(
    participant_id: str,
    *,
    client: AuthenticatedClient,
    format_: ParticipantQrFormat | Unset = ParticipantQrFormat.JSON,
) -> Response[ProblemDetails | QrTokenRead | ValidationProblem]:
    """Issue a participant's signed check-in token, as JSON or as a QR code (SVG or PNG)

     Issue a participant's signed check-in token, as JSON or as a QR code (SVG or PNG).

    Args:
        participant_id (str): the participant's id
        format_ (ParticipantQrFormat | Unset): json, or the QR code as an image Default:
            ParticipantQrFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | QrTokenRead | ValidationProblem]
    """

    kwargs = _get_kwargs(
        participant_id=participant_id,
        format_=format_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    participant_id: str,
    *,
    client: AuthenticatedClient,
    format_: ParticipantQrFormat | Unset = ParticipantQrFormat.JSON,
) -> ProblemDetails | QrTokenRead | ValidationProblem | None:
    """Issue a participant's signed check-in token, as JSON or as a QR code (SVG or PNG)

     Issue a participant's signed check-in token, as JSON or as a QR code (SVG or PNG).

    Args:
        participant_id (str): the participant's id
        format_ (ParticipantQrFormat | Unset): json, or the QR code as an image Default:
            ParticipantQrFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | QrTokenRead | ValidationProblem
    """

    return (
        await asyncio_detailed(
            participant_id=participant_id,
            client=client,
            format_=format_,
        )
    ).parsed
