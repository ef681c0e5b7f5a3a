"""The public data's version when changes commit in another order than their history ids.

Two officials save at once: the first takes history id n, the second n + 1 and commits first.
A reader in between must be given a version that changes again when the first commits, or a
proxy keeps being told "unchanged" about a page that changed (`openbaar.gate.version`).
Whichever of the two transactions took its transaction id first.
"""

import datetime
import threading

import pytest
from django.db import connection, transaction

from openbaar import gate
from portfolio.models import Theme

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer at a time; concurrent commits need PostgreSQL",
)

TIMEOUT = 10


def _theme(name):
    return Theme.objects.create(name=name, slug=name.lower())


def _transaction_id():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id()")  # takes one now, before any write


@pytest.mark.parametrize("quick_one_began_first", [False, True])
@pytest.mark.django_db(transaction=True)
def test_a_change_that_commits_after_a_later_one_changes_the_version(
    monkeypatch, quick_one_began_first
):
    # One day throughout (the version holds the day), so a run across midnight reads the same.
    monkeypatch.setattr(gate.timezone, "localdate", lambda: datetime.date(2026, 3, 2))
    began, written, release = threading.Event(), threading.Event(), threading.Event()
    failures = []

    def slow_writer():
        try:
            with transaction.atomic():
                assert began.wait(TIMEOUT)
                _theme("Eerst")  # takes the lower history id
                written.set()
                assert release.wait(TIMEOUT)
        except Exception as error:  # shown by the assertion below
            failures.append(repr(error))
        finally:
            written.set()
            connection.close()

    def quick_writer():
        try:
            with transaction.atomic():
                if quick_one_began_first:
                    _transaction_id()  # a lower transaction id than the slow writer's
                began.set()
                assert written.wait(TIMEOUT)
                _theme("Daarna")  # a higher history id, committed at once
        except Exception as error:
            failures.append(repr(error))
        finally:
            began.set()
            connection.close()

    slow, quick = threading.Thread(target=slow_writer), threading.Thread(target=quick_writer)
    try:
        if quick_one_began_first:
            quick.start()
            slow.start()
        else:
            slow.start()
            began.set()
            assert written.wait(TIMEOUT)
            quick.start()
        quick.join(TIMEOUT)
        assert not failures, failures

        # The reader sees the second change, not the first: the largest id is the second's.
        assert list(Theme.objects.values_list("name", flat=True)) == ["Daarna"]
        while_running = gate.version()
        assert gate.version() == while_running  # stable while nothing ends: a proxy may ask again
    finally:
        release.set()
        slow.join(TIMEOUT)
    assert not failures, failures
    assert sorted(Theme.objects.values_list("name", flat=True)) == ["Daarna", "Eerst"]
    after = gate.version()
    assert after != while_running
    # With no other transaction running the version is the ids alone, and stable.
    assert gate.version() == after
