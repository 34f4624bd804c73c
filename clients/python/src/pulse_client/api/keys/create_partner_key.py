from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.key_created import KeyCreated
from ...models.partner_key_create import PartnerKeyCreate
from ...models.problem_details import ProblemDetails
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    partner_id: str,
    *,
    body: PartnerKeyCreate | Unset | None = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/partners/{partner_id}/keys".format(
            partner_id=quote(str(partner_id), safe=""),
        ),
    }

    if isinstance(body, PartnerKeyCreate):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> KeyCreated | ProblemDetails | ValidationProblem | None:
    if response.status_code == 201:
        response_201 = KeyCreated.from_dict(response.json())

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
) -> Response[KeyCreated | ProblemDetails | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    partner_id: str,
    *,
    client: AuthenticatedClient,
    body: PartnerKeyCreate | Unset | None = UNSET,
) -> Response[KeyCreated | ProblemDetails | ValidationProblem]:
    """Create a key acting for one partner (admin only)

     Create a key acting for one partner (admin only); the secret is shown once.

    Args:
        partner_id (str):
        body (None | PartnerKeyCreate | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[KeyCreated | ProblemDetails | ValidationProblem]
    """

    kwargs = _get_kwargs(
        partner_id=partner_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    partner_id: str,
    *,
    client: AuthenticatedClient,
    body: PartnerKeyCreate | Unset | None = UNSET,
) -> KeyCreated | ProblemDetails | ValidationProblem | None:
    """Create a key acting for one partner (admin only)

     Create a key acting for one partner (admin only); the secret is shown once.

    Args:
        partner_id (str):
        body (None | PartnerKeyCreate | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        KeyCreated | ProblemDetails | ValidationProblem
    """

    return sync_detailed(
        partner_id=partner_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    partner_id: str,
    *,
    client: AuthenticatedClient,
    body: PartnerKeyCreate | Unset | None = UNSET,
) -> Response[KeyCreated | ProblemDetails | ValidationProblem]:
    """Create a key acting for one partner (admin only)

     Create a key acting for one partner (admin only); the secret is shown once.

    Args:
        partner_id (str):
        body (None | PartnerKeyCreate | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[KeyCreated | ProblemDetails | ValidationProblem]
    """

    kwargs = _get_kwargs(
        partner_id=partner_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    partner_id: str,
    *,
    client: AuthenticatedClient,
    body: PartnerKeyCreate | Unset | None = UNSET,
) -> KeyCreated | ProblemDetails | ValidationProblem | None:
    """Create a key acting for one partner (admin only)

     Create a key acting for one partner (admin only); the secret is shown once.

    Args:
        partner_id (str):
        body (None | PartnerKeyCreate | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        KeyCreated | ProblemDetails | ValidationProblem
    """

    return (
        await asyncio_detailed(
            partner_id=partner_id,
            client=client,
            body=body,
        )
    ).parsed
