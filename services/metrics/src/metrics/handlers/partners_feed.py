"""Partner names, read in full by every metrics instance from `pulse.partners` (partners are few).

Figures name partners by id in their keys; the merged figures carry each programme's partner names beside
them, so the dashboard and the report show "Teesside University", not `prt_61d9...`. An organisation's
name is not personal data, so public figures carry the names too (docs/architecture.md, Topics and event
contracts).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from shared.contracts.payloads import PartnerChanged


class PartnersFeed:
    def __init__(self) -> None:
        self.partners: dict[str, PartnerChanged] = {}  # the latest version of each partner
        self.caught_up = asyncio.Event()  # everything on the topic when this instance started was read

    def read(self, partners: Iterable[PartnerChanged]) -> bool:
        """Take a batch in; True when a partner's name or programme changed."""
        changed = False
        for partner in partners:
            held = self.partners.get(partner.partner_id)
            if held is None or partner.version > held.version:
                self.partners[partner.partner_id] = partner
                changed |= held is None or (held.name, held.programme_id) != (
                    partner.name,
                    partner.programme_id,
                )
        return changed

    def names(self, programme_id: str, also: Iterable[str] = ()) -> dict[str, str]:
        """The names of the programme's partners and of the other partners named in `also`, by id."""
        wanted = set(also)
        return {
            partner_id: partner.name
            for partner_id, partner in sorted(self.partners.items())
            if partner.programme_id == programme_id or partner_id in wanted
        }
