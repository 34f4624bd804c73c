from enum import StrEnum


class ParticipantQrFormat(StrEnum):
    JSON = "json"
    PNG = "png"
    SVG = "svg"

    def __str__(self) -> str:
        return str(self.value)
