"""At-least-once delivery of the outbox's events as messages (PORT-3).

SEC-2: :func:`deliver_pending` checks its arguments before it sends anything. An outbox, a
notifier or a clock without the methods of its port, settings that are not
:class:`~omakase_core.messages.NotificationSettings`, or a ``limit`` that is not ``None`` or
a non-negative ``int`` (``"3"``, ``3.0``, ``True`` included) is a ``ValidationError`` naming
the parameter, and nothing is sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import attrs

from omakase_core._validation import check_port
from omakase_core.calendar import to_jst
from omakase_core.errors import ValidationError, excerpt
from omakase_core.messages import NotificationSettings, render

if TYPE_CHECKING:
    from omakase_core.ports import Clock, Notifier, Outbox

__all__ = ["DeliveryReport", "deliver_pending"]

_MAX_REASON: Final = 200
"""The longest failure reason a report keeps: a notifier's error may be long."""


def _keys(_: object, attribute: attrs.Attribute[tuple[str, ...]], value: object) -> None:
    if not isinstance(value, tuple) or not all(isinstance(key, str) for key in value):
        msg = f"{attribute.name} must be a tuple of record keys, not {excerpt(value)}"
        raise ValidationError(msg, field=attribute.name, rule="PORT-3")


def _failures(
    _: object, attribute: attrs.Attribute[tuple[tuple[str, str], ...]], value: object
) -> None:
    if not isinstance(value, tuple) or not all(
        isinstance(item, tuple) and len(item) == 2 and all(isinstance(s, str) for s in item)
        for item in value
    ):
        msg = f"{attribute.name} must be a tuple of (key, reason) pairs, not {excerpt(value)}"
        raise ValidationError(msg, field=attribute.name, rule="PORT-3")


def _count(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int or value < 0:
        msg = f"{attribute.name} must be a non-negative int, not {excerpt(value)}"
        raise ValidationError(msg, field=attribute.name, rule="PORT-3")


@attrs.frozen(kw_only=True)
class DeliveryReport:
    """What one :func:`deliver_pending` run did: delivered keys and failures with reasons."""

    delivered: tuple[str, ...] = attrs.field(validator=_keys)
    failed: tuple[tuple[str, str], ...] = attrs.field(validator=_failures)
    messages_sent: int = attrs.field(validator=_count)


def _check_arguments(
    outbox: object, notifier: object, clock: object, settings: object, limit: object
) -> None:
    check_port(outbox, field="outbox", port="an Outbox", methods=("pending", "mark_delivered"))
    check_port(notifier, field="notifier", port="a Notifier", methods=("send",))
    check_port(clock, field="clock", port="a Clock", methods=("now",))
    if not isinstance(settings, NotificationSettings):
        msg = f"settings must be NotificationSettings, not {type(settings).__name__}"
        raise ValidationError(msg, field="settings")
    if limit is not None and (type(limit) is not int or limit < 0):
        msg = f"limit must be None or a non-negative int, not {type(limit).__name__} "
        raise ValidationError(msg + excerpt(limit), field="limit")


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
    run marked meanwhile is not counted twice. The arguments are checked, and the clock
    read once, before anything is sent (SEC-2).
    """
    _check_arguments(outbox, notifier, clock, settings, limit)
    to_jst(clock.now(), field="clock")
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
            reason = str(error)
            reason = reason if len(reason) <= _MAX_REASON else f"{reason[:_MAX_REASON]}…"
            failed.append((record.key, f"{type(error).__name__}: {reason}"))
            continue
        if outbox.mark_delivered(record.key, at=to_jst(clock.now(), field="clock")):
            delivered.append(record.key)
    return DeliveryReport(delivered=tuple(delivered), failed=tuple(failed), messages_sent=sent)
