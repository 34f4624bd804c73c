from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.statement_read_figures import StatementReadFigures


T = TypeVar("T", bound="StatementRead")


@_attrs_define
class StatementRead:
    """The impact statement and the figures it quotes (metrics.domain.statement).

    Attributes:
        as_of (datetime.datetime | None):
        disclosure_controlled (bool): written from the public (disclosure-controlled) figures
        figures (StatementReadFigures): the headline counts quoted, and the leaders' shares of women and of people from
            ethnic minority backgrounds as whole percentages (None when not shown)
        first_month (None | str): YYYY-MM of the first event with counted attendance
        last_month (None | str):
        programme_id (str):
        rounding (str): how the statement's percentages are rounded
        sentences (list[str]):
        text (str):
    """

    as_of: datetime.datetime | None
    disclosure_controlled: bool
    figures: StatementReadFigures
    first_month: str | None
    last_month: str | None
    programme_id: str
    rounding: str
    sentences: list[str]
    text: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        as_of: str | None
        as_of = self.as_of.isoformat() if isinstance(self.as_of, datetime.datetime) else self.as_of

        disclosure_controlled = self.disclosure_controlled

        figures = self.figures.to_dict()

        first_month: str | None
        first_month = self.first_month

        last_month: str | None
        last_month = self.last_month

        programme_id = self.programme_id

        rounding = self.rounding

        sentences = self.sentences

        text = self.text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "as_of": as_of,
                "disclosure_controlled": disclosure_controlled,
                "figures": figures,
                "first_month": first_month,
                "last_month": last_month,
                "programme_id": programme_id,
                "rounding": rounding,
                "sentences": sentences,
                "text": text,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.statement_read_figures import StatementReadFigures

        d = dict(src_dict)

        def _parse_as_of(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                as_of_type_0 = datetime.datetime.fromisoformat(data)

                return as_of_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        as_of = _parse_as_of(d.pop("as_of"))

        disclosure_controlled = d.pop("disclosure_controlled")

        figures = StatementReadFigures.from_dict(d.pop("figures"))

        def _parse_first_month(data: object) -> str | None:
            if data is None:
                return data
            return cast(str | None, data)

        first_month = _parse_first_month(d.pop("first_month"))

        def _parse_last_month(data: object) -> str | None:
            if data is None:
                return data
            return cast(str | None, data)

        last_month = _parse_last_month(d.pop("last_month"))

        programme_id = d.pop("programme_id")

        rounding = d.pop("rounding")

        sentences = cast(list[str], d.pop("sentences"))

        text = d.pop("text")

        statement_read = cls(
            as_of=as_of,
            disclosure_controlled=disclosure_controlled,
            figures=figures,
            first_month=first_month,
            last_month=last_month,
            programme_id=programme_id,
            rounding=rounding,
            sentences=sentences,
            text=text,
        )

        statement_read.additional_properties = d
        return statement_read

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
