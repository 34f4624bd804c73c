"""What the request schemas take, as the published contract states it."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from registration.routes.schemas import PartnerIn, PartnerRename


@pytest.mark.parametrize("name", ["\tCardiff University", "Cardiff University\n", "Cardiff\x7fUniversity"])
def test_a_name_with_a_control_character_anywhere_is_refused(name: str) -> None:
    # The schema's pattern refuses them anywhere, the ends too: trimming first would accept "\tCardiff".
    for model in (PartnerIn, PartnerRename):
        with pytest.raises(ValidationError, match="pattern"):
            model.model_validate({"name": name})


def test_spaces_around_a_name_are_dropped_and_spaces_alone_refused() -> None:
    assert PartnerRename.model_validate({"name": "  Cardiff University "}).name == "Cardiff University"
    with pytest.raises(ValidationError, match="blank"):
        PartnerIn.model_validate({"name": "   "})
