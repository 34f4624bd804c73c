from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.webhook_create_event_types_item import WebhookCreateEventTypesItem
from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookCreate")


@_attrs_define
class WebhookCreate:
    """
    Attributes:
        event_types (list[WebhookCreateEventTypesItem]): the event types to receive, of: pulse.attendance.recorded.v1,
            pulse.attendance.released.v1, pulse.milestone.reached.v1, pulse.participant.erased.v1,
            pulse.participant.registered.v1, pulse.participant.updated.v1
        url (str): https URL (plain http only for allowed hosts)
        description (None | str | Unset):
        partner_id (None | str | Unset): whose endpoint: required for an admin key
    """

    event_types: list[WebhookCreateEventTypesItem]
    url: str
    description: str | Unset | None = UNSET
    partner_id: str | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        event_types = []
        for event_types_item_data in self.event_types:
            event_types_item = event_types_item_data.value
            event_types.append(event_types_item)

        url = self.url

        description: str | Unset | None
        description = UNSET if isinstance(self.description, Unset) else self.description

        partner_id: str | Unset | None
        partner_id = UNSET if isinstance(self.partner_id, Unset) else self.partner_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "event_types": event_types,
                "url": url,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if partner_id is not UNSET:
            field_dict["partner_id"] = partner_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event_types = []
        _event_types = d.pop("event_types")
        for event_types_item_data in _event_types:
            event_types_item = WebhookCreateEventTypesItem(event_types_item_data)

            event_types.append(event_types_item)

        url = d.pop("url")

        def _parse_description(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(str | Unset | None, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_partner_id(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(str | Unset | None, data)

        partner_id = _parse_partner_id(d.pop("partner_id", UNSET))

        webhook_create = cls(
            event_types=event_types,
            url=url,
            description=description,
            partner_id=partner_id,
        )

        return webhook_create
