from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ProblemTypeRead")


@_attrs_define
class ProblemTypeRead:
    """
    Attributes:
        explanation (str):
        remedy (str):
        statuses (list[int]):
        title (str):
        type_ (str):
    """

    explanation: str
    remedy: str
    statuses: list[int]
    title: str
    type_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        explanation = self.explanation

        remedy = self.remedy

        statuses = self.statuses

        title = self.title

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "explanation": explanation,
                "remedy": remedy,
                "statuses": statuses,
                "title": title,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        explanation = d.pop("explanation")

        remedy = d.pop("remedy")

        statuses = cast(list[int], d.pop("statuses"))

        title = d.pop("title")

        type_ = d.pop("type")

        problem_type_read = cls(
            explanation=explanation,
            remedy=remedy,
            statuses=statuses,
            title=title,
            type_=type_,
        )

        problem_type_read.additional_properties = d
        return problem_type_read

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
