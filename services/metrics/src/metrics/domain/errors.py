"""What the metrics service refuses, and why: one exception each; routes/problems.py says how each is
answered."""

from __future__ import annotations

from shared.refusals import Refusal


class MetricsError(Refusal):
    """A request the metrics service cannot answer; the message says why."""

    default = "The metrics service cannot answer this request."


class FiguresNotReady(MetricsError):
    default = "The metrics service is still loading its facts."


class UnknownProgramme(MetricsError):
    default = "No such programme is known."
