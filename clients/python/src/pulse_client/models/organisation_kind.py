from enum import StrEnum


class OrganisationKind(StrEnum):
    COLLEGE = "college"
    EMPLOYER = "employer"
    OTHER = "other"
    SCHOOL = "school"
    UNIVERSITY = "university"

    def __str__(self) -> str:
        return str(self.value)
