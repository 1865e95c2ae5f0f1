"""Account events: recorded for the outbox, but they send no message (PORT-3).

Password changes and user-directory changes are shown on the portal's screens. Each is
declared silent explicitly, so that an undeclared event type still fails loudly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from omakase_core.accounts.model import AccountEvent, PasswordChanged
from omakase_core.messages import Message, NotificationSettings, register_renderer

if TYPE_CHECKING:
    from omakase_core.events import Event

__all__: list[str] = []


def _silent(_: Event, __: NotificationSettings) -> tuple[Message, ...]:
    return ()


for _event_type in (AccountEvent, PasswordChanged):
    register_renderer(_event_type, _silent)
