from enum import StrEnum


class ParticipantExportStatus(StrEnum):
    ERASED = "erased"
    REGISTERED = "registered"

    def __str__(self) -> str:
        return str(self.value)
