from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.attendance_read_status import AttendanceReadStatus

T = TypeVar("T", bound="AttendanceRead")


@_attrs_define
class AttendanceRead:
    """
    Attributes:
        checked_in_at (datetime.datetime):
        checkin_id (str):
        event_id (str):
        id (str):
        participant_id (str):
        status (AttendanceReadStatus):
    """

    checked_in_at: datetime.datetime
    checkin_id: str
    event_id: str
    id: str
    participant_id: str
    status: AttendanceReadStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        checked_in_at = self.checked_in_at.isoformat()

        checkin_id = self.checkin_id

        event_id = self.event_id

        id = self.id

        participant_id = self.participant_id

        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "checked_in_at": checked_in_at,
                "checkin_id": checkin_id,
                "event_id": event_id,
                "id": id,
                "participant_id": participant_id,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        checked_in_at = datetime.datetime.fromisoformat(d.pop("checked_in_at"))

        checkin_id = d.pop("checkin_id")

        event_id = d.pop("event_id")

        id = d.pop("id")

        participant_id = d.pop("participant_id")

        status = AttendanceReadStatus(d.pop("status"))

        attendance_read = cls(
            checked_in_at=checked_in_at,
            checkin_id=checkin_id,
            event_id=event_id,
            id=id,
            participant_id=participant_id,
            status=status,
        )

        attendance_read.additional_properties = d
        return attendance_read

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
