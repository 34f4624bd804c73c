from enum import StrEnum


class ChartName(StrEnum):
    ATTENDANCES = "attendances"
    EVENTS_DELIVERED = "events_delivered"
    KIND = "kind"
    LEADERS = "leaders"
    LEADER_ORGANISATIONS = "leader_organisations"
    NATION = "nation"
    STUDENTS_REACHED = "students_reached"
    TRAINEES_TRAINED = "trainees_trained"

    def __str__(self) -> str:
        return str(self.value)
