from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WebhookCreated")


@_attrs_define
class WebhookCreated:
    """A new endpoint; `secret` (Standard Webhooks `whsec_...`) verifies its deliveries' signatures.

    The secret is shown once: a retried registration is not replayed (it would register a second
    endpoint); list the endpoints, delete the extra one, or rotate the secret of the one kept.

        Attributes:
            created_at (datetime.datetime):
            description (None | str):
            disabled_reason (None | str):
            enabled (bool):
            event_types (list[str]):
            id (str):
            partner_id (str):
            programme_id (str):
            secret (str):
            updated_at (datetime.datetime):
            url (str):
    """

    created_at: datetime.datetime
    description: str | None
    disabled_reason: str | None
    enabled: bool
    event_types: list[str]
    id: str
    partner_id: str
    programme_id: str
    secret: str
    updated_at: datetime.datetime
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        description: str | None
        description = self.description

        disabled_reason: str | None
        disabled_reason = self.disabled_reason

        enabled = self.enabled

        event_types = self.event_types

        id = self.id

        partner_id = self.partner_id

        programme_id = self.programme_id

        secret = self.secret

        updated_at = self.updated_at.isoformat()

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "description": description,
                "disabled_reason": disabled_reason,
                "enabled": enabled,
                "event_types": event_types,
                "id": id,
                "partner_id": partner_id,
                "programme_id": programme_id,
                "secret": secret,
                "updated_at": updated_at,
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_description(data: object) -> str | None:
            if data is None:
                return data
            return cast(str | None, data)

        description = _parse_description(d.pop("description"))

        def _parse_disabled_reason(data: object) -> str | None:
            if data is None:
                return data
            return cast(str | None, data)

        disabled_reason = _parse_disabled_reason(d.pop("disabled_reason"))

        enabled = d.pop("enabled")

        event_types = cast(list[str], d.pop("event_types"))

        id = d.pop("id")

        partner_id = d.pop("partner_id")

        programme_id = d.pop("programme_id")

        secret = d.pop("secret")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        url = d.pop("url")

        webhook_created = cls(
            created_at=created_at,
            description=description,
            disabled_reason=disabled_reason,
            enabled=enabled,
            event_types=event_types,
            id=id,
            partner_id=partner_id,
            programme_id=programme_id,
            secret=secret,
            updated_at=updated_at,
            url=url,
        )

        webhook_created.additional_properties = d
        return webhook_created

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
