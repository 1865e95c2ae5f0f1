"""Events become messages here (CON-6, CON-7, PORT-3).

Each domain declares how its events read as messages; :func:`deliver_pending` sends what
the outbox holds, at least once, with stable keys.
"""

from omakase_core.notifications import accounts, contract, id_change, inquiry, submission
from omakase_core.notifications._core import (
    DeliveryReport,
    Message,
    NotificationSettings,
    deliver_pending,
    register_renderer,
    render,
)

__all__ = [
    "DeliveryReport",
    "Message",
    "NotificationSettings",
    "accounts",
    "contract",
    "deliver_pending",
    "id_change",
    "inquiry",
    "register_renderer",
    "render",
    "submission",
]
