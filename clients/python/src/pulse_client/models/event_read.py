from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.event_kind import EventKind
from ..models.event_status import EventStatus
from ..models.nation import Nation

T = TypeVar("T", bound="EventRead")


@_attrs_define
class EventRead:
    """
    Attributes:
        capacity (int | None):
        created_at (datetime.datetime):
        ends_at (datetime.datetime):
        id (str):
        kind (EventKind):
        nation (Nation):
        partner_id (str):
        programme_id (str):
        region (None | str):
        starts_at (datetime.datetime):
        status (EventStatus):
        title (str):
        updated_at (datetime.datetime):
        venue (None | str):
        version (int):
    """

    capacity: int | None
    created_at: datetime.datetime
    ends_at: datetime.datetime
    id: str
    kind: EventKind
    nation: Nation
    partner_id: str
    programme_id: str
    region: str | None
    starts_at: datetime.datetime
    status: EventStatus
    title: str
    updated_at: datetime.datetime
    venue: str | None
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        capacity: int | None
        capacity = self.capacity

        created_at = self.created_at.isoformat()

        ends_at = self.ends_at.isoformat()

        id = self.id

        kind = self.kind.value

        nation = self.nation.value

        partner_id = self.partner_id

        programme_id = self.programme_id

        region: str | None
        region = self.region

        starts_at = self.starts_at.isoformat()

        status = self.status.value

        title = self.title

        updated_at = self.updated_at.isoformat()

        venue: str | None
        venue = self.venue

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "capacity": capacity,
                "created_at": created_at,
                "ends_at": ends_at,
                "id": id,
                "kind": kind,
                "nation": nation,
                "partner_id": partner_id,
                "programme_id": programme_id,
                "region": region,
                "starts_at": starts_at,
                "status": status,
                "title": title,
                "updated_at": updated_at,
                "venue": venue,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_capacity(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        capacity = _parse_capacity(d.pop("capacity"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        ends_at = datetime.datetime.fromisoformat(d.pop("ends_at"))

        id = d.pop("id")

        kind = EventKind(d.pop("kind"))

        nation = Nation(d.pop("nation"))

        partner_id = d.pop("partner_id")

        programme_id = d.pop("programme_id")

        def _parse_region(data: object) -> str | None:
            if data is None:
                return data
            return cast(str | None, data)

        region = _parse_region(d.pop("region"))

        starts_at = datetime.datetime.fromisoformat(d.pop("starts_at"))

        status = EventStatus(d.pop("status"))

        title = d.pop("title")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_venue(data: object) -> str | None:
            if data is None:
                return data
            return cast(str | None, data)

        venue = _parse_venue(d.pop("venue"))

        version = d.pop("version")

        event_read = cls(
            capacity=capacity,
            created_at=created_at,
            ends_at=ends_at,
            id=id,
            kind=kind,
            nation=nation,
            partner_id=partner_id,
            programme_id=programme_id,
            region=region,
            starts_at=starts_at,
            status=status,
            title=title,
            updated_at=updated_at,
            venue=venue,
            version=version,
        )

        event_read.additional_properties = d
        return event_read

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
