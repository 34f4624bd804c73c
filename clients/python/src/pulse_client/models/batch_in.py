from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="BatchIn")


@_attrs_define
class BatchIn:
    """Up to 10,000 participants, each registered (or refused) on its own, in order.

    Attributes:
        participants (list[Any]): participants as `POST /v1/participants` takes them
    """

    participants: list[Any]

    def to_dict(self) -> dict[str, Any]:
        participants = self.participants

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "participants": participants,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        participants = cast(list[Any], d.pop("participants"))

        batch_in = cls(
            participants=participants,
        )

        return batch_in
