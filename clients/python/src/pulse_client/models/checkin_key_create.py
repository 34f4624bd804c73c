from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CheckinKeyCreate")


@_attrs_define
class CheckinKeyCreate:
    """
    Attributes:
        expires_at (datetime.datetime): in the future, at most 30 days ahead
        label (None | str | Unset): a note for people, e.g. 'door 2'
    """

    expires_at: datetime.datetime
    label: str | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        expires_at = self.expires_at.isoformat()

        label: str | Unset | None
        label = UNSET if isinstance(self.label, Unset) else self.label

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "expires_at": expires_at,
            }
        )
        if label is not UNSET:
            field_dict["label"] = label

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        def _parse_label(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(str | Unset | None, data)

        label = _parse_label(d.pop("label", UNSET))

        checkin_key_create = cls(
            expires_at=expires_at,
            label=label,
        )

        return checkin_key_create
