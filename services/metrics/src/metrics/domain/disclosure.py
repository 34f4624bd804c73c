"""Statistical disclosure control of public figures: small cells are suppressed, never shown."""

from __future__ import annotations

from datetime import datetime

from shared.contracts.counters import ProgrammeFigures, Share

SMALLEST_SHOWN = 5


def is_small(value: int | None) -> bool:
    """A cell from 1 to 4 could identify people; zero and larger cells are safe to show."""
    return value is not None and 0 < value < SMALLEST_SHOWN


def _public_share(share: Share) -> Share:
    if is_small(share.count):
        return Share(count=None, percent=None, suppressed=True)
    return share


def public_figures(exact: ProgrammeFigures) -> ProgrammeFigures:
    """Headline counters and targets as they are; breakdown and share cells of 1 to 4 suppressed."""
    return exact.model_copy(
        update={
            "shares": {
                population: {
                    dimension: {name: _public_share(share) for name, share in by_name.items()}
                    for dimension, by_name in by_dimension.items()
                }
                for population, by_dimension in exact.shares.items()
            },
            "breakdowns": {
                by: {
                    key: {name: None if is_small(value) else value for name, value in counters.items()}
                    for key, counters in rows.items()
                }
                for by, rows in exact.breakdowns.items()
            },
            "disclosure_controlled": True,
        }
    )


class PublicReleases:
    """Releases each programme's public figures from its exact ones; the merger holds the one that publishes.

    Every public figure leaves through here, so a release history kept by a rule that needs one is single
    for the whole deployment (docs/architecture.md, Disclosure control).
    """

    def release(self, programme_id: str, exact: ProgrammeFigures, now: datetime) -> ProgrammeFigures:
        """The public figures of `programme_id` to publish at `now`."""
        return public_figures(exact)
