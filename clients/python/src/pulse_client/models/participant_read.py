from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ethnicity import Ethnicity
from ..models.gender import Gender
from ..models.nation import Nation
from ..models.role import Role

if TYPE_CHECKING:
    from ..models.consent_read import ConsentRead


T = TypeVar("T", bound="ParticipantRead")


@_attrs_define
class ParticipantRead:
    """
    Attributes:
        consent (ConsentRead):
        created_at (datetime.datetime):
        email (str):
        ethnicity (Ethnicity | None):
        family_name (str):
        gender (Gender | None):
        given_name (str):
        id (str):
        nation (Nation | None):
        organisation_id (None | str):
        partner_id (str):
        partner_ref (str):
        programme_id (str):
        region (None | str):
        role (Role):
        updated_at (datetime.datetime):
        version (int):
    """

    consent: ConsentRead
    created_at: datetime.datetime
    email: str
    ethnicity: Ethnicity | None
    family_name: str
    gender: Gender | None
    given_name: str
    id: str
    nation: Nation | None
    organisation_id: str | None
    partner_id: str
    partner_ref: str
    programme_id: str
    region: str | None
    role: Role
    updated_at: datetime.datetime
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        consent = self.consent.to_dict()

        created_at = self.created_at.isoformat()

        email = self.email

        ethnicity: str | None
        ethnicity = self.ethnicity.value if isinstance(self.ethnicity, Ethnicity) else self.ethnicity

        family_name = self.family_name

        gender: str | None
        gender = self.gender.value if isinstance(self.gender, Gender) else self.gender

        given_name = self.given_name

        id = self.id

        nation: str | None
        nation = self.nation.value if isinstance(self.nation, Nation) else self.nation

        organisation_id: str | None
        organisation_id = self.organisation_id

        partner_id = self.partner_id

        partner_ref = self.partner_ref

        programme_id = self.programme_id

        region: str | None
        region = self.region

        role = self.role.value

        updated_at = self.updated_at.isoformat()

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "consent": consent,
                "created_at": created_at,
                "email": email,
                "ethnicity": ethnicity,
                "family_name": family_name,
                "gender": gender,
                "given_name": given_name,
                "id": id,
                "nation": nation,
                "organisation_id": organisation_id,
                "partner_id": partner_id,
                "partner_ref": partner_ref,
                "programme_id": programme_id,
                "region": region,
                "role": role,
                "updated_at": updated_at,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.consent_read import ConsentRead

        d = dict(src_dict)
        consent = ConsentRead.from_dict(d.pop("consent"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        email = d.pop("email")

        def _parse_ethnicity(data: object) -> Ethnicity | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ethnicity_type_0 = Ethnicity(data)

                return ethnicity_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Ethnicity | None, data)

        ethnicity = _parse_ethnicity(d.pop("ethnicity"))

        family_name = d.pop("family_name")

        def _parse_gender(data: object) -> Gender | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                gender_type_0 = Gender(data)

                return gender_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Gender | None, data)

        gender = _parse_gender(d.pop("gender"))

        given_name = d.pop("given_name")

        id = d.pop("id")

        def _parse_nation(data: object) -> Nation | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                nation_type_0 = Nation(data)

                return nation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Nation | None, data)

        nation = _parse_nation(d.pop("nation"))

        def _parse_organisation_id(data: object) -> str | None:
            if data is None:
                return data
            return cast(str | None, data)

        organisation_id = _parse_organisation_id(d.pop("organisation_id"))

        partner_id = d.pop("partner_id")

        partner_ref = d.pop("partner_ref")

        programme_id = d.pop("programme_id")

        def _parse_region(data: object) -> str | None:
            if data is None:
                return data
            return cast(str | None, data)

        region = _parse_region(d.pop("region"))

        role = Role(d.pop("role"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        participant_read = cls(
            consent=consent,
            created_at=created_at,
            email=email,
            ethnicity=ethnicity,
            family_name=family_name,
            gender=gender,
            given_name=given_name,
            id=id,
            nation=nation,
            organisation_id=organisation_id,
            partner_id=partner_id,
            partner_ref=partner_ref,
            programme_id=programme_id,
            region=region,
            role=role,
            updated_at=updated_at,
            version=version,
        )

        participant_read.additional_properties = d
        return participant_read

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
