"""The closed vocabularies of the API contract, shared by the public API and the event payloads."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    TRAINEE = "trainee"
    STUDENT = "student"
    LEADER = "leader"


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    NON_BINARY = "non_binary"
    SELF_DESCRIBED = "self_described"
    PREFER_NOT_TO_SAY = "prefer_not_to_say"


class Ethnicity(StrEnum):
    """ONS 2021 high-level ethnic groups, plus an explicit refusal."""

    ASIAN = "asian"
    BLACK = "black"
    MIXED = "mixed"
    WHITE = "white"
    OTHER = "other"
    PREFER_NOT_TO_SAY = "prefer_not_to_say"


class Nation(StrEnum):
    ENGLAND = "england"
    SCOTLAND = "scotland"
    WALES = "wales"
    NORTHERN_IRELAND = "northern_ireland"


class EventKind(StrEnum):
    TRAINING = "training"
    OUTREACH = "outreach"
    ACCELERATOR = "accelerator"


class EventStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class AttendanceStatus(StrEnum):
    """`pending` until events knows the participant; then `recorded`, and counted."""

    RECORDED = "recorded"
    PENDING = "pending"


class OrganisationKind(StrEnum):
    EMPLOYER = "employer"
    SCHOOL = "school"
    COLLEGE = "college"
    UNIVERSITY = "university"
    OTHER = "other"
