"""Connecure applications and their documents (SUB-1 … SUB-14, SEC-1 … SEC-3).

Eleven document lifecycles shared between the customer and the operator (SUB-3), the
new-installation and change applications that hold them (SUB-4 … SUB-8), the date, price
and format rules around them (SUB-7, SUB-9 … SUB-14), and the service whose every command
is made by a :class:`~omakase_core.Principal` (SEC-1 … SEC-3).

The package reads top-down: ``model`` (statuses, values, document kinds, events),
``machine`` (the charts), ``rules`` (pure rules and field formats), ``aggregate`` (the
applications and their documents), ``service``, ``ports`` and ``notices``.
"""

from omakase_core.submission.aggregate import (
    Application,
    ChangeApplication,
    Contact,
    Document,
    FaultContacts,
    NewInstallation,
    Progress,
)
from omakase_core.submission.machine import SUBMISSION_LIFECYCLES
from omakase_core.submission.model import (
    ASP,
    REQUIRED_DETAILS,
    ApplicationEvent,
    ChangeMenu,
    ConstructionCompleted,
    DeadlineSet,
    DocumentAdded,
    DocumentDetailsUpdated,
    DocumentKind,
    DocumentStatusChanged,
    FileUploaded,
    Menu,
    Preference,
    ScheduleError,
    ScheduleSet,
    ScheduleViolation,
    SiteName,
    Slot,
    Step,
    SubmissionStatus,
    UploadedFile,
)
from omakase_core.submission.ports import ApplicationRepository
from omakase_core.submission.rules import (
    ASP_OPTION_FEE,
    ConstructionSchedule,
    check_asp_selection,
    earliest_site_survey,
    entry_request_due,
    first_billing_month,
    monthly_asp_option_fee,
    parameter_sheet_filename,
    portal_account_expired,
    portal_account_expires_at,
    validate_company_name_full,
    validate_company_name_half,
    validate_contractor_name_full_kana,
    validate_contractor_name_half_kana,
    validate_department_full,
    validate_department_half,
    validate_floor,
    validate_phone,
    validate_postal_code,
    validate_site_name,
)
from omakase_core.submission.service import SubmissionService

__all__ = [
    "ASP",
    "ASP_OPTION_FEE",
    "REQUIRED_DETAILS",
    "SUBMISSION_LIFECYCLES",
    "Application",
    "ApplicationEvent",
    "ApplicationRepository",
    "ChangeApplication",
    "ChangeMenu",
    "ConstructionCompleted",
    "ConstructionSchedule",
    "Contact",
    "DeadlineSet",
    "Document",
    "DocumentAdded",
    "DocumentDetailsUpdated",
    "DocumentKind",
    "DocumentStatusChanged",
    "FaultContacts",
    "FileUploaded",
    "Menu",
    "NewInstallation",
    "Preference",
    "Progress",
    "ScheduleError",
    "ScheduleSet",
    "ScheduleViolation",
    "SiteName",
    "Slot",
    "Step",
    "SubmissionService",
    "SubmissionStatus",
    "UploadedFile",
    "check_asp_selection",
    "earliest_site_survey",
    "entry_request_due",
    "first_billing_month",
    "monthly_asp_option_fee",
    "notices",
    "parameter_sheet_filename",
    "portal_account_expired",
    "portal_account_expires_at",
    "validate_company_name_full",
    "validate_company_name_half",
    "validate_contractor_name_full_kana",
    "validate_contractor_name_half_kana",
    "validate_department_full",
    "validate_department_half",
    "validate_floor",
    "validate_phone",
    "validate_postal_code",
    "validate_site_name",
]

from omakase_core.submission import (
    notices,  # importing it registers how the events read as messages
)
