"""The SMTP notifier against a real SMTP server on 127.0.0.1 (PORT-3, PORT-4, PORT-6, SEC-2).

Each test starts ``aiosmtpd`` servers of its own (:class:`Mailbox` keeps what they
accept) and reads the mail as a receiver would: the subject and body decoded, the envelope,
the ``Message-ID``, whether the sender logged in and whether the connection was TLS. The
TLS servers use the self-signed certificate ``aiosmtpd`` ships for its own tests, trusted
by the client's context: certificates are verified, the host name (the certificate's
``CN`` is ``aes``) is not.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import re
import smtplib
import socket
import ssl
import threading
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from omakase_core import JST, Message, NotificationSettings, Principal, ValidationError
from omakase_core.adapters.smtp import SmtpNotifier, SmtpSecurity
from omakase_core.contract import Contractor, ContractService
from omakase_core.delivery import deliver_pending
from omakase_core.testing import (
    FixedClock,
    InMemoryContractRepository,
    InMemoryOutbox,
    InMemoryUserDirectory,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from email.message import EmailMessage

    from aiosmtpd.smtp import SMTP, Envelope, Session

T0 = datetime(2026, 11, 2, 10, 0, tzinfo=JST)
SENDER = "noreply@portal.example.jp"
USER, PASSWORD = "portal", "s3cret pass!"
CERTS = files("aiosmtpd") / "tests" / "certs"
MESSAGE = Message(
    key="contract:c-1:1/contractor",
    event_key="contract:c-1:1",
    to="taro@example.co.jp",
    subject="【おまかせログイン】サービス利用停止受理通知",
    body=(
        "山田 太郎 様\n\nサービス利用停止を受け付けました。\n"
        "2026年11月15日(日) 24:00 まで再開できます。\n"
    ),
)
MESSAGE_ID = re.compile(r"<[0-9a-f]{32}@portal\.example\.jp>")


# -- the server ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    """One mail a server accepted, as its receiver sees it."""

    mail_from: str
    rcpt_tos: list[str]
    mail: EmailMessage
    raw: bytes
    authenticated: bool
    tls: bool


class Mailbox:
    """An ``aiosmtpd`` handler keeping every mail it accepts."""

    def __init__(self, *, unknown: frozenset[str] = frozenset()) -> None:
        self.received: list[Received] = []
        self.unknown = unknown
        self._lock = threading.Lock()

    async def handle_RCPT(  # noqa: N802  # aiosmtpd's hook
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        """Refuse the ``unknown`` recipients, accept the others."""
        if address in self.unknown:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802  # aiosmtpd's hook name
        """Keep the mail and accept it."""
        raw = envelope.original_content or b""
        mail = email.message_from_bytes(raw, policy=email.policy.default)
        transport: Any = server.transport  # the TLS transport after STARTTLS
        with self._lock:
            self.received.append(
                Received(
                    mail_from=str(envelope.mail_from),
                    rcpt_tos=list(envelope.rcpt_tos),
                    mail=mail,
                    raw=raw,
                    authenticated=bool(session.authenticated),
                    tls=transport.get_extra_info("cipher") is not None,
                )
            )
        return "250 Message accepted for delivery"

    def only(self) -> Received:
        """Return the one mail received (a method: aiosmtpd looks at the handler's members)."""
        (received,) = self.received
        return received


def _authenticate(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
) -> AuthResult:
    good = LoginPassword(USER.encode(), PASSWORD.encode())
    return AuthResult(success=auth_data == good, handled=False)  # the server answers 535


def free_port() -> int:
    """Return a port nothing listens on (a connection to it is refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def server_context() -> ssl.SSLContext:
    """Return the TLS context of a server presenting aiosmtpd's self-signed certificate."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(CERTS / "server.crt"), str(CERTS / "server.key"))
    return context


def client_context() -> ssl.SSLContext:
    """Return a client context trusting that certificate (verified; its CN is not our host)."""
    context = ssl.create_default_context(cafile=str(CERTS / "server.crt"))
    context.check_hostname = False
    context.verify_flags &= ~ssl.VERIFY_X509_STRICT  # an X.509 v1 test certificate
    return context


@pytest.fixture
def start_server() -> Iterator[Callable[..., tuple[Mailbox, int]]]:
    """Start SMTP servers on 127.0.0.1 (``Controller`` keywords), stopped after the test."""
    running: list[Controller] = []

    def start(
        port: int | None = None, unknown: frozenset[str] = frozenset(), **options: Any
    ) -> tuple[Mailbox, int]:
        mailbox = Mailbox(unknown=unknown)
        chosen = free_port() if port is None else port
        controller = Controller(mailbox, hostname="127.0.0.1", port=chosen, **options)
        controller.start()
        running.append(controller)
        return mailbox, chosen

    yield start
    for controller in running:
        controller.stop()


def notifier(port: int, **options: Any) -> SmtpNotifier:
    """Return a notifier to 127.0.0.1:``port``, plain unless ``options`` say otherwise."""
    settings: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": port,
        "sender": SENDER,
        "security": SmtpSecurity.PLAIN,
        "local_hostname": "localhost",
        "timeout": 10,
    }
    return SmtpNotifier(**(settings | options))


def _text(mail: EmailMessage) -> str:
    body: str = mail.get_content()
    return body.replace("\r\n", "\n")  # MIME's canonical text has CRLF line ends


# -- what arrives ------------------------------------------------------------------------------


def test_port_3_the_mail_arrives_with_its_japanese_subject_body_and_recipient(
    start_server: Callable[..., tuple[Mailbox, int]],
) -> None:
    mailbox, port = start_server()
    notifier(port, sender_name="おまかせログイン事務局").send(MESSAGE)
    received = mailbox.only()
    assert received.mail_from == SENDER
    assert received.rcpt_tos == [MESSAGE.to]
    assert received.mail["To"] == MESSAGE.to
    assert received.mail["From"].addresses[0].display_name == "おまかせログイン事務局"
    assert received.mail["From"].addresses[0].addr_spec == SENDER
    assert received.mail["Subject"] == MESSAGE.subject
    assert received.mail.get_content_type() == "text/plain"
    assert received.mail.get_content_charset() == "utf-8"
    assert _text(received.mail) == MESSAGE.body
    assert received.mail["Auto-Submitted"] == "auto-generated"  # RFC 3834: no auto-replies
    assert not received.authenticated
    assert not received.tls


def test_port_3_the_mail_is_7_bit_clean_so_any_relay_takes_it(
    start_server: Callable[..., tuple[Mailbox, int]],
) -> None:
    mailbox, port = start_server()
    notifier(port).send(MESSAGE)
    raw = mailbox.only().raw
    assert raw.isascii()
    assert "山田".encode() not in raw
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))  # RFC 5322's line limit


def test_port_3_a_long_line_and_a_long_japanese_subject_arrive_intact(
    start_server: Callable[..., tuple[Mailbox, int]],
) -> None:
    mailbox, port = start_server()
    long = Message(
        key="k-long/contractor",
        event_key="k-long",
        to="taro@example.co.jp",
        subject="契約者変更通知" * 30,
        body="x" * 3000 + "\n" + "あ" * 2000 + "\n\ttab and trailing space \n",
    )
    notifier(port).send(long)
    received = mailbox.only()
    assert received.mail["Subject"] == long.subject
    assert _text(received.mail) == long.body


def test_port_6_the_message_id_comes_from_the_key_so_a_retry_repeats_it(
    start_server: Callable[..., tuple[Mailbox, int]],
) -> None:
    mailbox, port = start_server()
    sender = notifier(port)
    sender.send(MESSAGE)
    sender.send(MESSAGE)  # the retry after a lost acknowledgement
    notifier(port).send(MESSAGE)  # another worker's notifier
    other = Message(
        key="contract:c-1:1/new_contractor",
        event_key=MESSAGE.event_key,
        to="hanako@example.co.jp",
        subject=MESSAGE.subject,
        body=MESSAGE.body,
    )
    sender.send(other)
    ids = [received.mail["Message-ID"] for received in mailbox.received]
    assert ids[0] == ids[1] == ids[2] == sender.message_id(MESSAGE.key)
    assert ids[3] == sender.message_id(other.key) != ids[0]
    assert all(MESSAGE_ID.fullmatch(str(found)) for found in ids)  # RFC 5322 msg-id


def test_port_6_the_message_id_is_the_key_s_hash_on_the_chosen_domain() -> None:
    digest = hashlib.sha256(MESSAGE.key.encode()).hexdigest()[:32]
    chosen = notifier(25, message_id_domain="mail.example.jp")
    assert chosen.message_id(MESSAGE.key) == f"<{digest}@mail.example.jp>"
    assert notifier(25).message_id(MESSAGE.key) == f"<{digest}@portal.example.jp>"
    assert notifier(25).message_id("鍵 with spaces <and> @") != notifier(25).message_id("鍵")
    assert MESSAGE_ID.fullmatch(notifier(25).message_id("鍵 with spaces <and> @"))


def test_port_4_the_date_header_comes_from_the_clock_port_and_only_from_it(
    start_server: Callable[..., tuple[Mailbox, int]],
) -> None:
    mailbox, port = start_server()
    notifier(port, clock=FixedClock(T0)).send(MESSAGE)
    notifier(port).send(MESSAGE)
    dated, undated = mailbox.received
    assert dated.mail["Date"] == "Mon, 02 Nov 2026 10:00:00 +0900"
    assert dated.mail["Date"].datetime == T0
    assert undated.mail["Date"] is None  # the submission server adds it (RFC 6409, 8.1)


def test_port_3_one_notifier_sends_from_several_threads_at_once(
    start_server: Callable[..., tuple[Mailbox, int]],
) -> None:
    mailbox, port = start_server()
    shared = notifier(port)
    messages = [
        Message(
            key=f"k-{n}/contractor", event_key=f"k-{n}", to="a@example.jp", subject="s", body="b"
        )
        for n in range(12)
    ]
    threads = [threading.Thread(target=shared.send, args=(message,)) for message in messages]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    received = sorted(str(r.mail["Message-ID"]) for r in mailbox.received)
    assert received == sorted(shared.message_id(message.key) for message in messages)


# -- login and TLS -----------------------------------------------------------------------------


def test_port_3_the_notifier_logs_in_when_given_credentials(
    start_server: Callable[..., tuple[Mailbox, int]],
) -> None:
    mailbox, port = start_server(authenticator=_authenticate, auth_require_tls=False)
    notifier(port, username=USER, password=PASSWORD).send(MESSAGE)
    assert mailbox.only().authenticated


def test_port_3_a_wrong_password_is_the_server_s_refusal_and_nothing_is_sent(
    start_server: Callable[..., tuple[Mailbox, int]],
) -> None:
    mailbox, port = start_server(authenticator=_authenticate, auth_require_tls=False)
    with pytest.raises(smtplib.SMTPAuthenticationError):
        notifier(port, username=USER, password="wrong").send(MESSAGE)  # noqa: S106  # a test's
    assert mailbox.received == []


def test_port_3_starttls_upgrades_the_connection_before_logging_in(
    start_server: Callable[..., tuple[Mailbox, int]],
) -> None:
    mailbox, port = start_server(
        tls_context=server_context(),
        require_starttls=True,
        authenticator=_authenticate,
        auth_require_tls=True,  # the server offers AUTH only once TLS is up
    )
    notifier(
        port,
        security=SmtpSecurity.STARTTLS,
        ssl_context=client_context(),
        username=USER,
        password=PASSWORD,
    ).send(MESSAGE)
    received = mailbox.only()
    assert received.tls
    assert received.authenticated
    assert received.mail["Subject"] == MESSAGE.subject


def test_port_3_starttls_never_falls_back_to_plain_text(
    start_server: Callable[..., tuple[Mailbox, int]],
) -> None:
    mailbox, port = start_server()  # offers no STARTTLS
    with pytest.raises(smtplib.SMTPNotSupportedError):
        notifier(port, security=SmtpSecurity.STARTTLS, ssl_context=client_context()).send(MESSAGE)
    assert mailbox.received == []


def test_port_3_implicit_tls_sends_over_tls_from_the_first_byte(
    start_server: Callable[..., tuple[Mailbox, int]],
) -> None:
    mailbox, port = start_server(
        ssl_context=server_context(),
        authenticator=_authenticate,
        auth_require_tls=False,  # aiosmtpd counts only STARTTLS as TLS for AUTH
    )
    notifier(
        port,
        security=SmtpSecurity.SSL,
        ssl_context=client_context(),
        username=USER,
        password=PASSWORD,
    ).send(MESSAGE)
    received = mailbox.only()
    assert received.tls
    assert received.authenticated


def test_port_3_the_default_tls_context_verifies_the_server_s_certificate(
    start_server: Callable[..., tuple[Mailbox, int]],
) -> None:
    mailbox, port = start_server(ssl_context=server_context())
    with pytest.raises(ssl.SSLCertVerificationError):
        notifier(port, security=SmtpSecurity.SSL).send(MESSAGE)  # a self-signed certificate
    assert mailbox.received == []


# -- failures: raised unchanged, so delivery retries (PORT-6) --------------------------------------


def test_port_6_a_refused_connection_raises_the_socket_s_error() -> None:
    with pytest.raises(ConnectionRefusedError):
        notifier(free_port()).send(MESSAGE)


def test_port_6_a_recipient_the_server_refuses_raises_its_refusal(
    start_server: Callable[..., tuple[Mailbox, int]],
) -> None:
    mailbox, port = start_server(unknown=frozenset({MESSAGE.to}))
    with pytest.raises(smtplib.SMTPRecipientsRefused) as raised:
        notifier(port).send(MESSAGE)
    assert raised.value.recipients[MESSAGE.to][0] == 550
    assert mailbox.received == []


def test_port_6_a_refused_connection_leaves_the_record_pending_and_the_retry_delivers_it(
    start_server: Callable[..., tuple[Mailbox, int]],
) -> None:
    clock = FixedClock(T0)
    outbox = InMemoryOutbox()
    service = ContractService(
        contracts=InMemoryContractRepository(outbox),
        clock=clock,
        directory=InMemoryUserDirectory(),
    )
    service.open_contract(
        "c-1",
        contractor=Contractor(name="山田 太郎", email="taro@example.co.jp"),
        by=Principal.operator("staff-1"),
    )
    service.request_termination("c-1", by=Principal.contractor("c-1"))
    settings = NotificationSettings(
        contractor_login_url="https://portal.example.jp/contractor/login",
        first_login_url="https://portal.example.jp/first-login",
    )
    port = free_port()  # nothing listens yet: the connection is refused
    smtp = notifier(port)

    report = deliver_pending(outbox, smtp, clock=clock, settings=settings)

    (record,) = outbox.records()
    assert report.delivered == ()
    assert [key for key, _ in report.failed] == [record.key]
    assert "ConnectionRefusedError" in report.failed[0][1]
    assert [r.key for r in outbox.pending()] == [record.key]
    kept = outbox.get(record.key)
    assert not kept.is_delivered
    assert not kept.is_dead_lettered
    assert kept.attempts == 1
    assert kept.next_attempt_at is not None
    assert kept.next_attempt_at > T0

    mailbox, _ = start_server(port=port)  # the server is back
    clock.set(kept.next_attempt_at)
    report = deliver_pending(outbox, smtp, clock=clock, settings=settings)

    assert report.delivered == (record.key,)
    assert outbox.get(record.key).is_delivered
    received = mailbox.only()
    assert received.rcpt_tos == ["taro@example.co.jp"]
    assert received.mail["Subject"] == "【おまかせログイン】サービス利用停止受理通知"
    assert _text(received.mail).startswith("山田 太郎 様")
    assert received.mail["Message-ID"] == smtp.message_id(f"{record.key}/contractor")


# -- bad input (SEC-2) ---------------------------------------------------------------------------


def test_sec_2_a_bad_message_is_refused_before_any_connection() -> None:
    closed = notifier(free_port())  # a connection would be refused: none is attempted
    not_an_address = Message(key="k", event_key="e", to="山田さん", subject="s", body="b")
    surrogate = Message(key="k", event_key="e", to="a@example.jp", subject="\ud800", body="b")
    for bad, part in ((not_an_address, "message.to"), (surrogate, "message.subject")):
        with pytest.raises(ValidationError) as raised:
            closed.send(bad)
        assert raised.value.field == "message"
        assert part in raised.value.message
    with pytest.raises(ValidationError) as raised:
        closed.send("taro@example.co.jp")  # type: ignore[arg-type]  # the point
    assert raised.value.field == "message"


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"security": "starttls"}, "security"),
        ({"port": 0}, "port"),
        ({"port": 65536}, "port"),
        ({"port": True}, "port"),
        ({"host": "smtp example.jp"}, "host"),
        ({"sender": "noreply"}, "sender"),
        ({"sender_name": "事務局\r\nBcc: x@example.jp"}, "sender_name"),
        ({"username": USER}, "password"),
        ({"password": PASSWORD}, "username"),
        ({"username": USER, "password": "パスワード"}, "password"),  # smtplib sends ASCII only
        ({"username": "ユーザー", "password": PASSWORD}, "username"),
        ({"timeout": 0}, "timeout"),
        ({"timeout": float("nan")}, "timeout"),
        ({"ssl_context": client_context()}, "ssl_context"),  # with PLAIN: nothing to use it for
        ({"local_hostname": "bad host"}, "local_hostname"),
        ({"message_id_domain": "<x>"}, "message_id_domain"),
        ({"clock": "now"}, "clock"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_sec_2_a_malformed_setting_is_refused_naming_it(
    options: dict[str, Any], field: str
) -> None:
    settings: dict[str, Any] = {
        "host": "127.0.0.1",
        "sender": SENDER,
        "security": SmtpSecurity.PLAIN,
    }
    with pytest.raises(ValidationError) as raised:
        SmtpNotifier(**(settings | options))
    assert raised.value.field == field


def test_sec_2_the_password_is_never_shown() -> None:
    secret = "hunter2-very-secret"  # noqa: S105  # a test's password
    with pytest.raises(ValidationError) as raised:
        notifier(25, username=USER, password=secret + "\x00")
    assert secret not in str(raised.value)
    assert secret not in repr(notifier(25, username=USER, password=secret))


def test_port_3_the_port_defaults_by_the_kind_of_connection() -> None:
    ports = {
        security: SmtpNotifier(host="smtp.example.jp", sender=SENDER, security=security).port
        for security in SmtpSecurity
    }
    assert ports == {SmtpSecurity.PLAIN: 25, SmtpSecurity.STARTTLS: 587, SmtpSecurity.SSL: 465}
    assert SmtpNotifier(host="smtp.example.jp", sender=SENDER).security is SmtpSecurity.STARTTLS


def test_sec_2_the_security_setting_is_looked_up_strictly() -> None:
    assert SmtpSecurity("ssl") is SmtpSecurity.SSL
    with pytest.raises(ValidationError) as raised:
        SmtpSecurity("SSL")
    assert raised.value.field == "value"


def test_port_3_the_message_is_composed_without_sending() -> None:
    composed = notifier(free_port()).compose(MESSAGE)
    assert composed["Subject"] == MESSAGE.subject
    assert composed["Message-ID"] == notifier(25).message_id(MESSAGE.key)
    parsed = email.message_from_bytes(bytes(composed), policy=email.policy.default)
    assert _text(parsed) == MESSAGE.body


class GrumpyQuit(Mailbox):
    """A server that accepts the mail, then answers QUIT with an error."""

    async def handle_QUIT(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802  # aiosmtpd's hook
        """Refuse the goodbye."""
        return "421 4.3.0 closing anyway"


def test_port_6_a_mail_the_server_accepted_is_sent_even_if_its_quit_fails() -> None:
    """A failed QUIT after an accepted DATA is no failed send: no retry, no duplicate."""
    mailbox = GrumpyQuit()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        notifier(controller.port).send(MESSAGE)
    finally:
        controller.stop()
    assert len(mailbox.received) == 1
