from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="BatchCreate")


@_attrs_define
class BatchCreate:
    """Up to 10,000 attendance records; each is answered on its own, in order.

    Attributes:
        records (list[Any]): each `{event_id, participant_id, checkin_id?, checked_in_at}`; an invalid one gets its own
            error in the results
    """

    records: list[Any]

    def to_dict(self) -> dict[str, Any]:
        records = self.records

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "records": records,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        records = cast(list[Any], d.pop("records"))

        batch_create = cls(
            records=records,
        )

        return batch_create
