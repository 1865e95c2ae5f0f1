"""At-least-once delivery of the outbox's events as messages (PORT-3)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from omakase_core.calendar import to_jst
from omakase_core.messages import render

if TYPE_CHECKING:
    from omakase_core.messages import NotificationSettings
    from omakase_core.ports import Clock, Notifier, Outbox

__all__ = ["DeliveryReport", "deliver_pending"]


@attrs.frozen(kw_only=True)
class DeliveryReport:
    """What one :func:`deliver_pending` run did: delivered keys and failures with reasons."""

    delivered: tuple[str, ...]
    failed: tuple[tuple[str, str], ...]
    messages_sent: int


def deliver_pending(
    outbox: Outbox,
    notifier: Notifier,
    *,
    clock: Clock,
    settings: NotificationSettings,
    limit: int | None = None,
) -> DeliveryReport:
    """Send the messages of every pending outbox record, at least once (PORT-3).

    A record is marked delivered only after all its messages were sent. When the
    notifier raises, the record stays pending and the next run sends its messages again,
    with the same keys, so a deduplicating receiver sees each once. A record that another
    run marked meanwhile is not counted twice.
    """
    delivered: list[str] = []
    failed: list[tuple[str, str]] = []
    sent = 0
    for record in outbox.pending(limit=limit):
        if record.is_delivered:
            continue
        try:
            for message in render(record.event, settings):
                notifier.send(message)
                sent += 1
        except Exception as error:  # any notifier failure keeps the record pending
            failed.append((record.key, f"{type(error).__name__}: {error}"))
            continue
        if outbox.mark_delivered(record.key, at=to_jst(clock.now(), field="now")):
            delivered.append(record.key)
    return DeliveryReport(delivered=tuple(delivered), failed=tuple(failed), messages_sent=sent)
