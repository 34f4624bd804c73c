from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ConsentRead")


@_attrs_define
class ConsentRead:
    """
    Attributes:
        data_processing (bool):
        demographics (bool):
        recorded_at (datetime.datetime):
    """

    data_processing: bool
    demographics: bool
    recorded_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data_processing = self.data_processing

        demographics = self.demographics

        recorded_at = self.recorded_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data_processing": data_processing,
                "demographics": demographics,
                "recorded_at": recorded_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        data_processing = d.pop("data_processing")

        demographics = d.pop("demographics")

        recorded_at = datetime.datetime.fromisoformat(d.pop("recorded_at"))

        consent_read = cls(
            data_processing=data_processing,
            demographics=demographics,
            recorded_at=recorded_at,
        )

        consent_read.additional_properties = d
        return consent_read

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
