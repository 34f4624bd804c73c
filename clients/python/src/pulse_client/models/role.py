from enum import StrEnum


class Role(StrEnum):
    LEADER = "leader"
    STUDENT = "student"
    TRAINEE = "trainee"

    def __str__(self) -> str:
        return str(self.value)
