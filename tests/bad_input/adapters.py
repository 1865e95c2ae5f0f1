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
import sqlite3
from typing import TYPE_CHECKING, Final

import psycopg

from omakase_core.adapters import postgres, sqlite
from tests.adapters import server
from tests.bad_input.spec import Case, Lazy, Param
from tests.bad_input.values import REFUSE, TEXT, Bad, bad, wrong_types

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
