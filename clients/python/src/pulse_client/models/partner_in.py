from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PartnerIn")


@_attrs_define
class PartnerIn:
    """
    Attributes:
        name (str):
        programme_id (None | str | Unset):
    """

    name: str
    programme_id: str | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        programme_id: str | Unset | None
        programme_id = UNSET if isinstance(self.programme_id, Unset) else self.programme_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if programme_id is not UNSET:
            field_dict["programme_id"] = programme_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        def _parse_programme_id(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(str | Unset | None, data)

        programme_id = _parse_programme_id(d.pop("programme_id", UNSET))

        partner_in = cls(
            name=name,
            programme_id=programme_id,
        )

        return partner_in
