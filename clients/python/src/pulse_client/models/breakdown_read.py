from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.breakdown_read_by import BreakdownReadBy
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.breakdown_read_names import BreakdownReadNames
    from ..models.breakdown_read_rows import BreakdownReadRows


T = TypeVar("T", bound="BreakdownRead")


@_attrs_define
class BreakdownRead:
    """Counters within each slice: rows[key][counter] (None when suppressed).

    Attributes:
        by (BreakdownReadBy):
        disclosure_controlled (bool):
        programme_id (str):
        rows (BreakdownReadRows):
        names (BreakdownReadNames | Unset): by partner: each row key's partner name (keys stay partner ids)
    """

    by: BreakdownReadBy
    disclosure_controlled: bool
    programme_id: str
    rows: BreakdownReadRows
    names: BreakdownReadNames | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        by = self.by.value

        disclosure_controlled = self.disclosure_controlled

        programme_id = self.programme_id

        rows = self.rows.to_dict()

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
            }
        )
        if names is not UNSET:
            field_dict["names"] = names

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.breakdown_read_names import BreakdownReadNames
        from ..models.breakdown_read_rows import BreakdownReadRows

        d = dict(src_dict)
        by = BreakdownReadBy(d.pop("by"))

        disclosure_controlled = d.pop("disclosure_controlled")

        programme_id = d.pop("programme_id")

        rows = BreakdownReadRows.from_dict(d.pop("rows"))

        _names = d.pop("names", UNSET)
        names: BreakdownReadNames | Unset
        names = UNSET if isinstance(_names, Unset) else BreakdownReadNames.from_dict(_names)

        breakdown_read = cls(
            by=by,
            disclosure_controlled=disclosure_controlled,
            programme_id=programme_id,
            rows=rows,
            names=names,
        )

        breakdown_read.additional_properties = d
        return breakdown_read

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
