"""Messages and the renderer registry: how events read as notifications (PORT-3).

Each domain declares, in its ``notices`` module, how its events become messages;
:func:`omakase_core.delivery.deliver_pending` sends what the outbox holds.

SEC-2: a message holds text only (a recipient and subject on one line, no control
characters); settings hold http(s) URLs without spaces or control characters; a renderer is
registered only for an event class, as a callable. Anything else is a ``ValidationError``
naming the parameter, with at most a short excerpt of the value.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final, TypeVar

import attrs

from omakase_core.errors import NotFound, ValidationError, excerpt
from omakase_core.events import Event

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "Message",
    "NotificationSettings",
    "register_renderer",
    "render",
]

E = TypeVar("E", bound="Event")


_MAX_LINE: Final = 998
"""The longest header line RFC 5322 allows: a recipient or a subject must fit one."""
_MAX_URL: Final = 2048
_CONTROL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""The control characters (Unicode category Cc) other than tab, line feed and return."""
_BREAKS_LINE: Final = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""Every control character and line separator: what a one-line header must not hold."""


def _line(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    """Refuse anything but one line of text (a key, a recipient, a subject)."""
    if (
        not isinstance(value, str)
        or not value.strip()
        or len(value) > _MAX_LINE
        or _BREAKS_LINE.search(value) is not None
    ):
        msg = (
            f"{attribute.name} must be non-blank text on one line of at most {_MAX_LINE} "
            f"characters, not {excerpt(value)}"
        )
        raise ValidationError(msg, field=attribute.name, rule="PORT-3")


def _body(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    """Refuse anything but text whose only control characters are line breaks and tabs."""
    if not isinstance(value, str) or _CONTROL.search(value) is not None:
        msg = f"{attribute.name} must be text without control characters, not {excerpt(value)}"
        raise ValidationError(msg, field=attribute.name, rule="PORT-3")


@attrs.frozen(kw_only=True)
class Message:
    """One notification to one recipient.

    ``event_key`` is the idempotency key of the event it comes from; ``key`` adds the
    recipient's role, so that one event's messages to two people stay distinct for a
    deduplicating receiver, and a retry produces the same keys again.
    """

    key: str = attrs.field(validator=_line)
    event_key: str = attrs.field(validator=_line)
    to: str = attrs.field(validator=_line)
    subject: str = attrs.field(validator=_line)
    body: str = attrs.field(validator=_body)


def _url(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if (
        not isinstance(value, str)
        or not value.startswith(("https://", "http://"))
        or len(value) > _MAX_URL
        or not value.isprintable()
        or any(ch.isspace() for ch in value)
        or not value.partition("://")[2].strip("/")
    ):
        msg = (
            f"{attribute.name} must be an http(s) URL of at most {_MAX_URL} characters "
            f"without spaces, not {excerpt(value)}"
        )
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
    """Declare how events of ``event_type`` become messages (an empty tuple: none).

    ``event_type`` must be an :class:`~omakase_core.events.Event` subclass and ``renderer``
    a callable; anything else is refused (SEC-2).
    """
    given: tuple[object, object] = (event_type, renderer)  # not always type-checked
    if not isinstance(given[0], type) or not issubclass(given[0], Event) or given[0] is Event:
        msg = f"event_type must be a subclass of Event, not {excerpt(given[0])}"
        raise ValidationError(msg, field="event_type")
    if not callable(given[1]):
        msg = f"renderer must be a callable, not {type(given[1]).__name__}"
        raise ValidationError(msg, field="renderer")
    _RENDERERS[event_type] = renderer


def render(event: Event, settings: NotificationSettings) -> tuple[Message, ...]:
    """Return the messages ``event`` produces; an event type nobody declared is refused.

    ``event`` must be an :class:`~omakase_core.events.Event` and ``settings`` the
    :class:`NotificationSettings`; anything else is a ``ValidationError`` naming it.
    """
    given: tuple[object, object] = (event, settings)  # callers are not always type-checked
    if not isinstance(given[0], Event):
        msg = f"event must be an Event, not {type(given[0]).__name__}"
        raise ValidationError(msg, field="event")
    if not isinstance(given[1], NotificationSettings):
        msg = f"settings must be NotificationSettings, not {type(given[1]).__name__}"
        raise ValidationError(msg, field="settings")
    try:
        renderer = _RENDERERS[type(event)]
    except KeyError:
        raise NotFound(kind="message renderer for event type", id=type(event).__name__) from None
    return renderer(event, settings)
