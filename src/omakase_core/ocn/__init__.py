"""OCN カスタマサポートデスク: mail plans and fees, mail changes, cancellation (OCN-1 … OCN-5).

The fee table and the field checks are :mod:`~omakase_core.ocn.rules`; the statuses, the
two forms and the events :mod:`~omakase_core.ocn.model`; the charts
``LIFECYCLES["ocn.mail_change"]`` and ``LIFECYCLES["ocn.cancellation"]``
:mod:`~omakase_core.ocn.machine`; the line, :class:`OcnCustomer`, is the aggregate stored
through :class:`OcnCustomerRepository`; :class:`OcnService` runs its commands over the ports
for a principal (SEC-1 … SEC-3); :mod:`~omakase_core.ocn.notices` turns the application and
the cancellation into mail (OCN-5).
"""

from omakase_core.ocn.aggregate import OcnCustomer
from omakase_core.ocn.machine import CANCELLATION_LIFECYCLE, MAIL_CHANGE_LIFECYCLE
from omakase_core.ocn.model import (
    AccountAction,
    CancellationRequest,
    CancellationStatus,
    CancellationSubmitted,
    MailChangeApplied,
    MailChangePattern,
    MailChangeRequest,
    MailChangeStatus,
    OcnEvent,
    VirusCheck,
)
from omakase_core.ocn.ports import OcnCustomerRepository
from omakase_core.ocn.rules import MAX_MAIL_ACCOUNTS, mail_monthly_fee
from omakase_core.ocn.service import OcnService

__all__ = [
    "CANCELLATION_LIFECYCLE",
    "MAIL_CHANGE_LIFECYCLE",
    "MAX_MAIL_ACCOUNTS",
    "AccountAction",
    "CancellationRequest",
    "CancellationStatus",
    "CancellationSubmitted",
    "MailChangeApplied",
    "MailChangePattern",
    "MailChangeRequest",
    "MailChangeStatus",
    "OcnCustomer",
    "OcnCustomerRepository",
    "OcnEvent",
    "OcnService",
    "VirusCheck",
    "mail_monthly_fee",
    "notices",
]

from omakase_core.ocn import notices  # importing it registers how the events read as messages
