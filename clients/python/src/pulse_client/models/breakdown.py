from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.breakdown_names import BreakdownNames
    from ..models.breakdown_rows import BreakdownRows


T = TypeVar("T", bound="Breakdown")


@_attrs_define
class Breakdown:
    """
    Attributes:
        by (str):
        disclosure_controlled (bool):
        programme_id (str):
        rows (BreakdownRows):
        seq (int):
        updated_at (datetime.datetime | None):
        names (BreakdownNames | Unset):
    """

    by: str
    disclosure_controlled: bool
    programme_id: str
    rows: BreakdownRows
    seq: int
    updated_at: datetime.datetime | None
    names: BreakdownNames | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        by = self.by

        disclosure_controlled = self.disclosure_controlled

        programme_id = self.programme_id

        rows = self.rows.to_dict()

        seq = self.seq

        updated_at: str | None
        if isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        names: dict[str, Any] | Unset = UNSET
        if not isinstance(self.names, Unset):
            names = self.names.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "by": by,
                "disclosure_controlled": disclosure_controlled,
                "programme_id": programme_id,
                "rows": rows,
                "seq": seq,
                "updated_at": updated_at,
            }
        )
        if names is not UNSET:
            field_dict["names"] = names

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.breakdown_names import BreakdownNames
        from ..models.breakdown_rows import BreakdownRows

        d = dict(src_dict)
        by = d.pop("by")

        disclosure_controlled = d.pop("disclosure_controlled")

        programme_id = d.pop("programme_id")

        rows = BreakdownRows.from_dict(d.pop("rows"))

        seq = d.pop("seq")

        def _parse_updated_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        updated_at = _parse_updated_at(d.pop("updated_at"))

        _names = d.pop("names", UNSET)
        names: BreakdownNames | Unset
        names = UNSET if isinstance(_names, Unset) else BreakdownNames.from_dict(_names)

        breakdown = cls(
            by=by,
            disclosure_controlled=disclosure_controlled,
            programme_id=programme_id,
            rows=rows,
            seq=seq,
            updated_at=updated_at,
            names=names,
        )

        breakdown.additional_properties = d
        return breakdown

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
