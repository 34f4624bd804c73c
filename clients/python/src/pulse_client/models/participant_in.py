from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.ethnicity import Ethnicity
from ..models.gender import Gender
from ..models.nation import Nation
from ..models.role import Role
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.consent_in import ConsentIn


T = TypeVar("T", bound="ParticipantIn")


@_attrs_define
class ParticipantIn:
    """A participant, registered once per `partner_ref`: sending the same one again updates them.

    `consent.data_processing` must be true; demographics need `consent.demographics`; a leader needs an
    `organisation_id` (of an organisation named with `POST /v1/organisations`).

        Attributes:
            consent (ConsentIn):
            email (str):
            family_name (str):
            given_name (str):
            partner_ref (str):
            role (Role):
            ethnicity (Ethnicity | None | Unset):
            gender (Gender | None | Unset):
            nation (Nation | None | Unset):
            organisation_id (None | str | Unset):
            region (None | str | Unset):
    """

    consent: ConsentIn
    email: str
    family_name: str
    given_name: str
    partner_ref: str
    role: Role
    ethnicity: Ethnicity | Unset | None = UNSET
    gender: Gender | Unset | None = UNSET
    nation: Nation | Unset | None = UNSET
    organisation_id: str | Unset | None = UNSET
    region: str | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        consent = self.consent.to_dict()

        email = self.email

        family_name = self.family_name

        given_name = self.given_name

        partner_ref = self.partner_ref

        role = self.role.value

        ethnicity: str | Unset | None
        if isinstance(self.ethnicity, Unset):
            ethnicity = UNSET
        elif isinstance(self.ethnicity, Ethnicity):
            ethnicity = self.ethnicity.value
        else:
            ethnicity = self.ethnicity

        gender: str | Unset | None
        if isinstance(self.gender, Unset):
            gender = UNSET
        elif isinstance(self.gender, Gender):
            gender = self.gender.value
        else:
            gender = self.gender

        nation: str | Unset | None
        if isinstance(self.nation, Unset):
            nation = UNSET
        elif isinstance(self.nation, Nation):
            nation = self.nation.value
        else:
            nation = self.nation

        organisation_id: str | Unset | None
        organisation_id = UNSET if isinstance(self.organisation_id, Unset) else self.organisation_id

        region: str | Unset | None
        region = UNSET if isinstance(self.region, Unset) else self.region

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "consent": consent,
                "email": email,
                "family_name": family_name,
                "given_name": given_name,
                "partner_ref": partner_ref,
                "role": role,
            }
        )
        if ethnicity is not UNSET:
            field_dict["ethnicity"] = ethnicity
        if gender is not UNSET:
            field_dict["gender"] = gender
        if nation is not UNSET:
            field_dict["nation"] = nation
        if organisation_id is not UNSET:
            field_dict["organisation_id"] = organisation_id
        if region is not UNSET:
            field_dict["region"] = region

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.consent_in import ConsentIn

        d = dict(src_dict)
        consent = ConsentIn.from_dict(d.pop("consent"))

        email = d.pop("email")

        family_name = d.pop("family_name")

        given_name = d.pop("given_name")

        partner_ref = d.pop("partner_ref")

        role = Role(d.pop("role"))

        def _parse_ethnicity(data: object) -> Ethnicity | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ethnicity_type_0 = Ethnicity(data)

                return ethnicity_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Ethnicity | Unset | None, data)

        ethnicity = _parse_ethnicity(d.pop("ethnicity", UNSET))

        def _parse_gender(data: object) -> Gender | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                gender_type_0 = Gender(data)

                return gender_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Gender | Unset | None, data)

        gender = _parse_gender(d.pop("gender", UNSET))

        def _parse_nation(data: object) -> Nation | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                nation_type_0 = Nation(data)

                return nation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Nation | Unset | None, data)

        nation = _parse_nation(d.pop("nation", UNSET))

        def _parse_organisation_id(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(str | Unset | None, data)

        organisation_id = _parse_organisation_id(d.pop("organisation_id", UNSET))

        def _parse_region(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(str | Unset | None, data)

        region = _parse_region(d.pop("region", UNSET))

        participant_in = cls(
            consent=consent,
            email=email,
            family_name=family_name,
            given_name=given_name,
            partner_ref=partner_ref,
            role=role,
            ethnicity=ethnicity,
            gender=gender,
            nation=nation,
            organisation_id=organisation_id,
            region=region,
        )

        return participant_in
