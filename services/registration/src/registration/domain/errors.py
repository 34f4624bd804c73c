"""What registration refuses, and why: one exception each; routes/problems.py says how each is answered."""

from __future__ import annotations

from typing import Any

from shared.refusals import Refusal


class RegistrationError(Refusal):
    """A command refused by a rule of registration; the message says why, never echoing personal data.

    `errors` lists the fields at fault, as request validation does.
    """

    default = "The request breaks a rule of registration."

    def __init__(self, detail: str | None = None, *, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.errors = errors or []


class PartnerNotFound(RegistrationError):
    pass


class UnknownPartner(RegistrationError):
    default = "This key's partner does not exist."


class ParticipantNotFound(RegistrationError):
    pass


class ParticipantErased(RegistrationError):
    default = "This participant's personal data was erased."


class ConcurrentChange(RegistrationError):
    default = "The participant changed concurrently; retry."


class BatchTooLarge(RegistrationError):
    pass


class InvalidParticipant(RegistrationError):
    default = "The item does not match the schema; see errors."


class UnknownOrganisation(RegistrationError):
    def __init__(self, organisation_id: str) -> None:
        super().__init__(
            f"No organisation has id {organisation_id!r}; create it with POST /v1/organisations first.",
            errors=[
                {"loc": ["organisation_id"], "msg": "unknown organisation", "type": "unknown_organisation"}
            ],
        )


class QrNotConfigured(RegistrationError):
    default = "Set PULSE_QR_PRIVATE_KEY."
