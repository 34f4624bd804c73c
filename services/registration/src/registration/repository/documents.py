"""How participants, partners and organisations are stored: the only mapping between documents and the domain."""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from typing import TypeVar

from bson import Binary

from registration.domain.directory import Organisation, Partner
from registration.domain.participants import Consent, Details, Participant, Tombstone
from shared.contracts.vocabulary import Ethnicity, Gender, Nation, OrganisationKind, Role
from shared.mongo.client import Document

E = TypeVar("E", bound=StrEnum)

# Personal fields of a participant, removed for good on erasure.
PERSONAL_FIELDS = (
    "partner_ref",
    "given_name",
    "family_name",
    "email",
    "organisation_id",
    "gender",
    "ethnicity",
    "nation",
    "region",
    "consent",
    "created_at",
    "updated_at",
    "data_key",
)


def ref_key(partner_ref: str) -> str:
    """The indexed key of a live participant; tombstones use `erased:<id>`, which a ref can never equal."""
    return f"ref:{partner_ref}"


def tombstone_key(participant_id: str) -> str:
    return f"erased:{participant_id}"


def participant_fields(p: Participant) -> Document:
    """Every field of a live participant except its id and outbox."""
    d = p.details
    return {
        "partner_id": p.partner_id,
        "programme_id": p.programme_id,
        "ref_key": ref_key(p.partner_ref),
        "partner_ref": p.partner_ref,
        "role": d.role.value,
        "given_name": d.given_name,
        "family_name": d.family_name,
        "email": d.email,
        "organisation_id": d.organisation_id,
        "gender": _value(d.gender),
        "ethnicity": _value(d.ethnicity),
        "nation": _value(d.nation),
        "region": d.region,
        "consent": {
            "data_processing": d.consent.data_processing,
            "demographics": d.consent.demographics,
            "recorded_at": p.consent_recorded_at,
        },
        "version": p.version,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
        "data_key": Binary(p.data_key),
    }


def participant_from(doc: Document) -> Participant | Tombstone:
    """The stored participant; one stored before data keys existed gets a new, not yet published key."""
    if "erased_at" in doc:
        return Tombstone(
            id=doc["_id"],
            partner_id=doc["partner_id"],
            programme_id=doc["programme_id"],
            role=Role(doc["role"]),
            version=doc["version"],
            erased_at=doc["erased_at"],
        )
    consent = doc["consent"]
    details = Details(
        role=Role(doc["role"]),
        given_name=doc["given_name"],
        family_name=doc["family_name"],
        email=doc["email"],
        organisation_id=doc.get("organisation_id"),
        gender=_enum(Gender, doc.get("gender")),
        ethnicity=_enum(Ethnicity, doc.get("ethnicity")),
        nation=_enum(Nation, doc.get("nation")),
        region=doc.get("region"),
        consent=Consent(consent["data_processing"], consent["demographics"]),
    )
    participant = Participant(
        id=doc["_id"],
        partner_id=doc["partner_id"],
        programme_id=doc["programme_id"],
        partner_ref=doc["partner_ref"],
        details=details,
        version=doc["version"],
        consent_recorded_at=consent["recorded_at"],
        created_at=doc["created_at"],
        updated_at=doc["updated_at"],
    )
    if doc.get("data_key"):
        participant = replace(participant, data_key=bytes(doc["data_key"]), key_unpublished=False)
    return participant


def _value(member: Gender | Ethnicity | Nation | None) -> str | None:
    return None if member is None else member.value


def _enum(kind: type[E], value: str | None) -> E | None:
    return None if value is None else kind(value)


def partner_document(partner: Partner) -> Document:
    return {
        "_id": partner.id,
        "name": partner.name,
        "programme_id": partner.programme_id,
        "created_at": partner.created_at,
        "version": partner.version,
    }


def partner_from(doc: Document) -> Partner:
    # Partners stored before partners had facts have no version until their first is announced.
    return Partner(doc["_id"], doc["name"], doc["programme_id"], doc["created_at"], doc.get("version", 1))


def organisation_document(organisation: Organisation) -> Document:
    return {
        "_id": organisation.id,
        "name": organisation.name,
        "name_key": organisation.name_key,
        "kind": organisation.kind.value,
        "created_by": organisation.created_by,
        "created_at": organisation.created_at,
    }


def organisation_from(doc: Document) -> Organisation:
    return Organisation(
        doc["_id"], doc["name"], OrganisationKind(doc["kind"]), doc.get("created_by"), doc["created_at"]
    )
