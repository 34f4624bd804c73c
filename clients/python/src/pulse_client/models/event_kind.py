from enum import StrEnum


class EventKind(StrEnum):
    ACCELERATOR = "accelerator"
    OUTREACH = "outreach"
    TRAINING = "training"

    def __str__(self) -> str:
        return str(self.value)
