from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.webhook_update_event_types_type_0_item import WebhookUpdateEventTypesType0Item
from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookUpdate")


@_attrs_define
class WebhookUpdate:
    """
    Attributes:
        description (None | str | Unset):
        enabled (bool | None | Unset):
        event_types (list[WebhookUpdateEventTypesType0Item] | None | Unset): the event types to receive, of:
            pulse.attendance.recorded.v1, pulse.attendance.released.v1, pulse.milestone.reached.v1,
            pulse.participant.erased.v1, pulse.participant.registered.v1, pulse.participant.updated.v1
        url (None | str | Unset): https URL (plain http only for allowed hosts)
    """

    description: str | Unset | None = UNSET
    enabled: bool | Unset | None = UNSET
    event_types: list[WebhookUpdateEventTypesType0Item] | Unset | None = UNSET
    url: str | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        description: str | Unset | None
        description = UNSET if isinstance(self.description, Unset) else self.description

        enabled: bool | Unset | None
        enabled = UNSET if isinstance(self.enabled, Unset) else self.enabled

        event_types: list[str] | Unset | None
        if isinstance(self.event_types, Unset):
            event_types = UNSET
        elif isinstance(self.event_types, list):
            event_types = []
            for event_types_type_0_item_data in self.event_types:
                event_types_type_0_item = event_types_type_0_item_data.value
                event_types.append(event_types_type_0_item)

        else:
            event_types = self.event_types

        url: str | Unset | None
        url = UNSET if isinstance(self.url, Unset) else self.url

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if description is not UNSET:
            field_dict["description"] = description
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if event_types is not UNSET:
            field_dict["event_types"] = event_types
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_description(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(str | Unset | None, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_enabled(data: object) -> bool | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | Unset | None, data)

        enabled = _parse_enabled(d.pop("enabled", UNSET))

        def _parse_event_types(data: object) -> list[WebhookUpdateEventTypesType0Item] | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                event_types_type_0 = []
                _event_types_type_0 = data
                for event_types_type_0_item_data in _event_types_type_0:
                    event_types_type_0_item = WebhookUpdateEventTypesType0Item(event_types_type_0_item_data)

                    event_types_type_0.append(event_types_type_0_item)

                return event_types_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[WebhookUpdateEventTypesType0Item] | Unset | None, data)

        event_types = _parse_event_types(d.pop("event_types", UNSET))

        def _parse_url(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(str | Unset | None, data)

        url = _parse_url(d.pop("url", UNSET))

        webhook_update = cls(
            description=description,
            enabled=enabled,
            event_types=event_types,
            url=url,
        )

        return webhook_update
