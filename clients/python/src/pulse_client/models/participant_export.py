from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ethnicity import Ethnicity
from ..models.gender import Gender
from ..models.nation import Nation
from ..models.participant_export_status import ParticipantExportStatus
from ..models.role import Role

if TYPE_CHECKING:
    from ..models.consent_read import ConsentRead


T = TypeVar("T", bound="ParticipantExport")


@_attrs_define
class ParticipantExport:
    """
    Attributes:
        consent (ConsentRead | None): consent as given, and when it was recorded
        created_at (datetime.datetime | None):
        elsewhere (str): what the rest of the platform holds: the pseudonymous id, role and demographic categories (with
            consent) in the events and metrics services, never names or emails
        email (None | str):
        erased_at (datetime.datetime | None):
        ethnicity (Ethnicity | None):
        exported_at (datetime.datetime):
        family_name (None | str):
        gender (Gender | None):
        given_name (None | str):
        id (str):
        nation (Nation | None):
        organisation_id (None | str):
        partner_id (str):
        partner_ref (None | str): the partner's own reference for the person
        programme_id (str):
        region (None | str):
        role (Role):
        status (ParticipantExportStatus):
        updated_at (datetime.datetime | None):
        version (int):
    """

    consent: ConsentRead | None
    created_at: datetime.datetime | None
    elsewhere: str
    email: str | None
    erased_at: datetime.datetime | None
    ethnicity: Ethnicity | None
    exported_at: datetime.datetime
    family_name: str | None
    gender: Gender | None
    given_name: str | None
    id: str
    nation: Nation | None
    organisation_id: str | None
    partner_id: str
    partner_ref: str | None
    programme_id: str
    region: str | None
    role: Role
    status: ParticipantExportStatus
    updated_at: datetime.datetime | None
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.consent_read import ConsentRead

        consent: dict[str, Any] | None
        consent = self.consent.to_dict() if isinstance(self.consent, ConsentRead) else self.consent

        created_at: str | None
        if isinstance(self.created_at, datetime.datetime):
            created_at = self.created_at.isoformat()
        else:
            created_at = self.created_at

        elsewhere = self.elsewhere

        email: str | None
        email = self.email

        erased_at: str | None
        if isinstance(self.erased_at, datetime.datetime):
            erased_at = self.erased_at.isoformat()
        else:
            erased_at = self.erased_at

        ethnicity: str | None
        ethnicity = self.ethnicity.value if isinstance(self.ethnicity, Ethnicity) else self.ethnicity

        exported_at = self.exported_at.isoformat()

        family_name: str | None
        family_name = self.family_name

        gender: str | None
        gender = self.gender.value if isinstance(self.gender, Gender) else self.gender

        given_name: str | None
        given_name = self.given_name

        id = self.id

        nation: str | None
        nation = self.nation.value if isinstance(self.nation, Nation) else self.nation

        organisation_id: str | None
        organisation_id = self.organisation_id

        partner_id = self.partner_id

        partner_ref: str | None
        partner_ref = self.partner_ref

        programme_id = self.programme_id

        region: str | None
        region = self.region

        role = self.role.value

        status = self.status.value

        updated_at: str | None
        if isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "consent": consent,
                "created_at": created_at,
                "elsewhere": elsewhere,
                "email": email,
                "erased_at": erased_at,
                "ethnicity": ethnicity,
                "exported_at": exported_at,
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
                "status": status,
                "updated_at": updated_at,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.consent_read import ConsentRead

        d = dict(src_dict)

        def _parse_consent(data: object) -> ConsentRead | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                consent_type_0 = ConsentRead.from_dict(data)

                return consent_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConsentRead | None, data)

        consent = _parse_consent(d.pop("consent"))

        def _parse_created_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_at_type_0 = datetime.datetime.fromisoformat(data)

                return created_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        created_at = _parse_created_at(d.pop("created_at"))

        elsewhere = d.pop("elsewhere")

        def _parse_email(data: object) -> str | None:
            if data is None:
                return data
            return cast(str | None, data)

        email = _parse_email(d.pop("email"))

        def _parse_erased_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                erased_at_type_0 = datetime.datetime.fromisoformat(data)

                return erased_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        erased_at = _parse_erased_at(d.pop("erased_at"))

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

        exported_at = datetime.datetime.fromisoformat(d.pop("exported_at"))

        def _parse_family_name(data: object) -> str | None:
            if data is None:
                return data
            return cast(str | None, data)

        family_name = _parse_family_name(d.pop("family_name"))

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

        def _parse_given_name(data: object) -> str | None:
            if data is None:
                return data
            return cast(str | None, data)

        given_name = _parse_given_name(d.pop("given_name"))

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

        def _parse_partner_ref(data: object) -> str | None:
            if data is None:
                return data
            return cast(str | None, data)

        partner_ref = _parse_partner_ref(d.pop("partner_ref"))

        programme_id = d.pop("programme_id")

        def _parse_region(data: object) -> str | None:
            if data is None:
                return data
            return cast(str | None, data)

        region = _parse_region(d.pop("region"))

        role = Role(d.pop("role"))

        status = ParticipantExportStatus(d.pop("status"))

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

        version = d.pop("version")

        participant_export = cls(
            consent=consent,
            created_at=created_at,
            elsewhere=elsewhere,
            email=email,
            erased_at=erased_at,
            ethnicity=ethnicity,
            exported_at=exported_at,
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
            status=status,
            updated_at=updated_at,
            version=version,
        )

        participant_export.additional_properties = d
        return participant_export

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
