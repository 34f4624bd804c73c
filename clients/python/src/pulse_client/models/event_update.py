from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.event_kind import EventKind
from ..models.nation import Nation
from ..types import UNSET, Unset

T = TypeVar("T", bound="EventUpdate")


@_attrs_define
class EventUpdate:
    """The fields to change; `"status": "cancelled"` cancels the event (for good).

    Attributes:
        capacity (int | None | Unset):
        ends_at (datetime.datetime | Unset):
        kind (EventKind | Unset):
        nation (Nation | Unset):
        region (None | str | Unset):
        starts_at (datetime.datetime | Unset):
        status (Literal['cancelled'] | Unset):
        title (str | Unset):
        venue (None | str | Unset):
    """

    capacity: int | Unset | None = UNSET
    ends_at: datetime.datetime | Unset = UNSET
    kind: EventKind | Unset = UNSET
    nation: Nation | Unset = UNSET
    region: str | Unset | None = UNSET
    starts_at: datetime.datetime | Unset = UNSET
    status: Literal["cancelled"] | Unset = UNSET
    title: str | Unset = UNSET
    venue: str | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        capacity: int | Unset | None
        capacity = UNSET if isinstance(self.capacity, Unset) else self.capacity

        ends_at: str | Unset = UNSET
        if not isinstance(self.ends_at, Unset):
            ends_at = self.ends_at.isoformat()

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

        nation: str | Unset = UNSET
        if not isinstance(self.nation, Unset):
            nation = self.nation.value

        region: str | Unset | None
        region = UNSET if isinstance(self.region, Unset) else self.region

        starts_at: str | Unset = UNSET
        if not isinstance(self.starts_at, Unset):
            starts_at = self.starts_at.isoformat()

        status = self.status

        title = self.title

        venue: str | Unset | None
        venue = UNSET if isinstance(self.venue, Unset) else self.venue

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if capacity is not UNSET:
            field_dict["capacity"] = capacity
        if ends_at is not UNSET:
            field_dict["ends_at"] = ends_at
        if kind is not UNSET:
            field_dict["kind"] = kind
        if nation is not UNSET:
            field_dict["nation"] = nation
        if region is not UNSET:
            field_dict["region"] = region
        if starts_at is not UNSET:
            field_dict["starts_at"] = starts_at
        if status is not UNSET:
            field_dict["status"] = status
        if title is not UNSET:
            field_dict["title"] = title
        if venue is not UNSET:
            field_dict["venue"] = venue

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_capacity(data: object) -> int | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | Unset | None, data)

        capacity = _parse_capacity(d.pop("capacity", UNSET))

        _ends_at = d.pop("ends_at", UNSET)
        ends_at: datetime.datetime | Unset
        ends_at = UNSET if isinstance(_ends_at, Unset) else datetime.datetime.fromisoformat(_ends_at)

        _kind = d.pop("kind", UNSET)
        kind: EventKind | Unset
        kind = UNSET if isinstance(_kind, Unset) else EventKind(_kind)

        _nation = d.pop("nation", UNSET)
        nation: Nation | Unset
        nation = UNSET if isinstance(_nation, Unset) else Nation(_nation)

        def _parse_region(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(str | Unset | None, data)

        region = _parse_region(d.pop("region", UNSET))

        _starts_at = d.pop("starts_at", UNSET)
        starts_at: datetime.datetime | Unset
        starts_at = UNSET if isinstance(_starts_at, Unset) else datetime.datetime.fromisoformat(_starts_at)

        status = cast(Literal["cancelled"] | Unset, d.pop("status", UNSET))
        if status != "cancelled" and not isinstance(status, Unset):
            raise ValueError(f"status must match const 'cancelled', got '{status}'")

        title = d.pop("title", UNSET)

        def _parse_venue(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(str | Unset | None, data)

        venue = _parse_venue(d.pop("venue", UNSET))

        event_update = cls(
            capacity=capacity,
            ends_at=ends_at,
            kind=kind,
            nation=nation,
            region=region,
            starts_at=starts_at,
            status=status,
            title=title,
            venue=venue,
        )

        return event_update
