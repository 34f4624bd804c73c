from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.programme_figures_reach_by_month_additional_property import (
        ProgrammeFiguresReachByMonthAdditionalProperty,
    )


T = TypeVar("T", bound="ProgrammeFiguresReachByMonth")


@_attrs_define
class ProgrammeFiguresReachByMonth:
    """month (of the events' dates) -> each counter as reached by the end of that month (cumulative; the last month's equal
    the headline figures); public: rounded like any cell

    """

    additional_properties: dict[str, ProgrammeFiguresReachByMonthAdditionalProperty] = _attrs_field(
        init=False, factory=dict
    )

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            field_dict[prop_name] = prop.to_dict()

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.programme_figures_reach_by_month_additional_property import (
            ProgrammeFiguresReachByMonthAdditionalProperty,
        )

        d = dict(src_dict)
        programme_figures_reach_by_month = cls()

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional_property = ProgrammeFiguresReachByMonthAdditionalProperty.from_dict(prop_dict)

            additional_properties[prop_name] = additional_property

        programme_figures_reach_by_month.additional_properties = additional_properties
        return programme_figures_reach_by_month

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> ProgrammeFiguresReachByMonthAdditionalProperty:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: ProgrammeFiguresReachByMonthAdditionalProperty) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
