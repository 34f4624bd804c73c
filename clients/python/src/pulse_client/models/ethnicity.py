from enum import StrEnum


class Ethnicity(StrEnum):
    ASIAN = "asian"
    BLACK = "black"
    MIXED = "mixed"
    OTHER = "other"
    PREFER_NOT_TO_SAY = "prefer_not_to_say"
    WHITE = "white"

    def __str__(self) -> str:
        return str(self.value)
