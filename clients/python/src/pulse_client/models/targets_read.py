from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.targets_read_targets import TargetsReadTargets


T = TypeVar("T", bound="TargetsRead")


@_attrs_define
class TargetsRead:
    """
    Attributes:
        programme_id (str):
        targets (TargetsReadTargets):
    """

    programme_id: str
    targets: TargetsReadTargets
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        programme_id = self.programme_id

        targets = self.targets.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "programme_id": programme_id,
                "targets": targets,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.targets_read_targets import TargetsReadTargets

        d = dict(src_dict)
        programme_id = d.pop("programme_id")

        targets = TargetsReadTargets.from_dict(d.pop("targets"))

        targets_read = cls(
            programme_id=programme_id,
            targets=targets,
        )

        targets_read.additional_properties = d
        return targets_read

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
