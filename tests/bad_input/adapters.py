"""Valid calls of the shipped storage adapters: the baselines the bad values replace (SEC-2).

The public callables of :mod:`omakase_core.adapters.sqlite` and
:mod:`omakase_core.adapters.postgres` (PORT-5): the stores' constructors and
``create_schema``. The PostgreSQL baselines use the adapter tests' server
(:mod:`tests.adapters.server`, started on first use). The repositories the stores hold
share one implementation, whose refusals ``tests/adapters/test_adapters.py`` checks on both
databases. Connections the baselines open are closed when the test process ends.
"""

from __future__ import annotations

import atexit
import socket
import sqlite3
import ssl
from datetime import datetime
from typing import TYPE_CHECKING, Final

import psycopg
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Sink

from omakase_core import JST, Message
from omakase_core.adapters import postgres, sqlite
from omakase_core.adapters.smtp import SmtpNotifier, SmtpSecurity
from omakase_core.testing import FixedClock
from tests.adapters import server
from tests.bad_input.spec import ID_TEXT, OTHER_TEXT, Case, Lazy, Param, refuse
from tests.bad_input.values import REFUSE, TEXT, WRONG_OBJECT, Bad, bad, wrong_types

if TYPE_CHECKING:
    from collections.abc import Callable

_OPEN: list[sqlite3.Connection | psycopg.Connection[tuple[object, ...]]] = []


@atexit.register
def _close() -> None:
    for connection in _OPEN:
        connection.close()


def _sqlite() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    _OPEN.append(connection)
    return connection


def _postgres() -> psycopg.Connection[tuple[object, ...]]:
    connection = psycopg.connect(server.postgres_url(), autocommit=True)
    _OPEN.append(connection)
    return connection


def _closed(
    connect: Callable[[], sqlite3.Connection | psycopg.Connection[tuple[object, ...]]],
) -> object:
    connection = connect()
    connection.close()
    return connection


NOT_A_FILE_NAME: Final = frozenset(
    {
        "int for text",
        "float for text",
        "True for text",
        "bytes for text",
        "empty",
        "blank",
        "ideographic space",
        "control characters",
        "line break",
        "1 MB",
        "lone surrogate",
    }
)
"""The texts a database path refuses; the others are valid file names, never fed (they
would create files)."""

PATH: Final = Param(
    family=(
        *(value.but(REFUSE) for value in TEXT if value.label in NOT_A_FILE_NAME),
        *wrong_types(optional=False),
    )
)
"""A SQLite database path: a printable file name or ``":memory:"``."""

SOURCE: Final = Param(family=(*(value.but(REFUSE) for value in TEXT), *wrong_types(optional=False)))
"""A PostgreSQL connection string or pool: no text of the family is a connection string."""

SQLITE_CONNECTION: Final = Param(
    family=(
        bad("a path for a connection", ":memory:", REFUSE),
        Bad("a closed connection", lambda: _closed(_sqlite), REFUSE),
        *wrong_types(optional=False),
    )
)

POSTGRES_CONNECTION: Final = Param(
    family=(
        bad("a connection string for a connection", "host=localhost", REFUSE),
        Bad("a sqlite3 connection", _sqlite, REFUSE),
        Bad("a closed connection", lambda: _closed(_postgres), REFUSE),
        *wrong_types(optional=False),
    )
)

CASES: list[Case] = [
    # -- SQLite (PORT-5) ------------------------------------------------------------------------
    Case(sqlite.SqliteStore, {"path": ":memory:"}, {"path": PATH}),
    Case(sqlite.create_schema, {"connection": Lazy(_sqlite)}, {"connection": SQLITE_CONNECTION}),
    # -- PostgreSQL (PORT-5) --------------------------------------------------------------------
    Case(postgres.PostgresStore, {"source": Lazy(server.postgres_url)}, {"source": SOURCE}),
    Case(
        postgres.create_schema,
        {"connection": Lazy(_postgres)},
        {"connection": POSTGRES_CONNECTION},
    ),
]
"""Cases of the shipped adapters."""


# -- SMTP (PORT-3, PORT-6) -----------------------------------------------------------------------

_SMTP: list[Controller] = []


def _smtp_port() -> int:
    """Return the port of an SMTP server on 127.0.0.1 that accepts and drops every mail."""
    if not _SMTP:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port: int = probe.getsockname()[1]
        controller = Controller(Sink(), hostname="127.0.0.1", port=port)
        controller.start()
        atexit.register(controller.stop)
        _SMTP.append(controller)
    return int(_SMTP[0].port)


def _smtp_notifier() -> SmtpNotifier:
    """Return a plain notifier to the test's SMTP server (started on first use)."""
    return SmtpNotifier(
        host="127.0.0.1",
        port=_smtp_port(),
        sender="noreply@portal.example.jp",
        security=SmtpSecurity.PLAIN,
        local_hostname="localhost",
        timeout=10,
    )


SMTP_MESSAGE: Final = Message(
    key="contract:c-1:1/contractor",
    event_key="contract:c-1:1",
    to="taro@example.co.jp",
    subject="【おまかせログイン】サービス利用停止受理通知",
    body="山田 太郎 様\n",
)
HOST_NAME: Final = refuse(*(OTHER_TEXT - {"unknown word"}))
"""A host name (EHLO, Message-ID): letters, digits and hyphens in dot-separated labels."""
CREDENTIAL: Final = refuse(*(OTHER_TEXT - {"unknown word"}))
"""A user name or password: non-blank printable ASCII, as smtplib's AUTH sends it."""
SSL_CONTEXT: Final = Param(
    family=(
        bad("text for a context", "tls", REFUSE),
        bad("int for a context", 1, REFUSE),
        bad("the class instead of an instance", ssl.SSLContext, REFUSE),
        *WRONG_OBJECT,
    )
)

SMTP_CASES: list[Case] = [
    Case(SmtpSecurity, {"value": "starttls"}),
    Case(
        SmtpNotifier,
        {
            "host": "smtp.example.jp",
            "sender": "noreply@portal.example.jp",
            "port": 2525,
            "security": SmtpSecurity.STARTTLS,
            "username": "portal",
            "password": "s3cret",
            "timeout": 10.0,
            "ssl_context": Lazy(ssl.create_default_context),
            "sender_name": "おまかせログイン事務局",
            "local_hostname": "worker-1.portal.example.jp",
            "message_id_domain": "portal.example.jp",
            "clock": FixedClock(datetime(2026, 11, 2, 10, 0, tzinfo=JST)),
        },
        {
            "host": refuse(*ID_TEXT, "lone surrogate"),
            "sender": refuse(*OTHER_TEXT),
            "port": refuse("negative", "zero", "2**63", "huge", "-huge"),
            "username": CREDENTIAL,
            "password": CREDENTIAL,
            "timeout": refuse("negative", "zero", "1e308", "huge int"),
            "ssl_context": SSL_CONTEXT,
            "sender_name": refuse(*ID_TEXT, "lone surrogate"),
            "local_hostname": HOST_NAME,
            "message_id_domain": HOST_NAME,
        },
    ),
    Case((SmtpNotifier, "send"), {"message": SMTP_MESSAGE}, instance=_smtp_notifier),
    Case((SmtpNotifier, "compose"), {"message": SMTP_MESSAGE}, instance=_smtp_notifier),
    Case(
        (SmtpNotifier, "message_id"),
        {"key": SMTP_MESSAGE.key},
        {"key": refuse("empty", "lone surrogate")},
        instance=_smtp_notifier,
    ),
]
"""Cases of the SMTP notifier; ``send`` delivers its baseline to a local server."""

CASES.extend(SMTP_CASES)
