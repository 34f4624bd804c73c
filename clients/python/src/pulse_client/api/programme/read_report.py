from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...models.report_format import ReportFormat
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    format_: ReportFormat | Unset = UNSET,
    programme_id: str | Unset | None = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    json_programme_id: str | Unset | None
    json_programme_id = UNSET if isinstance(programme_id, Unset) else programme_id
    params["programme_id"] = json_programme_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/programme/report",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ProblemDetails | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = cast(Any, None)
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
) -> Response[Any | ProblemDetails | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    format_: ReportFormat | Unset = UNSET,
    programme_id: str | Unset | None = UNSET,
) -> Response[Any | ProblemDetails | ValidationProblem]:
    """The programme report for a funder

     The programme report for a funder: CSV, an A4 HTML page, or that page as an A4 PDF.

    Args:
        format_ (ReportFormat | Unset):
        programme_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ProblemDetails | ValidationProblem]
    """

    kwargs = _get_kwargs(
        format_=format_,
        programme_id=programme_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    format_: ReportFormat | Unset = UNSET,
    programme_id: str | Unset | None = UNSET,
) -> Any | ProblemDetails | ValidationProblem | None:
    """The programme report for a funder

     The programme report for a funder: CSV, an A4 HTML page, or that page as an A4 PDF.

    Args:
        format_ (ReportFormat | Unset):
        programme_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ProblemDetails | ValidationProblem
    """

    return sync_detailed(
        client=client,
        format_=format_,
        programme_id=programme_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    format_: ReportFormat | Unset = UNSET,
    programme_id: str | Unset | None = UNSET,
) -> Response[Any | ProblemDetails | ValidationProblem]:
    """The programme report for a funder

     The programme report for a funder: CSV, an A4 HTML page, or that page as an A4 PDF.

    Args:
        format_ (ReportFormat | Unset):
        programme_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ProblemDetails | ValidationProblem]
    """

    kwargs = _get_kwargs(
        format_=format_,
        programme_id=programme_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    format_: ReportFormat | Unset = UNSET,
    programme_id: str | Unset | None = UNSET,
) -> Any | ProblemDetails | ValidationProblem | None:
    """The programme report for a funder

     The programme report for a funder: CSV, an A4 HTML page, or that page as an A4 PDF.

    Args:
        format_ (ReportFormat | Unset):
        programme_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ProblemDetails | ValidationProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            format_=format_,
            programme_id=programme_id,
        )
    ).parsed
