from enum import StrEnum


class BreakdownReadBy(StrEnum):
    KIND = "kind"
    MONTH = "month"
    NATION = "nation"
    PARTNER = "partner"

    def __str__(self) -> str:
        return str(self.value)
