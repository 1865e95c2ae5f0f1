"""OCN events: recorded for the outbox, but they send no message.

OCN's mail changes and cancellation are confirmed by the operator through their own
channels. Each is
declared silent explicitly, so that an undeclared event type still fails loudly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from omakase_core.messages import Message, NotificationSettings, register_renderer
from omakase_core.ocn.model import OcnEvent

if TYPE_CHECKING:
    from omakase_core.events import Event

__all__: list[str] = []


def _silent(_: Event, __: NotificationSettings) -> tuple[Message, ...]:
    return ()


register_renderer(OcnEvent, _silent)
