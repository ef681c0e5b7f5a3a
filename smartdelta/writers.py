"""Transactions that write, running now on the portal's database (PostgreSQL).

A row's history id and its `history_date` are taken when the row is written, not when its
transaction commits; transactions run side by side, so a change may become visible after a
later one. Whoever reads "everything up to here" – the public data's version
(`openbaar.gate.version`), a digest of everything before its end (`following.tasks`) – asks
which writers are still running. A transaction has its id from its first write on; the history
row is written after the row it records. A role sees the ids of its own sessions; the web
servers and the task worker connect as one role (docker-compose.yml). SQLite lets one writer
at a time, so what a reader there sees was committed in order: nothing runs beside it.
"""

from django.db import connection

# The other sessions on this database whose transaction has written (PostgreSQL).
_RUNNING = (
    "FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
    " AND datname = current_database()"
)


def lowest_running_sql() -> str | None:
    """A subquery for the lowest id of a writing transaction still running (NULL when none),
    for a version that must change when it ends; None where writers cannot overlap."""
    if connection.vendor != "postgresql":
        return None
    return f"(SELECT MIN(backend_xid::text::bigint) {_RUNNING})"


def running_since_before(moment) -> bool:
    """Whether a writing transaction that began before `moment` is still running: what it
    wrote before `moment` is not yet visible to anyone."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 {_RUNNING} AND xact_start < %s)", [moment])
        return cursor.fetchone()[0]
