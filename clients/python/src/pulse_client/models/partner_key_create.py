from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PartnerKeyCreate")


@_attrs_define
class PartnerKeyCreate:
    """
    Attributes:
        label (None | str | Unset): a note for people, e.g. 'door 2'
    """

    label: str | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        label: str | Unset | None
        label = UNSET if isinstance(self.label, Unset) else self.label

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if label is not UNSET:
            field_dict["label"] = label

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_label(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(str | Unset | None, data)

        label = _parse_label(d.pop("label", UNSET))

        partner_key_create = cls(
            label=label,
        )

        return partner_key_create
