"""Shipped adapters: every storage port on a real database (PORT-5), and e-mail over SMTP.

- :mod:`omakase_core.adapters.sqlite` — the standard library's ``sqlite3``, WAL, one
  connection per unit of work: :class:`~omakase_core.adapters.sqlite.SqliteStore` and
  :func:`~omakase_core.adapters.sqlite.create_schema`.
- :mod:`omakase_core.adapters.postgres` — ``psycopg`` 3 with ``psycopg-pool`` (the optional
  extra ``omakase-core[postgres]``): :class:`~omakase_core.adapters.postgres.PostgresStore`
  and :func:`~omakase_core.adapters.postgres.create_schema`.

Both stores expose the attributes of :class:`omakase_core.testing.InMemoryStore` —
``contracts``, ``applications``, ``sites``, ``id_changes``, ``tenants``, ``credentials``,
``ocn_customers``, ``inquiries``, the contract's user ``directory`` and the ``outbox`` they
all write to — and pass the same port contract suite, racing writers included (PORT-5).
An ``add``/``save`` is one transaction: a compare-and-set on the version (PORT-2) and the
outbox rows of its events (PORT-3). Aggregates and events are stored as the codec's JSON
(:mod:`omakase_core.codec`, PORT-7), with the columns the queries need beside them.

The sweeps' due-queries can *claim* what is due inside a transaction
(``store.contracts.claim_due(now)``): on PostgreSQL with ``FOR UPDATE SKIP LOCKED``, so
several worker processes sweep one database at once and no aggregate is transitioned twice.
While a thread holds a claim, its other calls on the same store (the directory, the outbox,
a redaction) join the claim's transaction and commit or roll back with it.

The outbox's delivery workers claim records the same way (PORT-6): one transaction selects
the due records oldest first, counts an expired lease as a lost attempt and writes a fresh
lease on each; a report is a conditional ``UPDATE`` on that lease. The erasure of CON-10
rewrites the stored JSON itself (``redact_events``) and deletes the directory's rows
(``remove_accounts``); SQLite also zeroes the freed bytes (``secure_delete``) and truncates
its write-ahead log. ``create_schema`` upgrades a version-1 database in place.

The notifier port has one shipped adapter:

- :mod:`omakase_core.adapters.smtp` — the standard library's ``smtplib``:
  :class:`~omakase_core.adapters.smtp.SmtpNotifier` sends each message as a UTF-8 e-mail
  (STARTTLS, implicit TLS or plain; login optional) whose ``Message-ID`` is derived from the
  message's key, so a retry carries the same id (PORT-3, PORT-6).

This package imports neither driver: import the module of the database you use.
"""

__all__: list[str] = []
