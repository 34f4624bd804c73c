"""Request and response bodies of the registration API (field names fixed by docs/architecture.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StrictBool,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from registration.domain.directory import Organisation, Partner
from registration.domain.errors import InvalidParticipant
from registration.domain.participants import Consent, Details, Registration, registration_problems
from shared.contracts.programmes import ProgrammeId
from shared.contracts.vocabulary import Ethnicity, Gender, Nation, OrganisationKind, Role

_PRINTABLE = r"^[^\x00-\x1f\x7f]+$"


def _trimmed(value: str) -> str:
    """Spaces around a name are dropped, after the pattern has refused control characters anywhere (a tab
    or newline at either end too, as the published schema says); a name of spaces alone is refused."""
    trimmed = value.strip()
    if not trimmed:
        raise PydanticCustomError("blank", "must not be blank")
    return trimmed


Name = Annotated[
    str, StringConstraints(min_length=1, max_length=200, pattern=_PRINTABLE), AfterValidator(_trimmed)
]
PartnerRef = Annotated[
    str, StringConstraints(min_length=1, max_length=200, pattern=_PRINTABLE), AfterValidator(_trimmed)
]
Region = Annotated[
    str, StringConstraints(min_length=1, max_length=100, pattern=_PRINTABLE), AfterValidator(_trimmed)
]
EntityId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# Examples in the OpenAPI document (docs/api.md): what a partner sends and gets back.
PARTNER_ID = "prt_0b6f9c2a8e7d4f1c9a3b5d7e1f2a4c6b"
PARTICIPANT_ID = "par_7d2e4f6a8b0c1d3e5f7a9b1c3d5e7f90"
ORGANISATION_ID = "org_5e3c1a9f7d5b3e1c9a7f5d3b1e9c7a5f"
_PARTNER = {
    "id": PARTNER_ID,
    "name": "Cardiff University",
    "programme_id": "resilience",
    "created_at": "2026-01-12T09:00:00Z",
}
_ORGANISATION = {
    "id": ORGANISATION_ID,
    "name": "Severn Trent Water",
    "kind": "employer",
    "created_at": "2026-01-20T14:03:00Z",
}
_PARTICIPANT_IN = {
    "partner_ref": "CU-2026-00417",
    "role": "trainee",
    "given_name": "Ada",
    "family_name": "Lovelace",
    "email": "ada.lovelace@cardiff.ac.uk",
    "gender": "female",
    "ethnicity": "white",
    "nation": "wales",
    "region": "South Wales",
    "consent": {"data_processing": True, "demographics": True},
}
_PARTICIPANT = {
    "id": PARTICIPANT_ID,
    "partner_id": PARTNER_ID,
    "programme_id": "resilience",
    **_PARTICIPANT_IN,
    "organisation_id": None,
    "consent": {"data_processing": True, "demographics": True, "recorded_at": "2026-02-03T10:00:00Z"},
    "version": 1,
    "created_at": "2026-02-03T10:00:00Z",
    "updated_at": "2026-02-03T10:00:00Z",
}


def _examples(*examples: dict[str, Any]) -> dict[str, Any]:
    return {"examples": list(examples)}


class PartnerIn(_Request):
    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_extra=_examples({"name": "Cardiff University"})
    )

    name: Name
    programme_id: ProgrammeId | None = None


class PartnerRename(_Request):
    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_extra=_examples({"name": "Cardiff Metropolitan University"})
    )

    name: Name


class PartnerRead(BaseModel):
    model_config = ConfigDict(json_schema_extra=_examples(_PARTNER))

    id: str
    name: str
    programme_id: str
    created_at: datetime

    @classmethod
    def of(cls, partner: Partner) -> PartnerRead:
        return cls(
            id=partner.id, name=partner.name, programme_id=partner.programme_id, created_at=partner.created_at
        )


class OrganisationIn(_Request):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra=_examples({"name": "Severn Trent Water", "kind": "employer"}),
    )

    name: Name
    kind: OrganisationKind


class OrganisationRead(BaseModel):
    model_config = ConfigDict(json_schema_extra=_examples(_ORGANISATION))

    id: str
    name: str
    kind: OrganisationKind
    created_at: datetime

    @classmethod
    def of(cls, organisation: Organisation) -> OrganisationRead:
        o = organisation
        return cls(id=o.id, name=o.name, kind=o.kind, created_at=o.created_at)


class ConsentIn(_Request):
    data_processing: StrictBool
    demographics: StrictBool


class ParticipantIn(_Request):
    """A participant, registered once per `partner_ref`: sending the same one again updates them.

    `consent.data_processing` must be true; demographics need `consent.demographics`; a leader needs an
    `organisation_id` (of an organisation named with `POST /v1/organisations`).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra=_examples(_PARTICIPANT_IN))

    partner_ref: PartnerRef
    role: Role
    given_name: Name
    family_name: Name
    email: EmailStr
    organisation_id: EntityId | None = None
    gender: Gender | None = None
    ethnicity: Ethnicity | None = None
    nation: Nation | None = None
    region: Region | None = None
    consent: ConsentIn

    @model_validator(mode="after")
    def _obeys_registration_rules(self) -> ParticipantIn:
        problems = registration_problems(self.registration().details)
        if problems:
            raise PydanticCustomError("registration_rule", "; ".join(problems))
        return self

    @classmethod
    def registration_of(cls, raw: Any) -> Registration | InvalidParticipant:
        """The registration an item of a batch asks for, or why it cannot be read."""
        try:
            return cls.model_validate(raw).registration()
        except ValidationError as exc:
            # Like the HTTP layer, the input is never echoed back: it may hold personal data.
            errors = [
                {"loc": [str(p) for p in e["loc"]], "msg": e["msg"], "type": e["type"]}
                for e in exc.errors(include_url=False, include_input=False)
            ]
            return InvalidParticipant(errors=errors)

    def registration(self) -> Registration:
        details = Details(
            role=self.role,
            given_name=self.given_name,
            family_name=self.family_name,
            email=self.email,
            organisation_id=self.organisation_id,
            gender=self.gender,
            ethnicity=self.ethnicity,
            nation=self.nation,
            region=self.region,
            consent=Consent(self.consent.data_processing, self.consent.demographics),
        )
        return Registration(partner_ref=self.partner_ref, details=details)


class ConsentRead(BaseModel):
    data_processing: bool
    demographics: bool
    recorded_at: datetime


class ParticipantRead(BaseModel):
    model_config = ConfigDict(json_schema_extra=_examples(_PARTICIPANT))

    id: str
    partner_id: str
    programme_id: str
    partner_ref: str
    role: Role
    given_name: str
    family_name: str
    email: str
    organisation_id: str | None
    gender: Gender | None
    ethnicity: Ethnicity | None
    nation: Nation | None
    region: str | None
    consent: ConsentRead
    version: int
    created_at: datetime
    updated_at: datetime


class ParticipantExport(BaseModel):
    model_config = ConfigDict(
        json_schema_extra=_examples(
            {
                **_PARTICIPANT,
                "status": "registered",
                "erased_at": None,
                "exported_at": "2026-03-01T12:00:00Z",
                "elsewhere": "The events and metrics services hold this participant's pseudonymous id ...",
            }
        )
    )

    """Everything registration holds about one participant: a subject access request (UK GDPR Art. 15).

    For an erased participant only what is left: the pseudonymous id, partner, programme, role, version
    and when the personal data was erased; the personal fields are then null.
    """

    id: str
    status: Literal["registered", "erased"]
    partner_id: str
    programme_id: str
    role: Role
    partner_ref: str | None = Field(description="the partner's own reference for the person")
    given_name: str | None
    family_name: str | None
    email: str | None
    organisation_id: str | None
    gender: Gender | None
    ethnicity: Ethnicity | None
    nation: Nation | None
    region: str | None
    consent: ConsentRead | None = Field(description="consent as given, and when it was recorded")
    version: int
    created_at: datetime | None
    updated_at: datetime | None
    erased_at: datetime | None
    exported_at: datetime
    elsewhere: str = Field(
        description="what the rest of the platform holds: the pseudonymous id, role and demographic "
        "categories (with consent) in the events and metrics services, never names or emails"
    )


class ParticipantWritten(ParticipantRead):
    model_config = ConfigDict(json_schema_extra=_examples({**_PARTICIPANT, "status": "created"}))

    status: Literal["created", "unchanged", "updated"]


class BatchIn(_Request):
    """Up to 10,000 participants, each registered (or refused) on its own, in order."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_extra=_examples({"participants": [_PARTICIPANT_IN]})
    )

    # Items are validated one by one so that a bad item gets its own error instead of sinking the batch.
    participants: list[Any] = Field(description="participants as `POST /v1/participants` takes them")


class ItemError(BaseModel):
    """Why one item of a batch was refused: the problem (RFC 9457) the same refusal of a request would be."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] = Field(default_factory=list)


class BatchItemResult(BaseModel):
    index: int
    status: Literal["created", "unchanged", "updated", "error"]
    id: str | None = None
    error: ItemError | None = None


class BatchOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra=_examples(
            {
                "results": [
                    {"index": 0, "status": "created", "id": PARTICIPANT_ID},
                    {
                        "index": 1,
                        "status": "error",
                        "error": {
                            "title": "Invalid participant",
                            "detail": "consent.data_processing must be true: nobody is registered without it",
                            "errors": [],
                        },
                    },
                ]
            }
        )
    )

    results: list[BatchItemResult]


class QrTokenRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra=_examples(
            {
                "token": "eyJ2IjoxLCJwaWQiOiJwYXJfN2QyZSJ9.MEUCIQDx",
                "expires_at": "2026-09-01T00:00:00Z",
                "participant_id": PARTICIPANT_ID,
            }
        )
    )

    token: str
    expires_at: datetime
    participant_id: str


_NEXT = "pass it as `cursor` for the next page; null on the last"


class ParticipantPage(BaseModel):
    model_config = ConfigDict(json_schema_extra=_examples({"items": [_PARTICIPANT], "next_cursor": None}))

    items: list[ParticipantRead]
    next_cursor: str | None = Field(description=_NEXT)


class OrganisationPage(BaseModel):
    model_config = ConfigDict(json_schema_extra=_examples({"items": [_ORGANISATION], "next_cursor": None}))

    items: list[OrganisationRead]
    next_cursor: str | None = Field(description=_NEXT)
