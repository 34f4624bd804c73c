from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.chart_name import ChartName
from ...models.problem_details import ProblemDetails
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    chart: ChartName,
    *,
    programme_id: str | Unset | None = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_programme_id: str | Unset | None
    json_programme_id = UNSET if isinstance(programme_id, Unset) else programme_id
    params["programme_id"] = json_programme_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/programme/charts/{chart}".format(
            chart=quote(str(chart), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemDetails | ValidationProblem | None:
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
) -> Response[ProblemDetails | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    chart: ChartName,
    *,
    client: AuthenticatedClient,
    programme_id: str | Unset | None = UNSET,
) -> Response[ProblemDetails | ValidationProblem]:
    """One of the report's charts as SVG: a headline figure's reach by month (with its target), or

     One of the report's charts as SVG: a headline figure's reach by month (with its target), or
    attendances by nation or by event kind; its numbers are in the report's tables.

    Args:
        chart (ChartName):
        programme_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | ValidationProblem]
    """

    kwargs = _get_kwargs(
        chart=chart,
        programme_id=programme_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    chart: ChartName,
    *,
    client: AuthenticatedClient,
    programme_id: str | Unset | None = UNSET,
) -> ProblemDetails | ValidationProblem | None:
    """One of the report's charts as SVG: a headline figure's reach by month (with its target), or

     One of the report's charts as SVG: a headline figure's reach by month (with its target), or
    attendances by nation or by event kind; its numbers are in the report's tables.

    Args:
        chart (ChartName):
        programme_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | ValidationProblem
    """

    return sync_detailed(
        chart=chart,
        client=client,
        programme_id=programme_id,
    ).parsed


async def asyncio_detailed(
    chart: ChartName,
    *,
    client: AuthenticatedClient,
    programme_id: str | Unset | None = UNSET,
) -> Response[ProblemDetails | ValidationProblem]:
    """One of the report's charts as SVG: a headline figure's reach by month (with its target), or

     One of the report's charts as SVG: a headline figure's reach by month (with its target), or
    attendances by nation or by event kind; its numbers are in the report's tables.

    Args:
        chart (ChartName):
        programme_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | ValidationProblem]
    """

    kwargs = _get_kwargs(
        chart=chart,
        programme_id=programme_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    chart: ChartName,
    *,
    client: AuthenticatedClient,
    programme_id: str | Unset | None = UNSET,
) -> ProblemDetails | ValidationProblem | None:
    """One of the report's charts as SVG: a headline figure's reach by month (with its target), or

     One of the report's charts as SVG: a headline figure's reach by month (with its target), or
    attendances by nation or by event kind; its numbers are in the report's tables.

    Args:
        chart (ChartName):
        programme_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | ValidationProblem
    """

    return (
        await asyncio_detailed(
            chart=chart,
            client=client,
            programme_id=programme_id,
        )
    ).parsed
