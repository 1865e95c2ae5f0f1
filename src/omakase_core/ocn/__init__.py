"""OCN カスタマサポートデスク: mail plans and fees, mail changes, cancellation (OCN-1 … OCN-4).

The fee table and the field checks are :mod:`~omakase_core.ocn.rules`; the statuses,
applications and the event :mod:`~omakase_core.ocn.model`; the charts
``LIFECYCLES["ocn.mail_change"]`` and ``LIFECYCLES["ocn.cancellation"]``
:mod:`~omakase_core.ocn.machine`; the aggregate :class:`OcnCustomer`; and the
:class:`OcnService` runs its commands over the ports for a principal (SEC-1 … SEC-3).
"""

from omakase_core.ocn.aggregate import OcnCustomer
from omakase_core.ocn.machine import CANCELLATION_LIFECYCLE, MAIL_CHANGE_LIFECYCLE
from omakase_core.ocn.model import (
    CancellationRequest,
    CancellationStatus,
    MailChangePattern,
    MailChangeRequest,
    MailChangeStatus,
    OcnEvent,
)
from omakase_core.ocn.ports import OcnCustomerRepository
from omakase_core.ocn.rules import MAX_MAIL_ACCOUNTS, mail_monthly_fee
from omakase_core.ocn.service import OcnService

__all__ = [
    "CANCELLATION_LIFECYCLE",
    "MAIL_CHANGE_LIFECYCLE",
    "MAX_MAIL_ACCOUNTS",
    "CancellationRequest",
    "CancellationStatus",
    "MailChangePattern",
    "MailChangeRequest",
    "MailChangeStatus",
    "OcnCustomer",
    "OcnCustomerRepository",
    "OcnEvent",
    "OcnService",
    "mail_monthly_fee",
    "notices",
]

from omakase_core.ocn import notices  # importing it registers how the events read as messages
