from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ConsentIn")


@_attrs_define
class ConsentIn:
    """
    Attributes:
        data_processing (bool):
        demographics (bool):
    """

    data_processing: bool
    demographics: bool

    def to_dict(self) -> dict[str, Any]:
        data_processing = self.data_processing

        demographics = self.demographics

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "data_processing": data_processing,
                "demographics": demographics,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        data_processing = d.pop("data_processing")

        demographics = d.pop("demographics")

        consent_in = cls(
            data_processing=data_processing,
            demographics=demographics,
        )

        return consent_in
