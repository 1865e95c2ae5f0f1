"""Messages and the renderer registry: how events read as notifications (PORT-3).

Each domain declares, in its ``notices`` module, how its events become messages;
:func:`omakase_core.delivery.deliver_pending` sends what the outbox holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from omakase_core.errors import NotFound, ValidationError

if TYPE_CHECKING:
    from collections.abc import Callable

    from omakase_core.events import Event

__all__ = [
    "Message",
    "NotificationSettings",
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
