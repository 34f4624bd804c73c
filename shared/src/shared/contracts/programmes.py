"""What names a programme: every service, topic payload and query takes its id in this one form."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

PROGRAMME_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"

ProgrammeId = Annotated[str, StringConstraints(pattern=PROGRAMME_ID_PATTERN)]
