"""A write held open: tests of readers that meet a transaction which has written and has not
committed yet (PostgreSQL; SQLite lets one writer at a time)."""

import threading
from contextlib import contextmanager

from django.db import connection, transaction

TIMEOUT = 10


@contextmanager
def held_open(write):
    """Run `write()` in a transaction of its own, in another thread, and keep that transaction
    open while the block runs; it commits when the block ends. A failure in the thread is
    raised here."""
    written, release = threading.Event(), threading.Event()
    failures = []

    def run():
        try:
            with transaction.atomic():
                write()
                written.set()
                if not release.wait(TIMEOUT):
                    raise TimeoutError("the test did not end the write in time")
        except Exception as error:
            failures.append(error)
        finally:
            written.set()
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        assert written.wait(TIMEOUT)
        if failures:
            raise failures[0]
        yield
    finally:
        release.set()
        thread.join(TIMEOUT)
    if failures:
        raise failures[0]
