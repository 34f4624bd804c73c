from enum import StrEnum


class Scope(StrEnum):
    ADMIN = "admin"
    CHECKIN = "checkin"
    PARTNER = "partner"
    PUBLIC = "public"

    def __str__(self) -> str:
        return str(self.value)
