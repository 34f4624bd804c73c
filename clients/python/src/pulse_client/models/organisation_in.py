from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.organisation_kind import OrganisationKind

T = TypeVar("T", bound="OrganisationIn")


@_attrs_define
class OrganisationIn:
    """
    Attributes:
        kind (OrganisationKind):
        name (str):
    """

    kind: OrganisationKind
    name: str

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "name": name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = OrganisationKind(d.pop("kind"))

        name = d.pop("name")

        organisation_in = cls(
            kind=kind,
            name=name,
        )

        return organisation_in
