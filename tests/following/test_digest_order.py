"""A digest waits for a change still being saved when its period ended (`following.tasks`).

The change is written before the digest's end but commits after the digest would have read the
history: sent at once, it would be in neither this digest nor the next, which starts at the end.
"""

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from following import digest, tasks
from following.models import DigestSent
from following.tasks import WAIT_AT_MOST, WAIT_FOR_WRITERS, send_digest
from portfolio.models import ProgressUpdate
from tests.following.test_digest import non_participant  # noqa: F401 (a fixture)
from tests.held import held_open

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer at a time; a change saved beside a digest needs PostgreSQL",
)


def _progress(project, text):
    def write():
        ProgressUpdate.objects.create(
            project=project, date=datetime.date(2026, 12, 1), light="op_koers", text=text
        )

    return write


def _send(user, until):
    key = digest.period_key("wekelijks", until)
    return key, send_digest.call(user.pk, "wekelijks", key, until.isoformat())


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_digest_waits_for_a_change_saved_before_its_end(
    non_participant,  # noqa: F811
    project,
    mailoutbox,
    run_queued_tasks,
):
    with held_open(_progress(project, "Nog niet vastgelegd.")):
        until = timezone.now()  # the change was written before the end of the period
        before = timezone.now()
        key, answer = _send(non_participant, until)
        assert "straks opnieuw" in answer
        assert not DigestSent.objects.exists() and mailoutbox == []
        (again,) = DBTaskResult.objects.filter(status="READY")
        assert again.args_kwargs["args"] == [
            non_participant.pk,
            "wekelijks",
            key,
            until.isoformat(),
        ]
        assert again.run_after >= before + WAIT_FOR_WRITERS

    # Committed now: the digest holds the change.
    key, answer = _send(non_participant, until)
    assert "in de wachtrij" in answer
    run_queued_tasks()
    assert any("Nog niet vastgelegd." in mail.body for mail in mailoutbox)
    assert DigestSent.objects.get(user=non_participant, key=key).until == until


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_writer_that_began_after_the_end_does_not_hold_the_digest(
    non_participant,  # noqa: F811
    project,
):
    until = timezone.now() - datetime.timedelta(seconds=1)
    with held_open(_progress(project, "Na het einde.")):
        key, answer = _send(non_participant, until)
        assert "straks opnieuw" not in answer
        assert DigestSent.objects.filter(user=non_participant, key=key).exists()


# The writers are stubbed: this runs on SQLite too.
@pytest.mark.django_db(transaction=True)
def test_a_writer_left_open_holds_a_digest_back_for_half_an_hour_at_most(
    non_participant,  # noqa: F811
    monkeypatch,
    caplog,
):
    # A session that never ends (a stuck process) with a write from before the end.
    monkeypatch.setattr(tasks.writers, "running_since_before", lambda moment: True)
    now = timezone.now()
    _, answer = _send(non_participant, now - WAIT_AT_MOST + datetime.timedelta(minutes=1))
    assert "straks opnieuw" in answer
    assert not DigestSent.objects.exists()
    key, answer = _send(non_participant, now - WAIT_AT_MOST - datetime.timedelta(minutes=1))
    assert "straks opnieuw" not in answer
    assert DigestSent.objects.filter(user=non_participant, key=key).exists()
    assert "nog loopt" in caplog.text
