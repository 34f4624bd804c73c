from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.scope import Scope
from ..types import UNSET, Unset

T = TypeVar("T", bound="KeyCreated")


@_attrs_define
class KeyCreated:
    """A new key; `key` is the secret and is shown only in this response.

    The secret is never stored, so no answer holding it is ever replayed: a key creation retried after a
    lost answer makes another key. `GET /v1/keys` lists the keys (with their labels); revoke the one
    whose secret never arrived.

        Attributes:
            id (str):
            key (str):
            scopes (list[Scope]):
            event_id (None | str | Unset):
            expires_at (datetime.datetime | None | Unset):
            label (None | str | Unset):
            partner_id (None | str | Unset):
    """

    id: str
    key: str
    scopes: list[Scope]
    event_id: str | Unset | None = UNSET
    expires_at: datetime.datetime | Unset | None = UNSET
    label: str | Unset | None = UNSET
    partner_id: str | Unset | None = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        key = self.key

        scopes = []
        for scopes_item_data in self.scopes:
            scopes_item = scopes_item_data.value
            scopes.append(scopes_item)

        event_id: str | Unset | None
        event_id = UNSET if isinstance(self.event_id, Unset) else self.event_id

        expires_at: str | Unset | None
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        label: str | Unset | None
        label = UNSET if isinstance(self.label, Unset) else self.label

        partner_id: str | Unset | None
        partner_id = UNSET if isinstance(self.partner_id, Unset) else self.partner_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "key": key,
                "scopes": scopes,
            }
        )
        if event_id is not UNSET:
            field_dict["event_id"] = event_id
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if label is not UNSET:
            field_dict["label"] = label
        if partner_id is not UNSET:
            field_dict["partner_id"] = partner_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        key = d.pop("key")

        scopes = []
        _scopes = d.pop("scopes")
        for scopes_item_data in _scopes:
            scopes_item = Scope(scopes_item_data)

            scopes.append(scopes_item)

        def _parse_event_id(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(str | Unset | None, data)

        event_id = _parse_event_id(d.pop("event_id", UNSET))

        def _parse_expires_at(data: object) -> datetime.datetime | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | Unset | None, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))

        def _parse_label(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(str | Unset | None, data)

        label = _parse_label(d.pop("label", UNSET))

        def _parse_partner_id(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(str | Unset | None, data)

        partner_id = _parse_partner_id(d.pop("partner_id", UNSET))

        key_created = cls(
            id=id,
            key=key,
            scopes=scopes,
            event_id=event_id,
            expires_at=expires_at,
            label=label,
            partner_id=partner_id,
        )

        key_created.additional_properties = d
        return key_created

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
