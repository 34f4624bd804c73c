from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...models.problem_type_read import ProblemTypeRead
from ...models.validation_problem import ValidationProblem
from ...types import Response


def _get_kwargs(
    problem_type: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/problems/{problem_type}".format(
            problem_type=quote(str(problem_type), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemDetails | ProblemTypeRead | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = ProblemTypeRead.from_dict(response.json())

        return response_200

    if response.status_code == 404:
        response_404 = ProblemDetails.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = ValidationProblem.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ProblemDetails | ProblemTypeRead | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    problem_type: str,
    *,
    client: AuthenticatedClient,
) -> Response[ProblemDetails | ProblemTypeRead | ValidationProblem]:
    """Explain a problem type

     Explain a problem type: what it means and what to do, as HTML, or JSON when asked for.

    Every `type` of a problem document this API answers with is a path of this operation.

    Args:
        problem_type (str): the type's slug

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | ProblemTypeRead | ValidationProblem]
    """

    kwargs = _get_kwargs(
        problem_type=problem_type,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    problem_type: str,
    *,
    client: AuthenticatedClient,
) -> ProblemDetails | ProblemTypeRead | ValidationProblem | None:
    """Explain a problem type

     Explain a problem type: what it means and what to do, as HTML, or JSON when asked for.

    Every `type` of a problem document this API answers with is a path of this operation.

    Args:
        problem_type (str): the type's slug

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | ProblemTypeRead | ValidationProblem
    """

    return sync_detailed(
        problem_type=problem_type,
        client=client,
    ).parsed


async def asyncio_detailed(
    problem_type: str,
    *,
    client: AuthenticatedClient,
) -> Response[ProblemDetails | ProblemTypeRead | ValidationProblem]:
    """Explain a problem type

     Explain a problem type: what it means and what to do, as HTML, or JSON when asked for.

    Every `type` of a problem document this API answers with is a path of this operation.

    Args:
        problem_type (str): the type's slug

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | ProblemTypeRead | ValidationProblem]
    """

    kwargs = _get_kwargs(
        problem_type=problem_type,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    problem_type: str,
    *,
    client: AuthenticatedClient,
) -> ProblemDetails | ProblemTypeRead | ValidationProblem | None:
    """Explain a problem type

     Explain a problem type: what it means and what to do, as HTML, or JSON when asked for.

    Every `type` of a problem document this API answers with is a path of this operation.

    Args:
        problem_type (str): the type's slug

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | ProblemTypeRead | ValidationProblem
    """

    return (
        await asyncio_detailed(
            problem_type=problem_type,
            client=client,
        )
    ).parsed
