from enum import StrEnum


class WebhookUpdateEventTypesType0Item(StrEnum):
    PULSE_ATTENDANCE_RECORDED_V1 = "pulse.attendance.recorded.v1"
    PULSE_ATTENDANCE_RELEASED_V1 = "pulse.attendance.released.v1"
    PULSE_MILESTONE_REACHED_V1 = "pulse.milestone.reached.v1"
    PULSE_PARTICIPANT_ERASED_V1 = "pulse.participant.erased.v1"
    PULSE_PARTICIPANT_REGISTERED_V1 = "pulse.participant.registered.v1"
    PULSE_PARTICIPANT_UPDATED_V1 = "pulse.participant.updated.v1"

    def __str__(self) -> str:
        return str(self.value)
