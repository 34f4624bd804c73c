from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.counters_read_breakdowns import CountersReadBreakdowns
    from ..models.counters_read_partner_names import CountersReadPartnerNames
    from ..models.counters_read_reach_by_month import CountersReadReachByMonth
    from ..models.counters_read_shares import CountersReadShares
    from ..models.counters_read_targets import CountersReadTargets


T = TypeVar("T", bound="CountersRead")


@_attrs_define
class CountersRead:
    """The programme's figures: exact for an admin key, disclosure-controlled for everyone else.

    Attributes:
        attendances (int):
        breakdowns (CountersReadBreakdowns):
        disclosure_controlled (bool):
        events_delivered (int):
        leader_organisations (int):
        leaders (int):
        programme_id (str):
        seq (int): the figures' version; higher is newer
        shares (CountersReadShares):
        students_reached (int):
        targets (CountersReadTargets):
        trainees_trained (int):
        updated_at (datetime.datetime | None):
        partner_names (CountersReadPartnerNames | Unset): the name of each partner of the programme and of each partner
            in the breakdown, by id
        reach_by_month (CountersReadReachByMonth | Unset): month (of the events' dates) -> each counter as reached by
            the end of that month (cumulative; the last month's equal the headline figures); public: rounded like any cell
        rounding_base (int | None | Unset):
        smallest_shown (int | None | Unset):
    """

    attendances: int
    breakdowns: CountersReadBreakdowns
    disclosure_controlled: bool
    events_delivered: int
    leader_organisations: int
    leaders: int
    programme_id: str
    seq: int
    shares: CountersReadShares
    students_reached: int
    targets: CountersReadTargets
    trainees_trained: int
    updated_at: datetime.datetime | None
    partner_names: CountersReadPartnerNames | Unset = UNSET
    reach_by_month: CountersReadReachByMonth | Unset = UNSET
    rounding_base: int | Unset | None = UNSET
    smallest_shown: int | Unset | None = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attendances = self.attendances

        breakdowns = self.breakdowns.to_dict()

        disclosure_controlled = self.disclosure_controlled

        events_delivered = self.events_delivered

        leader_organisations = self.leader_organisations

        leaders = self.leaders

        programme_id = self.programme_id

        seq = self.seq

        shares = self.shares.to_dict()

        students_reached = self.students_reached

        targets = self.targets.to_dict()

        trainees_trained = self.trainees_trained

        updated_at: str | None
        if isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        partner_names: dict[str, Any] | Unset = UNSET
        if not isinstance(self.partner_names, Unset):
            partner_names = self.partner_names.to_dict()

        reach_by_month: dict[str, Any] | Unset = UNSET
        if not isinstance(self.reach_by_month, Unset):
            reach_by_month = self.reach_by_month.to_dict()

        rounding_base: int | Unset | None
        rounding_base = UNSET if isinstance(self.rounding_base, Unset) else self.rounding_base

        smallest_shown: int | Unset | None
        smallest_shown = UNSET if isinstance(self.smallest_shown, Unset) else self.smallest_shown

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attendances": attendances,
                "breakdowns": breakdowns,
                "disclosure_controlled": disclosure_controlled,
                "events_delivered": events_delivered,
                "leader_organisations": leader_organisations,
                "leaders": leaders,
                "programme_id": programme_id,
                "seq": seq,
                "shares": shares,
                "students_reached": students_reached,
                "targets": targets,
                "trainees_trained": trainees_trained,
                "updated_at": updated_at,
            }
        )
        if partner_names is not UNSET:
            field_dict["partner_names"] = partner_names
        if reach_by_month is not UNSET:
            field_dict["reach_by_month"] = reach_by_month
        if rounding_base is not UNSET:
            field_dict["rounding_base"] = rounding_base
        if smallest_shown is not UNSET:
            field_dict["smallest_shown"] = smallest_shown

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.counters_read_breakdowns import CountersReadBreakdowns
        from ..models.counters_read_partner_names import CountersReadPartnerNames
        from ..models.counters_read_reach_by_month import CountersReadReachByMonth
        from ..models.counters_read_shares import CountersReadShares
        from ..models.counters_read_targets import CountersReadTargets

        d = dict(src_dict)
        attendances = d.pop("attendances")

        breakdowns = CountersReadBreakdowns.from_dict(d.pop("breakdowns"))

        disclosure_controlled = d.pop("disclosure_controlled")

        events_delivered = d.pop("events_delivered")

        leader_organisations = d.pop("leader_organisations")

        leaders = d.pop("leaders")

        programme_id = d.pop("programme_id")

        seq = d.pop("seq")

        shares = CountersReadShares.from_dict(d.pop("shares"))

        students_reached = d.pop("students_reached")

        targets = CountersReadTargets.from_dict(d.pop("targets"))

        trainees_trained = d.pop("trainees_trained")

        def _parse_updated_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        updated_at = _parse_updated_at(d.pop("updated_at"))

        _partner_names = d.pop("partner_names", UNSET)
        partner_names: CountersReadPartnerNames | Unset
        if isinstance(_partner_names, Unset):
            partner_names = UNSET
        else:
            partner_names = CountersReadPartnerNames.from_dict(_partner_names)

        _reach_by_month = d.pop("reach_by_month", UNSET)
        reach_by_month: CountersReadReachByMonth | Unset
        if isinstance(_reach_by_month, Unset):
            reach_by_month = UNSET
        else:
            reach_by_month = CountersReadReachByMonth.from_dict(_reach_by_month)

        def _parse_rounding_base(data: object) -> int | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | Unset | None, data)

        rounding_base = _parse_rounding_base(d.pop("rounding_base", UNSET))

        def _parse_smallest_shown(data: object) -> int | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | Unset | None, data)

        smallest_shown = _parse_smallest_shown(d.pop("smallest_shown", UNSET))

        counters_read = cls(
            attendances=attendances,
            breakdowns=breakdowns,
            disclosure_controlled=disclosure_controlled,
            events_delivered=events_delivered,
            leader_organisations=leader_organisations,
            leaders=leaders,
            programme_id=programme_id,
            seq=seq,
            shares=shares,
            students_reached=students_reached,
            targets=targets,
            trainees_trained=trainees_trained,
            updated_at=updated_at,
            partner_names=partner_names,
            reach_by_month=reach_by_month,
            rounding_base=rounding_base,
            smallest_shown=smallest_shown,
        )

        counters_read.additional_properties = d
        return counters_read

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
