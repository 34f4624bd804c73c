from enum import StrEnum


class Nation(StrEnum):
    ENGLAND = "england"
    NORTHERN_IRELAND = "northern_ireland"
    SCOTLAND = "scotland"
    WALES = "wales"

    def __str__(self) -> str:
        return str(self.value)
