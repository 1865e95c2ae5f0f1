"""A :class:`~omakase_core.ports.Notifier` sending e-mail with the standard library's ``smtplib``.

>>> from omakase_core.adapters.smtp import SmtpNotifier, SmtpSecurity
>>> notifier = SmtpNotifier(
...     host="smtp.example.jp",
...     sender="noreply@portal.example.jp",
...     security=SmtpSecurity.STARTTLS,
...     username="portal",
...     password="secret",
... )
>>> notifier.port
587

Each :meth:`SmtpNotifier.send` opens its own connection (implicit TLS, or STARTTLS —
never a silent fall-back to plain text — and a login when a username is given), sends one
message and closes it. Nothing is shared between sends, so one notifier may be used by
several threads (and worker processes build their own); a delivery worker sends a batch
at a time, where a connection per message costs little and never meets a connection the
server has dropped meanwhile.

The message (:meth:`SmtpNotifier.compose`) is UTF-8, 7-bit clean (subjects as RFC 2047
encoded words, bodies base64 or quoted-printable), so any relay takes it, with:

- ``Message-ID``: ``<h@domain>``, ``h`` the first 32 hex digits of the SHA-256 of the
  message's ``key`` — a retry of the same message carries the same id, which a receiver
  or a mail store may deduplicate on (PORT-3, PORT-6);
- ``Date`` only when the notifier is given a :class:`~omakase_core.ports.Clock` (the
  library reads no clock by itself, PORT-4); without one the submission server adds it
  (RFC 6409, section 8.1);
- ``Auto-Submitted: auto-generated`` (RFC 3834), so that auto-responders do not answer.

Failures are not translated: a refused connection is the ``OSError`` the socket raised, a
refusal by the server the ``smtplib.SMTPException`` it caused, so
:func:`~omakase_core.delivery.deliver_pending` keeps the record and retries it (PORT-6).
A malformed configuration is a ``ValidationError`` naming the parameter when the notifier
is built; a password never appears in an error, a ``repr`` or a log line (SEC-2).
"""

from __future__ import annotations

import enum
import hashlib
import re
import smtplib
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import TYPE_CHECKING, Final

from omakase_core._validation import StrictEnumType, check_email, check_port
from omakase_core.calendar import to_jst
from omakase_core.errors import ValidationError, excerpt
from omakase_core.messages import Message

if TYPE_CHECKING:
    from omakase_core.ports import Clock

__all__ = ["SmtpNotifier", "SmtpSecurity"]

POLICY: Final = SMTP.clone(cte_type="7bit")
"""``email.policy.SMTP`` (CRLF line ends) writing 7-bit clean messages: no 8BITMIME needed."""
MAX_TIMEOUT: Final = 3600.0
"""The longest socket timeout a notifier takes, in seconds."""
_LABEL: Final = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOSTNAME: Final = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")
_MAX_HOSTNAME: Final = 253
_MAX_NAME: Final = 200
_MAX_CREDENTIAL: Final = 512
_ID_DIGITS: Final = 32


class SmtpSecurity(enum.Enum, metaclass=StrictEnumType):
    """How the connection to the SMTP server is secured."""

    PLAIN = "plain"
    """No encryption (a relay on the same host or network only); port 25 by default."""
    STARTTLS = "starttls"
    """A plain connection upgraded with STARTTLS before anything is sent; port 587."""
    SSL = "ssl"
    """TLS from the first byte ("implicit TLS", SMTPS); port 465."""

    @property
    def default_port(self) -> int:
        """The port servers listen on for this kind of connection."""
        return _PORTS[self]


_PORTS: Final = {SmtpSecurity.PLAIN: 25, SmtpSecurity.STARTTLS: 587, SmtpSecurity.SSL: 465}


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError(message, field=field)


def _hostname(value: object, field: str) -> str:
    """Return ``value`` if it is a host name (``smtp.example.jp``, ``localhost``)."""
    if (
        not isinstance(value, str)
        or len(value) > _MAX_HOSTNAME
        or _HOSTNAME.fullmatch(value) is None
    ):
        msg = f"{field} must be a host name such as smtp.example.jp, not {excerpt(value)}"
        raise _refuse(field, msg)
    return value


def _host(value: object) -> str:
    """Return ``value`` if it names a host to connect to: a name or an IP address."""
    if (
        not isinstance(value, str)
        or not value
        or len(value) > _MAX_HOSTNAME
        or not value.isprintable()
        or any(ch.isspace() for ch in value)
    ):
        msg = f"host must be a host name or an IP address, not {excerpt(value)}"
        raise _refuse("host", msg)
    return value


def _port(value: object, security: SmtpSecurity) -> int:
    if value is None:
        return security.default_port
    if type(value) is not int or not 1 <= value <= 65535:  # the TCP port range
        msg = f"port must be None or an int from 1 to 65535, not {excerpt(value)}"
        raise _refuse("port", msg)
    return value


def _security(value: object) -> SmtpSecurity:
    if type(value) is not SmtpSecurity:  # a plain "starttls" is refused (SEC-2)
        choices = ", ".join(f"SmtpSecurity.{member.name}" for member in SmtpSecurity)
        msg = f"security must be one of {choices}, not {excerpt(value)}"
        raise ValidationError(msg, field="security", rule="SEC-2")
    return value


def _timeout(value: object) -> float:
    # compared before any float(): an int of thousands of digits does not fit one, NaN fails
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not 0 < value <= MAX_TIMEOUT
    ):
        msg = f"timeout must be seconds above 0 and at most {MAX_TIMEOUT:g}, not {excerpt(value)}"
        raise _refuse("timeout", msg)
    return float(value)


def _line(value: object, field: str, max_length: int) -> str:
    """Return ``value`` if it is printable, non-blank text of at most ``max_length``."""
    if (
        not isinstance(value, str)
        or not value.strip()
        or len(value) > max_length
        or not value.isprintable()
    ):
        msg = f"{field} must be non-blank printable text of at most {max_length} characters"
        raise _refuse(field, f"{msg}, not {excerpt(value)}")
    return value


def _credential(value: object, field: str, *, show: bool) -> str:
    """Return ``value`` if it is printable ASCII, as ``smtplib``'s AUTH sends it."""
    if (
        not isinstance(value, str)
        or not value.strip()
        or len(value) > _MAX_CREDENTIAL
        or not value.isascii()
        or not value.isprintable()
    ):
        shown = f", not {excerpt(value)}" if show else ""  # a password is never shown
        msg = (
            f"{field} must be non-blank printable ASCII text of at most {_MAX_CREDENTIAL} "
            f"characters (smtplib's AUTH sends nothing else){shown}"
        )
        raise _refuse(field, msg)
    return value


def _credentials(username: object, password: object) -> tuple[str, str] | None:
    if username is None and password is None:
        return None
    if username is None or password is None:
        missing = "username" if username is None else "password"
        msg = "username and password are given together or not at all"
        raise _refuse(missing, msg)
    return (
        _credential(username, "username", show=True),
        _credential(password, "password", show=False),
    )


def _context(value: object, security: SmtpSecurity) -> ssl.SSLContext | None:
    if value is None:
        return None if security is SmtpSecurity.PLAIN else ssl.create_default_context()
    if not isinstance(value, ssl.SSLContext):
        msg = f"ssl_context must be None or an ssl.SSLContext, not {type(value).__name__}"
        raise _refuse("ssl_context", msg)
    if security is SmtpSecurity.PLAIN:
        msg = "ssl_context is used with SmtpSecurity.STARTTLS or SmtpSecurity.SSL, not PLAIN"
        raise _refuse("ssl_context", msg)
    return value


def _text(value: str) -> bool:
    """Return whether ``value`` can be written as UTF-8 (no lone surrogate)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class SmtpNotifier:
    """Sends each :class:`~omakase_core.messages.Message` as one e-mail over SMTP.

    Every argument is keyword-only and checked here (SEC-2); nothing connects before
    :meth:`send`:

    - ``host`` and ``port`` — the server (``port`` defaults by ``security``: 25, 587, 465);
    - ``sender`` — the ``From`` address (``noreply@portal.example.jp``), ``sender_name``
      an optional display name (``"ポータル事務局"``, encoded as RFC 2047 words);
    - ``security`` — a :class:`SmtpSecurity` member (STARTTLS by default);
      ``ssl_context`` the TLS settings (by default ``ssl.create_default_context()``:
      certificates and host names verified);
    - ``username`` and ``password`` — given together, the login after TLS is up
      (printable ASCII: ``smtplib``'s AUTH encodes nothing else);
    - ``timeout`` — seconds a connection or a reply may take (30 by default);
    - ``local_hostname`` — the name given in ``EHLO`` (``smtplib`` asks the system by
      default); ``message_id_domain`` — the right-hand side of each ``Message-ID`` (the
      sender's domain by default);
    - ``clock`` — when given, each message carries a ``Date`` read from it.
    """

    __slots__ = (
        "_clock",
        "_context",
        "_credentials",
        "_domain",
        "_from",
        "_host",
        "_local_hostname",
        "_port",
        "_security",
        "_sender",
        "_timeout",
    )

    def __init__(  # noqa: PLR0913  # an SMTP connection has this many settings
        self,
        *,
        host: str,
        sender: str,
        port: int | None = None,
        security: SmtpSecurity = SmtpSecurity.STARTTLS,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
        ssl_context: ssl.SSLContext | None = None,
        sender_name: str | None = None,
        local_hostname: str | None = None,
        message_id_domain: str | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._host = _host(host)
        self._sender = check_email(sender, field="sender", rule=None)
        self._security = _security(security)
        self._port = _port(port, self._security)
        self._credentials = _credentials(username, password)
        self._timeout = _timeout(timeout)
        self._context = _context(ssl_context, self._security)
        name = "" if sender_name is None else _line(sender_name, "sender_name", _MAX_NAME)
        self._from = Address(display_name=name, addr_spec=self._sender)
        self._local_hostname = (
            None if local_hostname is None else _hostname(local_hostname, "local_hostname")
        )
        self._domain = (
            self._sender.rpartition("@")[2]
            if message_id_domain is None
            else _hostname(message_id_domain, "message_id_domain")
        )
        if clock is not None:
            check_port(clock, field="clock", port="a Clock", methods=("now",))
        self._clock = clock

    @property
    def host(self) -> str:
        """The server's host name or address."""
        return self._host

    @property
    def port(self) -> int:
        """The server's port."""
        return self._port

    @property
    def security(self) -> SmtpSecurity:
        """How the connection is secured."""
        return self._security

    @property
    def sender(self) -> str:
        """The ``From`` address (and the envelope sender)."""
        return self._sender

    def __repr__(self) -> str:
        user = "" if self._credentials is None else f", username={self._credentials[0]!r}"
        return (
            f"SmtpNotifier(host={self._host!r}, port={self._port}, "
            f"security=SmtpSecurity.{self._security.name}, sender={self._sender!r}{user})"
        )

    def message_id(self, key: str) -> str:
        """Return the ``Message-ID`` of the message with ``key``: the same for every retry.

        ``<`` + the first 32 hex digits of the SHA-256 of the key (UTF-8) + ``@`` + the
        domain + ``>``: a valid RFC 5322 ``msg-id`` whatever the key holds, and no key is
        shown to the recipient.
        """
        given: object = key  # callers are not always type-checked
        if not isinstance(given, str) or not given or not _text(given):
            msg = f"key must be non-empty text, not {excerpt(given)}"
            raise _refuse("key", msg)
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:_ID_DIGITS]
        return f"<{digest}@{self._domain}>"

    def compose(self, message: Message) -> EmailMessage:
        """Return the e-mail :meth:`send` sends for ``message``, without sending it.

        A ``message`` whose recipient is not an e-mail address, or whose text cannot be
        written as UTF-8 (a lone surrogate), is a ``ValidationError`` naming ``message``.
        """
        given: object = message  # callers are not always type-checked
        if not isinstance(given, Message):
            msg = f"message must be a Message, not {type(given).__name__}"
            raise _refuse("message", msg)
        try:
            recipient = check_email(message.to, field="message", rule=None)
        except ValidationError:
            msg = f"message.to must be an e-mail address, not {excerpt(message.to)}"
            raise _refuse("message", msg) from None
        for part in ("subject", "body", "key"):
            if not _text(getattr(message, part)):
                msg = f"message.{part} cannot be written as UTF-8 (it holds a lone surrogate)"
                raise _refuse("message", msg)
        email = EmailMessage(policy=POLICY)
        email["From"] = self._from
        email["To"] = recipient
        email["Subject"] = message.subject
        email["Message-ID"] = self.message_id(message.key)
        if self._clock is not None:
            email["Date"] = format_datetime(to_jst(self._clock.now(), field="clock"))
        email["Auto-Submitted"] = "auto-generated"
        email.set_content(message.body, charset="utf-8")
        return email

    def send(self, message: Message) -> None:
        """Send ``message`` as one e-mail over a connection of its own.

        ``message`` is checked first (see :meth:`compose`). Then any failure of the
        network or the server propagates unchanged (an ``OSError``, an
        ``smtplib.SMTPException``): the outbox keeps the record for a retry, which
        sends the same ``Message-ID`` again (PORT-6).
        """
        email = self.compose(message)
        connection = self._connect()
        try:
            if self._security is SmtpSecurity.STARTTLS:
                connection.starttls(context=self._context)  # raises if the server cannot
            if self._credentials is not None:
                connection.login(*self._credentials)
            # one recipient: smtplib raises SMTPRecipientsRefused when the server refuses it
            connection.send_message(email, from_addr=self._sender, to_addrs=[str(email["To"])])
        except BaseException:
            connection.close()
            raise
        # The server has accepted the mail: a failing QUIT must not make it a failed send,
        # or the retry would deliver it twice (mailboxes rarely deduplicate on Message-ID).
        try:
            connection.quit()
        except (smtplib.SMTPException, OSError):
            connection.close()

    def _connect(self) -> smtplib.SMTP:
        if self._security is SmtpSecurity.SSL:
            return smtplib.SMTP_SSL(
                self._host,
                self._port,
                local_hostname=self._local_hostname,
                timeout=self._timeout,
                context=self._context,
            )
        return smtplib.SMTP(
            self._host, self._port, local_hostname=self._local_hostname, timeout=self._timeout
        )
