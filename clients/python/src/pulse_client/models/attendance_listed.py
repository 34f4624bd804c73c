from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.attendance_listed_status import AttendanceListedStatus

if TYPE_CHECKING:
    from ..models.pending_reason import PendingReason


T = TypeVar("T", bound="AttendanceListed")


@_attrs_define
class AttendanceListed:
    """One attendance as the events service holds it; `pending` ones say why they wait.

    Attributes:
        checked_in_at (datetime.datetime):
        checkin_id (str):
        event_id (str):
        id (str):
        participant_id (str):
        partner_id (str): the partner that owns the event
        recorded_at (datetime.datetime | None): when the events service stored it
        status (AttendanceListedStatus):
        waiting (None | PendingReason): why it waits; null once recorded
    """

    checked_in_at: datetime.datetime
    checkin_id: str
    event_id: str
    id: str
    participant_id: str
    partner_id: str
    recorded_at: datetime.datetime | None
    status: AttendanceListedStatus
    waiting: PendingReason | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.pending_reason import PendingReason

        checked_in_at = self.checked_in_at.isoformat()

        checkin_id = self.checkin_id

        event_id = self.event_id

        id = self.id

        participant_id = self.participant_id

        partner_id = self.partner_id

        recorded_at: str | None
        if isinstance(self.recorded_at, datetime.datetime):
            recorded_at = self.recorded_at.isoformat()
        else:
            recorded_at = self.recorded_at

        status = self.status.value

        waiting: dict[str, Any] | None
        waiting = self.waiting.to_dict() if isinstance(self.waiting, PendingReason) else self.waiting

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "checked_in_at": checked_in_at,
                "checkin_id": checkin_id,
                "event_id": event_id,
                "id": id,
                "participant_id": participant_id,
                "partner_id": partner_id,
                "recorded_at": recorded_at,
                "status": status,
                "waiting": waiting,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.pending_reason import PendingReason

        d = dict(src_dict)
        checked_in_at = datetime.datetime.fromisoformat(d.pop("checked_in_at"))

        checkin_id = d.pop("checkin_id")

        event_id = d.pop("event_id")

        id = d.pop("id")

        participant_id = d.pop("participant_id")

        partner_id = d.pop("partner_id")

        def _parse_recorded_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                recorded_at_type_0 = datetime.datetime.fromisoformat(data)

                return recorded_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        recorded_at = _parse_recorded_at(d.pop("recorded_at"))

        status = AttendanceListedStatus(d.pop("status"))

        def _parse_waiting(data: object) -> PendingReason | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                waiting_type_0 = PendingReason.from_dict(data)

                return waiting_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(PendingReason | None, data)

        waiting = _parse_waiting(d.pop("waiting"))

        attendance_listed = cls(
            checked_in_at=checked_in_at,
            checkin_id=checkin_id,
            event_id=event_id,
            id=id,
            participant_id=participant_id,
            partner_id=partner_id,
            recorded_at=recorded_at,
            status=status,
            waiting=waiting,
        )

        attendance_listed.additional_properties = d
        return attendance_listed

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
