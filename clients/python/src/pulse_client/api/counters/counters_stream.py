from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    programme_id: str | Unset | None = UNSET,
    last_event_id: str | Unset | None = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(last_event_id, Unset):
        headers["last-event-id"] = last_event_id

    params: dict[str, Any] = {}

    json_programme_id: str | Unset | None
    json_programme_id = UNSET if isinstance(programme_id, Unset) else programme_id
    params["programme_id"] = json_programme_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/programme/counters/stream",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemDetails | ValidationProblem | str | None:
    if response.status_code == 200:
        response_200 = response.text
        return response_200

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
) -> Response[ProblemDetails | ValidationProblem | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    programme_id: str | Unset | None = UNSET,
    last_event_id: str | Unset | None = UNSET,
) -> Response[ProblemDetails | ValidationProblem | str]:
    """Follow the counters as Server-Sent Events

     Follow the counters as Server-Sent Events: each new snapshot (id = its version).

    A comment (`: ping`) keeps an idle stream open every `PULSE_SSE_KEEPALIVE_S` (15 s).

    An admin gets every exact snapshot; a public reader only a new public release (docs/privacy.md).

    Args:
        programme_id (None | str | Unset): the programme (default: the gateway's own)
        last_event_id (None | str | Unset): the id of the last event received

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | ValidationProblem | str]
    """

    kwargs = _get_kwargs(
        programme_id=programme_id,
        last_event_id=last_event_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    programme_id: str | Unset | None = UNSET,
    last_event_id: str | Unset | None = UNSET,
) -> ProblemDetails | ValidationProblem | str | None:
    """Follow the counters as Server-Sent Events

     Follow the counters as Server-Sent Events: each new snapshot (id = its version).

    A comment (`: ping`) keeps an idle stream open every `PULSE_SSE_KEEPALIVE_S` (15 s).

    An admin gets every exact snapshot; a public reader only a new public release (docs/privacy.md).

    Args:
        programme_id (None | str | Unset): the programme (default: the gateway's own)
        last_event_id (None | str | Unset): the id of the last event received

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | ValidationProblem | str
    """

    return sync_detailed(
        client=client,
        programme_id=programme_id,
        last_event_id=last_event_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    programme_id: str | Unset | None = UNSET,
    last_event_id: str | Unset | None = UNSET,
) -> Response[ProblemDetails | ValidationProblem | str]:
    """Follow the counters as Server-Sent Events

     Follow the counters as Server-Sent Events: each new snapshot (id = its version).

    A comment (`: ping`) keeps an idle stream open every `PULSE_SSE_KEEPALIVE_S` (15 s).

    An admin gets every exact snapshot; a public reader only a new public release (docs/privacy.md).

    Args:
        programme_id (None | str | Unset): the programme (default: the gateway's own)
        last_event_id (None | str | Unset): the id of the last event received

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | ValidationProblem | str]
    """

    kwargs = _get_kwargs(
        programme_id=programme_id,
        last_event_id=last_event_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    programme_id: str | Unset | None = UNSET,
    last_event_id: str | Unset | None = UNSET,
) -> ProblemDetails | ValidationProblem | str | None:
    """Follow the counters as Server-Sent Events

     Follow the counters as Server-Sent Events: each new snapshot (id = its version).

    A comment (`: ping`) keeps an idle stream open every `PULSE_SSE_KEEPALIVE_S` (15 s).

    An admin gets every exact snapshot; a public reader only a new public release (docs/privacy.md).

    Args:
        programme_id (None | str | Unset): the programme (default: the gateway's own)
        last_event_id (None | str | Unset): the id of the last event received

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | ValidationProblem | str
    """

    return (
        await asyncio_detailed(
            client=client,
            programme_id=programme_id,
            last_event_id=last_event_id,
        )
    ).parsed
