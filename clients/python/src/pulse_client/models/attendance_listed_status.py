from enum import StrEnum


class AttendanceListedStatus(StrEnum):
    PENDING = "pending"
    RECORDED = "recorded"

    def __str__(self) -> str:
        return str(self.value)
