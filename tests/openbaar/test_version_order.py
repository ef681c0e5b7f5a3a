"""The public data's version when changes commit in another order than their history ids.

Two officials save at once: the first takes history id n, the second n + 1 and commits first.
A reader in between must be given a version that changes again when the first commits, or a
proxy keeps being told "unchanged" about a page that changed (`openbaar.gate.version`).
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


def _theme(name):
    return Theme.objects.create(name=name, slug=name.lower())


@pytest.mark.django_db(transaction=True)
def test_a_change_that_commits_after_a_later_one_changes_the_version(monkeypatch):
    # One day throughout (the version holds the day), so a run across midnight reads the same.
    monkeypatch.setattr(gate.timezone, "localdate", lambda: datetime.date(2026, 3, 2))
    written, release = threading.Event(), threading.Event()
    failures = []

    def slow_writer():
        try:
            with transaction.atomic():
                _theme("Eerst")  # takes the lower history id
                written.set()
                assert release.wait(timeout=10)
        except Exception as error:  # shown by the assertion below
            failures.append(repr(error))
        finally:
            written.set()
            connection.close()

    def quick_writer():
        try:
            _theme("Daarna")  # a higher history id, committed at once
        finally:
            connection.close()

    first = threading.Thread(target=slow_writer)
    first.start()
    assert written.wait(timeout=10)
    second = threading.Thread(target=quick_writer)
    second.start()
    second.join(timeout=10)

    # The reader sees the second change, not the first: the largest id is already the second's.
    assert list(Theme.objects.values_list("name", flat=True)) == ["Daarna"]
    while_running = gate.version()
    assert gate.version() == while_running  # stable while nothing ends: a proxy may ask again

    release.set()
    first.join(timeout=10)
    assert not failures, failures
    assert sorted(Theme.objects.values_list("name", flat=True)) == ["Daarna", "Eerst"]
    after = gate.version()
    assert after != while_running
    # With no transaction running the version is the ids alone, and stable.
    assert gate.version() == after
