from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.organisation_in import OrganisationIn
from ...models.organisation_read import OrganisationRead
from ...models.problem_details import ProblemDetails
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: OrganisationIn,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/organisations",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OrganisationRead | ProblemDetails | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = OrganisationRead.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = OrganisationRead.from_dict(response.json())

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
) -> Response[OrganisationRead | ProblemDetails | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: OrganisationIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[OrganisationRead | ProblemDetails | ValidationProblem]:
    """Name an organisation participants come from

     Name an organisation participants come from: 201 when new, 200 with the one already named.

    Names meet case- and space-insensitively, so every partner gets the same organisation for a name and
    kind.

    Args:
        idempotency_key (str | Unset):
        body (OrganisationIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrganisationRead | ProblemDetails | ValidationProblem]
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
    body: OrganisationIn,
    idempotency_key: str | Unset = UNSET,
) -> OrganisationRead | ProblemDetails | ValidationProblem | None:
    """Name an organisation participants come from

     Name an organisation participants come from: 201 when new, 200 with the one already named.

    Names meet case- and space-insensitively, so every partner gets the same organisation for a name and
    kind.

    Args:
        idempotency_key (str | Unset):
        body (OrganisationIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OrganisationRead | ProblemDetails | ValidationProblem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: OrganisationIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[OrganisationRead | ProblemDetails | ValidationProblem]:
    """Name an organisation participants come from

     Name an organisation participants come from: 201 when new, 200 with the one already named.

    Names meet case- and space-insensitively, so every partner gets the same organisation for a name and
    kind.

    Args:
        idempotency_key (str | Unset):
        body (OrganisationIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrganisationRead | ProblemDetails | ValidationProblem]
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
    body: OrganisationIn,
    idempotency_key: str | Unset = UNSET,
) -> OrganisationRead | ProblemDetails | ValidationProblem | None:
    """Name an organisation participants come from

     Name an organisation participants come from: 201 when new, 200 with the one already named.

    Names meet case- and space-insensitively, so every partner gets the same organisation for a name and
    kind.

    Args:
        idempotency_key (str | Unset):
        body (OrganisationIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OrganisationRead | ProblemDetails | ValidationProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
