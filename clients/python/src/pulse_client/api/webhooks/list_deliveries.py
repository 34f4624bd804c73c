import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.delivery_list import DeliveryList
from ...models.list_deliveries_status_type_0 import ListDeliveriesStatusType0
from ...models.problem_details import ProblemDetails
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    webhook_id: str,
    *,
    status: ListDeliveriesStatusType0 | Unset | None = UNSET,
    before: datetime.datetime | Unset | None = UNSET,
    limit: int | Unset = 50,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: str | Unset | None
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, ListDeliveriesStatusType0):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_before: str | Unset | None
    if isinstance(before, Unset):
        json_before = UNSET
    elif isinstance(before, datetime.datetime):
        json_before = before.isoformat()
    else:
        json_before = before
    params["before"] = json_before

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/webhooks/{webhook_id}/deliveries".format(
            webhook_id=quote(str(webhook_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DeliveryList | ProblemDetails | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = DeliveryList.from_dict(response.json())

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
) -> Response[DeliveryList | ProblemDetails | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    status: ListDeliveriesStatusType0 | Unset | None = UNSET,
    before: datetime.datetime | Unset | None = UNSET,
    limit: int | Unset = 50,
) -> Response[DeliveryList | ProblemDetails | ValidationProblem]:
    """List an endpoint's deliveries, newest first

     List an endpoint's deliveries, newest first: `status=failed` lists the dead letters.

    Args:
        webhook_id (str): the endpoint's id
        status (ListDeliveriesStatusType0 | None | Unset):
        before (datetime.datetime | None | Unset): only deliveries created before this time
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeliveryList | ProblemDetails | ValidationProblem]
    """

    kwargs = _get_kwargs(
        webhook_id=webhook_id,
        status=status,
        before=before,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    status: ListDeliveriesStatusType0 | Unset | None = UNSET,
    before: datetime.datetime | Unset | None = UNSET,
    limit: int | Unset = 50,
) -> DeliveryList | ProblemDetails | ValidationProblem | None:
    """List an endpoint's deliveries, newest first

     List an endpoint's deliveries, newest first: `status=failed` lists the dead letters.

    Args:
        webhook_id (str): the endpoint's id
        status (ListDeliveriesStatusType0 | None | Unset):
        before (datetime.datetime | None | Unset): only deliveries created before this time
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeliveryList | ProblemDetails | ValidationProblem
    """

    return sync_detailed(
        webhook_id=webhook_id,
        client=client,
        status=status,
        before=before,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    status: ListDeliveriesStatusType0 | Unset | None = UNSET,
    before: datetime.datetime | Unset | None = UNSET,
    limit: int | Unset = 50,
) -> Response[DeliveryList | ProblemDetails | ValidationProblem]:
    """List an endpoint's deliveries, newest first

     List an endpoint's deliveries, newest first: `status=failed` lists the dead letters.

    Args:
        webhook_id (str): the endpoint's id
        status (ListDeliveriesStatusType0 | None | Unset):
        before (datetime.datetime | None | Unset): only deliveries created before this time
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeliveryList | ProblemDetails | ValidationProblem]
    """

    kwargs = _get_kwargs(
        webhook_id=webhook_id,
        status=status,
        before=before,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    status: ListDeliveriesStatusType0 | Unset | None = UNSET,
    before: datetime.datetime | Unset | None = UNSET,
    limit: int | Unset = 50,
) -> DeliveryList | ProblemDetails | ValidationProblem | None:
    """List an endpoint's deliveries, newest first

     List an endpoint's deliveries, newest first: `status=failed` lists the dead letters.

    Args:
        webhook_id (str): the endpoint's id
        status (ListDeliveriesStatusType0 | None | Unset):
        before (datetime.datetime | None | Unset): only deliveries created before this time
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeliveryList | ProblemDetails | ValidationProblem
    """

    return (
        await asyncio_detailed(
            webhook_id=webhook_id,
            client=client,
            status=status,
            before=before,
            limit=limit,
        )
    ).parsed
