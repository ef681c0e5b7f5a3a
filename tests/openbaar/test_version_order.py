"""The public data's version when changes commit in another order than their history ids.

Two officials save at once: the first takes history id n, the second n + 1 and commits first.
A reader in between must be given a version that changes again when the first commits, or a
proxy keeps being told "unchanged" about a page that changed (`openbaar.gate.version`).
Whichever of the two transactions took its transaction id first.
"""

import datetime
from contextlib import ExitStack

import pytest
from django.db import connection, transaction

from openbaar import gate
from portfolio.models import Theme
from tests.held import held_open

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer at a time; concurrent commits need PostgreSQL",
)


def _theme(name):
    return Theme.objects.create(name=name, slug=name.lower())


@pytest.mark.parametrize("later_one_began_first", [False, True])
@pytest.mark.django_db(transaction=True)
def test_a_change_that_commits_after_a_later_one_changes_the_version(
    monkeypatch, later_one_began_first
):
    # One day throughout (the version holds the day), so a run across midnight reads the same.
    monkeypatch.setattr(gate.timezone, "localdate", lambda: datetime.date(2026, 3, 2))
    first = held_open(lambda: _theme("Eerst"))  # the lower history id, committed last
    with ExitStack() as held:
        # The later change (a higher history id, committed at once) is made here; its
        # transaction takes its id before or after the first one's.
        with transaction.atomic():
            if later_one_began_first:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_current_xact_id()")
            held.enter_context(first)
            _theme("Daarna")
        # The reader sees the second change, not the first: the largest id is the second's.
        assert list(Theme.objects.values_list("name", flat=True)) == ["Daarna"]
        while_running = gate.version()
        assert gate.version() == while_running  # stable while nothing ends: a proxy may ask again
    assert sorted(Theme.objects.values_list("name", flat=True)) == ["Daarna", "Eerst"]
    after = gate.version()
    assert after != while_running
    # With no other transaction running the version is the ids alone, and stable.
    assert gate.version() == after
