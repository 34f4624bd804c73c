from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.scope import Scope
from ..types import UNSET, Unset

T = TypeVar("T", bound="KeyRead")


@_attrs_define
class KeyRead:
    """
    Attributes:
        created_at (datetime.datetime):
        id (str):
        scopes (list[Scope]):
        event_id (None | str | Unset):
        expires_at (datetime.datetime | None | Unset):
        label (None | str | Unset):
        partner_id (None | str | Unset):
        revoked_at (datetime.datetime | None | Unset):
    """

    created_at: datetime.datetime
    id: str
    scopes: list[Scope]
    event_id: str | Unset | None = UNSET
    expires_at: datetime.datetime | Unset | None = UNSET
    label: str | Unset | None = UNSET
    partner_id: str | Unset | None = UNSET
    revoked_at: datetime.datetime | Unset | None = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        id = self.id

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

        revoked_at: str | Unset | None
        if isinstance(self.revoked_at, Unset):
            revoked_at = UNSET
        elif isinstance(self.revoked_at, datetime.datetime):
            revoked_at = self.revoked_at.isoformat()
        else:
            revoked_at = self.revoked_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "id": id,
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
        if revoked_at is not UNSET:
            field_dict["revoked_at"] = revoked_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = d.pop("id")

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

        def _parse_revoked_at(data: object) -> datetime.datetime | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                revoked_at_type_0 = datetime.datetime.fromisoformat(data)

                return revoked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | Unset | None, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at", UNSET))

        key_read = cls(
            created_at=created_at,
            id=id,
            scopes=scopes,
            event_id=event_id,
            expires_at=expires_at,
            label=label,
            partner_id=partner_id,
            revoked_at=revoked_at,
        )

        key_read.additional_properties = d
        return key_read

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
