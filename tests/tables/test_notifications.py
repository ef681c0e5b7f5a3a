"""Escalation mails go through the task queue: queued with the change, sent by a real worker.

The worker tests run the portal and `manage.py db_worker --batch` as separate processes on a
database of their own (a SQLite file, or a fresh PostgreSQL database when the tests run on
PostgreSQL), with the file mail backend, so they see what a deployment would: the mail leaves
from the worker, not from the request.
"""

import datetime
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.mail.backends import filebased
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from smartdelta import mail as tasks
from tables import escalations
from tables.models import Escalation, EscalationEvent

ROOT = Path(__file__).resolve().parents[2]


class FlakyMailBackend(filebased.EmailBackend):
    """Refuses the first FLAKY_MAIL_FAILURES sends (counted in a file), then writes mails."""

    def send_messages(self, messages):
        counter = Path(self.file_path) / "failures.txt"
        failed = int(counter.read_text()) if counter.exists() else 0
        if failed < int(os.environ.get("FLAKY_MAIL_FAILURES", "0")):
            counter.write_text(str(failed + 1))
            raise ConnectionRefusedError("mail server down")
        return super().send_messages(messages)


# -- In this process: what is queued, and when ------------------------------------------------


def _raise(reporter, title="Levering niet nagekomen"):
    return escalations.raise_escalation(
        reporter, title=title, description="D", category="overig", urgency="normaal"
    )


@pytest.fixture
def secretary_with_mail(secretary_zwijndrecht):
    secretary_zwijndrecht.email = "secretaris@example.org"
    secretary_zwijndrecht.save()
    return secretary_zwijndrecht


def test_raising_queues_the_mail_instead_of_sending_it(
    regiekamers, mailoutbox, official_zwijndrecht, secretary_with_mail
):
    e = _raise(official_zwijndrecht)
    assert mailoutbox == []
    (queued,) = DBTaskResult.objects.ready()
    assert queued.task_path == "smartdelta.mail.deliver_mail"
    subject, body, recipients = queued.args_kwargs["args"]
    assert subject == "Nieuwe escalatie: Levering niet nagekomen"
    assert recipients == ["secretaris@example.org"]
    assert f"/regiekamer/escalaties/{e.pk}/" in body


def test_a_rolled_back_escalation_queues_nothing(
    regiekamers, official_zwijndrecht, secretary_with_mail
):
    with pytest.raises(RuntimeError), transaction.atomic():
        _raise(official_zwijndrecht)
        raise RuntimeError("the caller's transaction fails after the escalation")
    assert not Escalation.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_an_escalation_that_fails_at_its_last_write_queues_nothing(
    regiekamers, monkeypatch, official_zwijndrecht, secretary_with_mail
):
    def broken(**kwargs):
        raise RuntimeError("event row refused")

    monkeypatch.setattr(EscalationEvent.objects, "create", broken)
    with pytest.raises(RuntimeError):
        _raise(official_zwijndrecht)
    assert not Escalation.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_refused_transition_queues_nothing(
    regiekamers, official_zwijndrecht, secretary_with_mail
):
    e = _raise(official_zwijndrecht)
    DBTaskResult.objects.all().delete()
    with pytest.raises(escalations.DomainError):
        escalations.decide(secretary_with_mail, e, seen_version=e.version, decision="Te vroeg")
    assert not DBTaskResult.objects.exists()


def test_a_failed_send_is_queued_again_with_a_doubling_pause(
    regiekamers, settings, monkeypatch, run_queued_tasks, official_zwijndrecht, secretary_with_mail
):
    settings.MAIL_RETRY_SECONDS = 60
    settings.MAIL_MAX_ATTEMPTS = 3

    def down(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(tasks, "send_mail", down)
    _raise(official_zwijndrecht)
    before = timezone.now()
    run_queued_tasks()
    (retry,) = DBTaskResult.objects.filter(status="READY")
    assert retry.args_kwargs["args"][3] == 2
    assert (
        before + datetime.timedelta(seconds=60)
        <= retry.run_after
        <= timezone.now() + datetime.timedelta(seconds=60)
    )
    # Not due yet: a worker run now leaves it waiting.
    run_queued_tasks()
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert [tasks.retry_delay(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]


def test_the_last_failure_is_visible_to_beheer(
    regiekamers, settings, monkeypatch, client, run_queued_tasks, official_zwijndrecht
):
    settings.MAIL_RETRY_SECONDS = 0
    settings.MAIL_MAX_ATTEMPTS = 3
    official_zwijndrecht.email = "melder@example.org"
    official_zwijndrecht.save()

    def down(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(tasks, "send_mail", down)
    tasks.queue_mail("Besluit over uw escalatie: T", "Tekst", ["melder@example.org"])
    run_queued_tasks()
    statuses = sorted(
        (r.args_kwargs["args"][3] if len(r.args_kwargs["args"]) > 3 else 1, r.status)
        for r in DBTaskResult.objects.all()
    )
    assert statuses == [(1, "SUCCESSFUL"), (2, "SUCCESSFUL"), (3, "FAILED")]

    from smartdelta.models import User

    beheer = User.objects.create_superuser("beheer-test", "b@example.org", "test-wachtwoord-123")
    client.force_login(beheer)
    url = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    page = client.get(url, {"status__exact": "FAILED"}).content.decode()
    assert "Mail ‘Besluit over uw escalatie: T’ aan melder@example.org (poging 3)" in page
    assert "(poging 2)" not in page
    assert "Achtergrondtaken" in client.get(reverse("admin:index")).content.decode()


# -- A real worker process ---------------------------------------------------------------------


def _manage(env, *args, timeout=120):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _own_database_url(tmp_path_factory):
    """A database for the worker tests alone: the test processes share it, pytest does not."""
    db = settings.DATABASES["default"]
    if connection.vendor != "postgresql":
        return f"sqlite:///{tmp_path_factory.mktemp('worker') / 'portal.sqlite3'}", None
    import psycopg

    name = f"smartdelta_worker_{uuid.uuid4().hex[:8]}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    server = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{server}/{name}", drop


SEED = """
from tables.models import Regiekamer, RegiekamerKind
from tests.conftest import make_organisation, make_user
org = make_organisation("Zwijndrecht")
for kind in RegiekamerKind:
    Regiekamer.objects.get_or_create(kind=kind)
make_user("melder", org, is_official=True, email="melder@example.org")
make_user("secretaris", org, is_ambtelijke_regiekamer=True, email="secretaris@example.org")
"""

RAISE = """
import os
from smartdelta.models import User
from tables import escalations
escalations.raise_escalation(
    User.objects.get(username="melder"), title=os.environ["TITLE"], description="D",
    category="overig", urgency="normaal",
)
"""

STATUSES = """
import json, os
from django_tasks_db.models import DBTaskResult
rows = DBTaskResult.objects.filter(args_kwargs__args__0__endswith=os.environ["TITLE"])
print(json.dumps(sorted([r.status, r.return_value] for r in rows)))
"""


@pytest.fixture(scope="module")
def worker_site(tmp_path_factory, django_db_blocker):
    with django_db_blocker.unblock():
        url, drop = _own_database_url(tmp_path_factory)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_EMAIL_BACKEND": "tests.tables.test_notifications.FlakyMailBackend",
        "MAIL_RETRY_SECONDS": "0",
        "MAIL_MAX_ATTEMPTS": "3",
    }
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "shell", "-c", SEED)
    yield env
    if drop:
        with django_db_blocker.unblock():
            drop()


def _run(worker_site, tmp_path, title, failures=0):
    env = {
        **worker_site,
        "DJANGO_EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "FLAKY_MAIL_FAILURES": str(failures),
        "TITLE": title,
    }
    # The portal process: the request's change, and the mail queued with it.
    _manage(env, "shell", "-c", RAISE)
    assert not (tmp_path / "mail").exists() or not list((tmp_path / "mail").glob("*.log"))
    # The worker process, until nothing is due (MAIL_RETRY_SECONDS=0 makes retries due at once).
    _manage(env, "db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v0")
    statuses = json.loads(_manage(env, "shell", "-c", STATUSES).splitlines()[-1])
    mails = [p.read_text() for p in sorted((tmp_path / "mail").glob("*.log"))]
    return statuses, mails


def test_worker_sends_the_mail_of_a_raised_escalation(worker_site, tmp_path):
    statuses, mails = _run(worker_site, tmp_path, "Sluis dicht")
    assert statuses == [["SUCCESSFUL", "Verstuurd bij poging 1."]]
    (mail,) = mails
    assert "Subject: Nieuwe escalatie: Sluis dicht" in mail
    assert "To: secretaris@example.org" in mail


def test_worker_retries_a_failing_send_until_it_goes_out(worker_site, tmp_path):
    statuses, mails = _run(worker_site, tmp_path, "Brug kapot", failures=2)
    assert statuses == [
        ["SUCCESSFUL", "Poging 1 mislukt (ConnectionRefusedError); opnieuw ingepland."],
        ["SUCCESSFUL", "Poging 2 mislukt (ConnectionRefusedError); opnieuw ingepland."],
        ["SUCCESSFUL", "Verstuurd bij poging 3."],
    ]
    assert len(mails) == 1 and "Subject: Nieuwe escalatie: Brug kapot" in mails[0]


def test_worker_gives_up_after_the_last_attempt_and_leaves_it_failed(worker_site, tmp_path):
    statuses, mails = _run(worker_site, tmp_path, "Dijk lekt", failures=99)
    assert statuses == [
        ["FAILED", None],
        ["SUCCESSFUL", "Poging 1 mislukt (ConnectionRefusedError); opnieuw ingepland."],
        ["SUCCESSFUL", "Poging 2 mislukt (ConnectionRefusedError); opnieuw ingepland."],
    ]
    assert mails == []
