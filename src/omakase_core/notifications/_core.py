"""Messages, the renderer registry and at-least-once delivery from the outbox (PORT-3)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from omakase_core.calendar import to_jst
from omakase_core.errors import NotFound, ValidationError

if TYPE_CHECKING:
    from collections.abc import Callable

    from omakase_core.events import Event
    from omakase_core.ports import Clock, Notifier, Outbox

__all__ = [
    "DeliveryReport",
    "Message",
    "NotificationSettings",
    "deliver_pending",
    "register_renderer",
    "render",
]

E = TypeVar("E", bound="Event")


@attrs.frozen(kw_only=True)
class Message:
    """One notification to one recipient.

    ``event_key`` is the idempotency key of the event it comes from; ``key`` adds the
    recipient's role, so that one event's messages to two people stay distinct for a
    deduplicating receiver, and a retry produces the same keys again.
    """

    key: str
    event_key: str
    to: str
    subject: str
    body: str


def _url(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.startswith(("https://", "http://")):
        msg = f"{attribute.name} must be an http(s) URL, not {value!r}"
        raise ValidationError(msg, field=attribute.name)


@attrs.frozen(kw_only=True)
class NotificationSettings:
    """What a portal configures for its messages: the URLs they point to."""

    contractor_login_url: str = attrs.field(validator=_url)
    """The contract-management (契約者) login page, sent with a contractor change (CON-7)."""
    first_login_url: str = attrs.field(validator=_url)
    """The first-login page of a newly issued account (CON-8)."""


_RENDERERS: dict[type[Event], Callable[[Any, NotificationSettings], tuple[Message, ...]]] = {}


def register_renderer(
    event_type: type[E], renderer: Callable[[E, NotificationSettings], tuple[Message, ...]]
) -> None:
    """Declare how events of ``event_type`` become messages (an empty tuple: none)."""
    _RENDERERS[event_type] = renderer


def render(event: Event, settings: NotificationSettings) -> tuple[Message, ...]:
    """Return the messages ``event`` produces; an event type nobody declared is refused."""
    try:
        renderer = _RENDERERS[type(event)]
    except KeyError:
        raise NotFound(kind="message renderer for event type", id=type(event).__name__) from None
    return renderer(event, settings)


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
