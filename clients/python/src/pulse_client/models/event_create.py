from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.event_kind import EventKind
from ..models.nation import Nation
from ..types import UNSET, Unset

T = TypeVar("T", bound="EventCreate")


@_attrs_define
class EventCreate:
    """
    Attributes:
        ends_at (datetime.datetime):
        kind (EventKind):
        nation (Nation):
        starts_at (datetime.datetime):
        title (str):
        capacity (int | None | Unset):
        partner_id (None | str | Unset): the owner; required of an admin, implied by a partner key
        region (None | str | Unset):
        venue (None | str | Unset):
    """

    ends_at: datetime.datetime
    kind: EventKind
    nation: Nation
    starts_at: datetime.datetime
    title: str
    capacity: int | Unset | None = UNSET
    partner_id: str | Unset | None = UNSET
    region: str | Unset | None = UNSET
    venue: str | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        ends_at = self.ends_at.isoformat()

        kind = self.kind.value

        nation = self.nation.value

        starts_at = self.starts_at.isoformat()

        title = self.title

        capacity: int | Unset | None
        capacity = UNSET if isinstance(self.capacity, Unset) else self.capacity

        partner_id: str | Unset | None
        partner_id = UNSET if isinstance(self.partner_id, Unset) else self.partner_id

        region: str | Unset | None
        region = UNSET if isinstance(self.region, Unset) else self.region

        venue: str | Unset | None
        venue = UNSET if isinstance(self.venue, Unset) else self.venue

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ends_at": ends_at,
                "kind": kind,
                "nation": nation,
                "starts_at": starts_at,
                "title": title,
            }
        )
        if capacity is not UNSET:
            field_dict["capacity"] = capacity
        if partner_id is not UNSET:
            field_dict["partner_id"] = partner_id
        if region is not UNSET:
            field_dict["region"] = region
        if venue is not UNSET:
            field_dict["venue"] = venue

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ends_at = datetime.datetime.fromisoformat(d.pop("ends_at"))

        kind = EventKind(d.pop("kind"))

        nation = Nation(d.pop("nation"))

        starts_at = datetime.datetime.fromisoformat(d.pop("starts_at"))

        title = d.pop("title")

        def _parse_capacity(data: object) -> int | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | Unset | None, data)

        capacity = _parse_capacity(d.pop("capacity", UNSET))

        def _parse_partner_id(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(str | Unset | None, data)

        partner_id = _parse_partner_id(d.pop("partner_id", UNSET))

        def _parse_region(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(str | Unset | None, data)

        region = _parse_region(d.pop("region", UNSET))

        def _parse_venue(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(str | Unset | None, data)

        venue = _parse_venue(d.pop("venue", UNSET))

        event_create = cls(
            ends_at=ends_at,
            kind=kind,
            nation=nation,
            starts_at=starts_at,
            title=title,
            capacity=capacity,
            partner_id=partner_id,
            region=region,
            venue=venue,
        )

        return event_create
