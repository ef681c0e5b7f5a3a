"""SQLite with two writers at once (issue 26, section 5): the demo's server and task worker.

The tests build the database settings from smartdelta/settings.py with a SQLite file of their
own, because the test database of SQLite lives in memory, where the journal and the locks of a
file do not apply. Whichever database the suite runs on, the demo's SQLite is what is tested.
"""

import runpy
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction

SETTINGS = Path(__file__).resolve().parents[2] / "smartdelta" / "settings.py"
ALIAS = "sqlite_writers"
# Only reached when a thread is stuck: a passing run never waits on a clock.
STUCK = 30


def database_settings(monkeypatch, url):
    """DATABASES["default"] as smartdelta/settings.py makes it for `url`."""
    monkeypatch.setenv("DATABASE_URL", url)
    return runpy.run_path(str(SETTINGS))["DATABASES"]["default"]


def test_sqlite_takes_the_write_lock_at_begin_and_waits_for_it(monkeypatch, tmp_path):
    options = database_settings(monkeypatch, f"sqlite:///{tmp_path / 'db.sqlite3'}")["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 10
    assert "journal_mode=WAL" in options["init_command"]


def test_postgresql_gets_none_of_the_sqlite_options(monkeypatch):
    options = database_settings(monkeypatch, "postgres://portal@db:5432/portal")["OPTIONS"]
    assert options["connect_timeout"] == 3
    assert not {"transaction_mode", "timeout", "init_command"} & set(options)


@pytest.fixture
def file_database(monkeypatch, tmp_path, django_db_blocker):
    """A function that registers a SQLite file as `ALIAS`, with the settings' options less
    those it is given (to show what they prevent), and a counter at 0."""

    def register(*without):
        database = database_settings(monkeypatch, f"sqlite:///{tmp_path / 'portal.sqlite3'}")
        for option in without:
            del database["OPTIONS"][option]
        # Each thread opens its own connection to the alias, as the server and worker would.
        configured = connections.configure_settings({DEFAULT_DB_ALIAS: database})
        connections.settings[ALIAS] = configured[DEFAULT_DB_ALIAS]
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER)")
            cursor.execute("INSERT INTO counter VALUES (1, 0)")
        connections[ALIAS].close()

    # The file is not the test database: pytest-django's block is lifted while it is used.
    with django_db_blocker.unblock():
        yield register
    if ALIAS in connections.settings:
        connections[ALIAS].close()
        del connections[ALIAS]
        del connections.settings[ALIAS]


def read(cursor):
    cursor.execute("SELECT value FROM counter WHERE id = 1")
    return cursor.fetchone()[0]


def write(cursor, value):
    cursor.execute("UPDATE counter SET value = %s WHERE id = 1", [value])


def run_both(first, second):
    """Runs the two writers in two threads, each with its own connection; returns results."""

    def closing(writer):
        try:
            return writer()
        finally:
            connections[ALIAS].close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(closing, first), pool.submit(closing, second)]
        return [future.result(timeout=STUCK) for future in futures]


def test_two_writers_that_read_then_write_at_once_both_succeed(file_database):
    """The second writer begins while the first holds its transaction open (it has read, not
    yet written): it waits for the first to commit, then reads what the first wrote."""
    file_database()
    first_has_read = threading.Event()
    second_begins = threading.Event()

    def first():
        with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
            value = read(cursor)
            first_has_read.set()
            # Keep the transaction open until the second writer's BEGIN runs inside SQLite.
            assert second_begins.wait(STUCK)
            write(cursor, value + 1)
        return value

    def second():
        assert first_has_read.wait(STUCK)
        connection = connections[ALIAS]
        connection.ensure_connection()
        # SQLite calls this as a statement starts, before BEGIN asks for the lock.
        connection.connection.set_trace_callback(
            lambda sql: sql.startswith("BEGIN") and second_begins.set()
        )
        with transaction.atomic(using=ALIAS), connection.cursor() as cursor:
            value = read(cursor)
            write(cursor, value + 1)
        return value

    assert run_both(first, second) == [0, 1]
    with connections[ALIAS].cursor() as cursor:
        assert read(cursor) == 2


def test_without_immediate_transactions_the_second_writer_fails_at_once(file_database):
    """What the settings prevent: two deferred transactions both read; after the first commits
    its write, the second cannot write from what it read, and no busy timeout helps."""
    file_database("transaction_mode")
    both_have_read = threading.Barrier(2, timeout=STUCK)
    first_committed = threading.Event()

    def first():
        with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
            value = read(cursor)
            both_have_read.wait()
            write(cursor, value + 1)
        first_committed.set()

    def second():
        with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
            value = read(cursor)
            both_have_read.wait()
            assert first_committed.wait(STUCK)
            with pytest.raises(OperationalError, match="database is locked"):
                write(cursor, value + 1)

    run_both(first, second)
