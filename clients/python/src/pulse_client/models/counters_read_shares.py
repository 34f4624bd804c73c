from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.counters_read_shares_additional_property import CountersReadSharesAdditionalProperty


T = TypeVar("T", bound="CountersReadShares")


@_attrs_define
class CountersReadShares:
    additional_properties: dict[str, CountersReadSharesAdditionalProperty] = _attrs_field(
        init=False, factory=dict
    )

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            field_dict[prop_name] = prop.to_dict()

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.counters_read_shares_additional_property import CountersReadSharesAdditionalProperty

        d = dict(src_dict)
        counters_read_shares = cls()

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional_property = CountersReadSharesAdditionalProperty.from_dict(prop_dict)

            additional_properties[prop_name] = additional_property

        counters_read_shares.additional_properties = additional_properties
        return counters_read_shares

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> CountersReadSharesAdditionalProperty:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: CountersReadSharesAdditionalProperty) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
