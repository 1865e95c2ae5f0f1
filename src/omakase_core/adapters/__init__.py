"""Shipped adapters: every storage port on a real database (PORT-5), and e-mail over SMTP.

- :mod:`omakase_core.adapters.sqlite` — the standard library's ``sqlite3``, WAL, one
  connection per unit of work: :class:`~omakase_core.adapters.sqlite.SqliteStore` and
  :func:`~omakase_core.adapters.sqlite.create_schema`.
- :mod:`omakase_core.adapters.postgres` — ``psycopg`` 3 with ``psycopg-pool`` (the optional
  extra ``omakase-core[postgres]``): :class:`~omakase_core.adapters.postgres.PostgresStore`
  and :func:`~omakase_core.adapters.postgres.create_schema`.

Both stores expose the attributes of :class:`omakase_core.testing.InMemoryStore` —
``contracts``, ``applications``, ``id_changes``, ``tenants``, ``credentials``,
``ocn_customers``, ``inquiries``, the contract's user ``directory`` and the ``outbox`` they
all write to — and pass the same port contract suite, racing writers included (PORT-5).
An ``add``/``save`` is one transaction: a compare-and-set on the version (PORT-2) and the
outbox rows of its events (PORT-3). Aggregates and events are stored as the codec's JSON
(:mod:`omakase_core.codec`, PORT-7), with the columns the queries need beside them.

The sweeps' due-queries can *claim* what is due inside a transaction
(``store.contracts.claim_due(now)``): on PostgreSQL with ``FOR UPDATE SKIP LOCKED``, so
several worker processes sweep one database at once and no aggregate is transitioned twice.

The notifier port has one shipped adapter:

- :mod:`omakase_core.adapters.smtp` — the standard library's ``smtplib``:
  :class:`~omakase_core.adapters.smtp.SmtpNotifier` sends each message as a UTF-8 e-mail
  (STARTTLS, implicit TLS or plain; login optional) whose ``Message-ID`` is derived from the
  message's key, so a retry carries the same id (PORT-3, PORT-6).

This package imports neither driver: import the module of the database you use.
"""

__all__: list[str] = []
