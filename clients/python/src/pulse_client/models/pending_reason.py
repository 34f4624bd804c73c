from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PendingReason")


@_attrs_define
class PendingReason:
    """Why a pending attendance is not counted yet.

    Attributes:
        detail (str):
        reason (Literal['participant-unknown']): the participant's registration has not reached the events service yet
    """

    detail: str
    reason: Literal["participant-unknown"]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        detail = self.detail

        reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "detail": detail,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        detail = d.pop("detail")

        reason = cast(Literal["participant-unknown"], d.pop("reason"))
        if reason != "participant-unknown":
            raise ValueError(f"reason must match const 'participant-unknown', got '{reason}'")

        pending_reason = cls(
            detail=detail,
            reason=reason,
        )

        pending_reason.additional_properties = d
        return pending_reason

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
