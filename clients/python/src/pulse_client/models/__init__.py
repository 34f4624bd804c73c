"""Contains all the data models used in inputs/outputs"""

from .attempt_read import AttemptRead
from .attendance_listed import AttendanceListed
from .attendance_listed_status import AttendanceListedStatus
from .attendance_page import AttendancePage
from .attendance_read import AttendanceRead
from .attendance_read_status import AttendanceReadStatus
from .batch_create import BatchCreate
from .batch_in import BatchIn
from .batch_item_result import BatchItemResult
from .batch_item_result_status import BatchItemResultStatus
from .batch_out import BatchOut
from .batch_read import BatchRead
from .batch_result import BatchResult
from .batch_result_error_type_0 import BatchResultErrorType0
from .breakdown import Breakdown
from .breakdown_by import BreakdownBy
from .breakdown_names import BreakdownNames
from .breakdown_read import BreakdownRead
from .breakdown_read_by import BreakdownReadBy
from .breakdown_read_names import BreakdownReadNames
from .breakdown_read_rows import BreakdownReadRows
from .breakdown_read_rows_additional_property import BreakdownReadRowsAdditionalProperty
from .breakdown_rows import BreakdownRows
from .breakdown_rows_additional_property import BreakdownRowsAdditionalProperty
from .chart_name import ChartName
from .checkin_count import CheckinCount
from .checkin_create_type_0 import CheckinCreateType0
from .checkin_create_type_1 import CheckinCreateType1
from .checkin_key_create import CheckinKeyCreate
from .consent_in import ConsentIn
from .consent_read import ConsentRead
from .counters_read import CountersRead
from .counters_read_breakdowns import CountersReadBreakdowns
from .counters_read_breakdowns_additional_property import CountersReadBreakdownsAdditionalProperty
from .counters_read_breakdowns_additional_property_additional_property import (
    CountersReadBreakdownsAdditionalPropertyAdditionalProperty,
)
from .counters_read_partner_names import CountersReadPartnerNames
from .counters_read_reach_by_month import CountersReadReachByMonth
from .counters_read_reach_by_month_additional_property import CountersReadReachByMonthAdditionalProperty
from .counters_read_shares import CountersReadShares
from .counters_read_shares_additional_property import CountersReadSharesAdditionalProperty
from .counters_read_shares_additional_property_additional_property import (
    CountersReadSharesAdditionalPropertyAdditionalProperty,
)
from .counters_read_targets import CountersReadTargets
from .delivery_detail import DeliveryDetail
from .delivery_detail_event import DeliveryDetailEvent
from .delivery_detail_status import DeliveryDetailStatus
from .delivery_list import DeliveryList
from .delivery_read import DeliveryRead
from .delivery_read_status import DeliveryReadStatus
from .ethnicity import Ethnicity
from .event_create import EventCreate
from .event_kind import EventKind
from .event_page import EventPage
from .event_read import EventRead
from .event_status import EventStatus
from .event_update import EventUpdate
from .field_error import FieldError
from .gender import Gender
from .item_error import ItemError
from .item_error_errors_item import ItemErrorErrorsItem
from .key_created import KeyCreated
from .key_list import KeyList
from .key_read import KeyRead
from .list_attendance_status_type_0 import ListAttendanceStatusType0
from .list_deliveries_status_type_0 import ListDeliveriesStatusType0
from .nation import Nation
from .organisation_in import OrganisationIn
from .organisation_kind import OrganisationKind
from .organisation_page import OrganisationPage
from .organisation_read import OrganisationRead
from .outcome import Outcome
from .participant_export import ParticipantExport
from .participant_export_status import ParticipantExportStatus
from .participant_in import ParticipantIn
from .participant_page import ParticipantPage
from .participant_qr_format import ParticipantQrFormat
from .participant_read import ParticipantRead
from .participant_written import ParticipantWritten
from .participant_written_status import ParticipantWrittenStatus
from .partner_in import PartnerIn
from .partner_key_create import PartnerKeyCreate
from .partner_read import PartnerRead
from .partner_rename import PartnerRename
from .pending_reason import PendingReason
from .problem_details import ProblemDetails
from .problem_type_read import ProblemTypeRead
from .programme_figures import ProgrammeFigures
from .programme_figures_breakdowns import ProgrammeFiguresBreakdowns
from .programme_figures_breakdowns_additional_property import ProgrammeFiguresBreakdownsAdditionalProperty
from .programme_figures_breakdowns_additional_property_additional_property import (
    ProgrammeFiguresBreakdownsAdditionalPropertyAdditionalProperty,
)
from .programme_figures_partner_names import ProgrammeFiguresPartnerNames
from .programme_figures_reach_by_month import ProgrammeFiguresReachByMonth
from .programme_figures_reach_by_month_additional_property import (
    ProgrammeFiguresReachByMonthAdditionalProperty,
)
from .programme_figures_shares import ProgrammeFiguresShares
from .programme_figures_shares_additional_property import ProgrammeFiguresSharesAdditionalProperty
from .programme_figures_shares_additional_property_additional_property import (
    ProgrammeFiguresSharesAdditionalPropertyAdditionalProperty,
)
from .programme_figures_targets import ProgrammeFiguresTargets
from .qr_token_read import QrTokenRead
from .report_format import ReportFormat
from .role import Role
from .scope import Scope
from .secret_rotated import SecretRotated
from .share import Share
from .statement_format import StatementFormat
from .statement_read import StatementRead
from .statement_read_figures import StatementReadFigures
from .target_progress import TargetProgress
from .targets_read import TargetsRead
from .targets_read_targets import TargetsReadTargets
from .validation_problem import ValidationProblem
from .webhook_create import WebhookCreate
from .webhook_create_event_types_item import WebhookCreateEventTypesItem
from .webhook_created import WebhookCreated
from .webhook_list import WebhookList
from .webhook_read import WebhookRead
from .webhook_update import WebhookUpdate
from .webhook_update_event_types_type_0_item import WebhookUpdateEventTypesType0Item

__all__ = (
    "AttemptRead",
    "AttendanceListed",
    "AttendanceListedStatus",
    "AttendancePage",
    "AttendanceRead",
    "AttendanceReadStatus",
    "BatchCreate",
    "BatchIn",
    "BatchItemResult",
    "BatchItemResultStatus",
    "BatchOut",
    "BatchRead",
    "BatchResult",
    "BatchResultErrorType0",
    "Breakdown",
    "BreakdownBy",
    "BreakdownNames",
    "BreakdownRead",
    "BreakdownReadBy",
    "BreakdownReadNames",
    "BreakdownReadRows",
    "BreakdownReadRowsAdditionalProperty",
    "BreakdownRows",
    "BreakdownRowsAdditionalProperty",
    "ChartName",
    "CheckinCount",
    "CheckinCreateType0",
    "CheckinCreateType1",
    "CheckinKeyCreate",
    "ConsentIn",
    "ConsentRead",
    "CountersRead",
    "CountersReadBreakdowns",
    "CountersReadBreakdownsAdditionalProperty",
    "CountersReadBreakdownsAdditionalPropertyAdditionalProperty",
    "CountersReadPartnerNames",
    "CountersReadReachByMonth",
    "CountersReadReachByMonthAdditionalProperty",
    "CountersReadShares",
    "CountersReadSharesAdditionalProperty",
    "CountersReadSharesAdditionalPropertyAdditionalProperty",
    "CountersReadTargets",
    "DeliveryDetail",
    "DeliveryDetailEvent",
    "DeliveryDetailStatus",
    "DeliveryList",
    "DeliveryRead",
    "DeliveryReadStatus",
    "Ethnicity",
    "EventCreate",
    "EventKind",
    "EventPage",
    "EventRead",
    "EventStatus",
    "EventUpdate",
    "FieldError",
    "Gender",
    "ItemError",
    "ItemErrorErrorsItem",
    "KeyCreated",
    "KeyList",
    "KeyRead",
    "ListAttendanceStatusType0",
    "ListDeliveriesStatusType0",
    "Nation",
    "OrganisationIn",
    "OrganisationKind",
    "OrganisationPage",
    "OrganisationRead",
    "Outcome",
    "ParticipantExport",
    "ParticipantExportStatus",
    "ParticipantIn",
    "ParticipantPage",
    "ParticipantQrFormat",
    "ParticipantRead",
    "ParticipantWritten",
    "ParticipantWrittenStatus",
    "PartnerIn",
    "PartnerKeyCreate",
    "PartnerRead",
    "PartnerRename",
    "PendingReason",
    "ProblemDetails",
    "ProblemTypeRead",
    "ProgrammeFigures",
    "ProgrammeFiguresBreakdowns",
    "ProgrammeFiguresBreakdownsAdditionalProperty",
    "ProgrammeFiguresBreakdownsAdditionalPropertyAdditionalProperty",
    "ProgrammeFiguresPartnerNames",
    "ProgrammeFiguresReachByMonth",
    "ProgrammeFiguresReachByMonthAdditionalProperty",
    "ProgrammeFiguresShares",
    "ProgrammeFiguresSharesAdditionalProperty",
    "ProgrammeFiguresSharesAdditionalPropertyAdditionalProperty",
    "ProgrammeFiguresTargets",
    "QrTokenRead",
    "ReportFormat",
    "Role",
    "Scope",
    "SecretRotated",
    "Share",
    "StatementFormat",
    "StatementRead",
    "StatementReadFigures",
    "TargetProgress",
    "TargetsRead",
    "TargetsReadTargets",
    "ValidationProblem",
    "WebhookCreate",
    "WebhookCreateEventTypesItem",
    "WebhookCreated",
    "WebhookList",
    "WebhookRead",
    "WebhookUpdate",
    "WebhookUpdateEventTypesType0Item",
)
