from enum import StrEnum


class Outcome(StrEnum):
    DUPLICATE = "duplicate"
    ERROR = "error"
    PENDING = "pending"
    RECORDED = "recorded"

    def __str__(self) -> str:
        return str(self.value)
