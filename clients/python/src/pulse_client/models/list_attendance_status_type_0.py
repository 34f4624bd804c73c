from enum import StrEnum


class ListAttendanceStatusType0(StrEnum):
    PENDING = "pending"
    RECORDED = "recorded"

    def __str__(self) -> str:
        return str(self.value)
