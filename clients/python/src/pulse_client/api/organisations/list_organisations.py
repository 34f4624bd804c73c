from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.organisation_kind import OrganisationKind
from ...models.organisation_page import OrganisationPage
from ...models.problem_details import ProblemDetails
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    kind: OrganisationKind | Unset | None = UNSET,
    name: str | Unset | None = UNSET,
    limit: int | Unset = 100,
    cursor: str | Unset | None = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_kind: str | Unset | None
    if isinstance(kind, Unset):
        json_kind = UNSET
    elif isinstance(kind, OrganisationKind):
        json_kind = kind.value
    else:
        json_kind = kind
    params["kind"] = json_kind

    json_name: str | Unset | None
    json_name = UNSET if isinstance(name, Unset) else name
    params["name"] = json_name

    params["limit"] = limit

    json_cursor: str | Unset | None
    json_cursor = UNSET if isinstance(cursor, Unset) else cursor
    params["cursor"] = json_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/organisations",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OrganisationPage | ProblemDetails | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = OrganisationPage.from_dict(response.json())

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
) -> Response[OrganisationPage | ProblemDetails | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    kind: OrganisationKind | Unset | None = UNSET,
    name: str | Unset | None = UNSET,
    limit: int | Unset = 100,
    cursor: str | Unset | None = UNSET,
) -> Response[OrganisationPage | ProblemDetails | ValidationProblem]:
    """List the organisations named so far, by kind or name prefix

     List the organisations named so far, by kind or name prefix; `next_cursor` continues the listing.

    Args:
        kind (None | OrganisationKind | Unset):
        name (None | str | Unset): name prefix
        limit (int | Unset): page size Default: 100.
        cursor (None | str | Unset): the previous page's next_cursor, unchanged

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrganisationPage | ProblemDetails | ValidationProblem]
    """

    kwargs = _get_kwargs(
        kind=kind,
        name=name,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    kind: OrganisationKind | Unset | None = UNSET,
    name: str | Unset | None = UNSET,
    limit: int | Unset = 100,
    cursor: str | Unset | None = UNSET,
) -> OrganisationPage | ProblemDetails | ValidationProblem | None:
    """List the organisations named so far, by kind or name prefix

     List the organisations named so far, by kind or name prefix; `next_cursor` continues the listing.

    Args:
        kind (None | OrganisationKind | Unset):
        name (None | str | Unset): name prefix
        limit (int | Unset): page size Default: 100.
        cursor (None | str | Unset): the previous page's next_cursor, unchanged

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OrganisationPage | ProblemDetails | ValidationProblem
    """

    return sync_detailed(
        client=client,
        kind=kind,
        name=name,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    kind: OrganisationKind | Unset | None = UNSET,
    name: str | Unset | None = UNSET,
    limit: int | Unset = 100,
    cursor: str | Unset | None = UNSET,
) -> Response[OrganisationPage | ProblemDetails | ValidationProblem]:
    """List the organisations named so far, by kind or name prefix

     List the organisations named so far, by kind or name prefix; `next_cursor` continues the listing.

    Args:
        kind (None | OrganisationKind | Unset):
        name (None | str | Unset): name prefix
        limit (int | Unset): page size Default: 100.
        cursor (None | str | Unset): the previous page's next_cursor, unchanged

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrganisationPage | ProblemDetails | ValidationProblem]
    """

    kwargs = _get_kwargs(
        kind=kind,
        name=name,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    kind: OrganisationKind | Unset | None = UNSET,
    name: str | Unset | None = UNSET,
    limit: int | Unset = 100,
    cursor: str | Unset | None = UNSET,
) -> OrganisationPage | ProblemDetails | ValidationProblem | None:
    """List the organisations named so far, by kind or name prefix

     List the organisations named so far, by kind or name prefix; `next_cursor` continues the listing.

    Args:
        kind (None | OrganisationKind | Unset):
        name (None | str | Unset): name prefix
        limit (int | Unset): page size Default: 100.
        cursor (None | str | Unset): the previous page's next_cursor, unchanged

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OrganisationPage | ProblemDetails | ValidationProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            kind=kind,
            name=name,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
