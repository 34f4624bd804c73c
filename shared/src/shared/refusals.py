"""What every service's domain raises when a rule refuses a command or request.

Each service's domain/errors.py derives one exception per refusal from `Refusal`; its routes/problems.py
(the one place that speaks HTTP about them) answers each with an RFC 9457 problem.
"""

from __future__ import annotations


class Refusal(Exception):
    """A command refused by a rule of a service's domain; the message says why, never echoing personal data."""

    default = "The request breaks a rule of the service."

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail or self.default)

    @property
    def detail(self) -> str:
        return str(self)
