from enum import StrEnum


class BreakdownBy(StrEnum):
    KIND = "kind"
    MONTH = "month"
    NATION = "nation"
    PARTNER = "partner"

    def __str__(self) -> str:
        return str(self.value)
