from enum import StrEnum


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    NON_BINARY = "non_binary"
    PREFER_NOT_TO_SAY = "prefer_not_to_say"
    SELF_DESCRIBED = "self_described"

    def __str__(self) -> str:
        return str(self.value)
