from enum import StrEnum


class ReportFormat(StrEnum):
    CSV = "csv"
    HTML = "html"

    def __str__(self) -> str:
        return str(self.value)
