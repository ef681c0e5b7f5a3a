"""The portal's mail: links, the queue, retries, and the failed mails the programme office handles.

A shared service, so it lives in the core (issue 31): every app that announces a change by mail
calls `queue_mail`; none imports another app for it.

Links. A mail is read outside the portal, by a worker outside any request, so a link in it
carries the portal's own address (settings.PORTAL_URL, from DJANGO_PORTAL_URL); `check
--deploy` refuses a production without one (smartdelta/checks.py).

The queue. A mail is queued as part of the change it announces (`queue_mail`, called inside the
change's transaction) and the worker (`manage.py db_worker`) sends it after the commit, so a
request never waits on the mail server. The queue is a table in the portal's own database
(django-tasks-db).

Retries. A failed send is tried again later, with a pause that doubles each time
(MAIL_RETRY_SECONDS, 2×, 4×, ...), up to MAIL_MAX_ATTEMPTS attempts in all; the backend itself
does not retry. The last failure stays in the queue with status FAILED. Earlier attempts end
"geslaagd" with a return value saying they were rescheduled, so the failed rows are exactly
the mails that never went out.

Failed for good (issue 30). The programme office (and `beheer`) sees them in the portal
(`/programmabureau/mails/`, smartdelta/mail_views.py) and handles each once: *Opnieuw
versturen* queues it again from attempt 1 (`retry_mail`), *Laten vallen* gives it up
(`drop_mail`). Either way a `MailHandling` row records who did it and when, with history; the
task row itself is the library's and carries no person.
"""

import datetime
import logging
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from . import permissions
from .errors import DomainError
from .models import MailHandling, MailOutcome, User

logger = logging.getLogger(__name__)

# Where the task is found: the worker imports it by this path (migration 0007 moved the rows
# queued under its former home, tables.tasks).
MAIL_TASK_PATH = "smartdelta.mail.deliver_mail"


def absolute_url(path: str) -> str:
    """The full address of `path` (a result of reverse(), starting with "/") for a mail."""
    return settings.PORTAL_URL.rstrip("/") + path


def retry_delay(attempt: int) -> datetime.timedelta:
    """The pause after failed attempt `attempt` (1-based): MAIL_RETRY_SECONDS, then doubled."""
    return datetime.timedelta(seconds=settings.MAIL_RETRY_SECONDS * 2 ** (attempt - 1))


@task
def deliver_mail(subject: str, body: str, recipients: list[str], attempt: int = 1) -> str:
    """Send one mail; on failure queue the next attempt, or fail for good after the last."""
    try:
        send_mail(subject, body, None, recipients)
    except Exception as error:
        if attempt >= settings.MAIL_MAX_ATTEMPTS:
            logger.error(
                "Mail definitief niet verstuurd na %d pogingen: %s", attempt, subject[:200]
            )
            raise
        run_after = timezone.now() + retry_delay(attempt)
        deliver_mail.using(run_after=run_after).enqueue(subject, body, recipients, attempt + 1)
        logger.warning(
            "Mail niet verstuurd (poging %d van %d), opnieuw om %s: %s",
            attempt,
            settings.MAIL_MAX_ATTEMPTS,
            run_after.isoformat(),
            subject[:200],
        )
        return f"Poging {attempt} mislukt ({type(error).__name__}); opnieuw ingepland."
    return f"Verstuurd bij poging {attempt}."


def queue_mail(subject: str, body: str, recipients: list[str]) -> None:
    """Queue a mail as part of the current transaction: it goes out only if the change commits.

    With the database backend the task row is written in the change's own transaction, so it
    commits or rolls back with the change and the worker cannot see it before the commit. That
    is `on_commit` without its gap (a crash between the commit and the enqueue would lose the
    mail). Any other backend (an in-process one, say) is handed the mail on commit.
    """
    if not recipients:
        return
    args = (subject, body, list(recipients))
    if isinstance(deliver_mail.get_backend(), DatabaseBackend):
        deliver_mail.enqueue(*args)
    else:
        transaction.on_commit(partial(deliver_mail.enqueue, *args), robust=True)


# -- Failed mails: seen and handled by the programme office ------------------------------------

# What went wrong, in words a reader of the page understands (the exception's class, by name:
# the traceback stays in the log and the admin).
ERROR_WORDS = {
    "ConnectionRefusedError": "De mailserver weigerde de verbinding.",
    "ConnectionResetError": "De mailserver verbrak de verbinding.",
    "SMTPServerDisconnected": "De mailserver verbrak de verbinding.",
    "SMTPConnectError": "Het portaal kon geen verbinding maken met de mailserver.",
    "SMTPAuthenticationError": "De mailserver accepteerde de inloggegevens van het portaal niet.",
    "SMTPRecipientsRefused": "De mailserver weigerde het adres van de ontvanger.",
    "SMTPSenderRefused": "De mailserver weigerde het afzenderadres van het portaal.",
    "SMTPDataError": "De mailserver weigerde de inhoud van de mail.",
    "TimeoutError": "De mailserver antwoordde niet op tijd.",
    "timeout": "De mailserver antwoordde niet op tijd.",
    "gaierror": "De naam van de mailserver is onbekend.",
}
UNKNOWN_ERROR = (
    "Het versturen mislukte door een onbekende fout; de technische melding staat in het logboek."
)


def error_in_words(exception_class_path: str) -> str:
    return ERROR_WORDS.get((exception_class_path or "").rsplit(".", 1)[-1], UNKNOWN_ERROR)


class QueuedMail:
    """One mail's task row, read for a person: subject, recipients, attempt, when, why."""

    def __init__(self, row: DBTaskResult, handling: MailHandling | None = None):
        args = row.args_kwargs.get("args") or []
        self.id = row.id
        self.subject = args[0] if args else ""
        self.recipients = list(args[2]) if len(args) > 2 else []
        self.attempt = args[3] if len(args) > 3 else 1
        self.enqueued_at = row.enqueued_at
        self.finished_at = row.finished_at
        self.run_after = row.run_after
        self.error = error_in_words(row.exception_class_path)
        self.handling = handling


def _mails():
    return DBTaskResult.objects.filter(task_path=MAIL_TASK_PATH)


def failed_mails() -> list[QueuedMail]:
    """Mails that failed for good and nobody handled yet, newest first."""
    handled = MailHandling.objects.values("task_id")
    rows = _mails().failed().exclude(id__in=handled).order_by("-finished_at", "id")
    return [QueuedMail(row) for row in rows]


def waiting_mails() -> list[QueuedMail]:
    """Mails that failed at least once and wait for their next attempt, soonest first."""
    rows = _mails().filter(status="READY", args_kwargs__args__3__gte=2).order_by("run_after", "id")
    return [QueuedMail(row) for row in rows]


def handled_mails(limit: int = 50) -> list[QueuedMail]:
    """The latest failed mails someone handled (dropped or sent again), with who and when."""
    handlings = list(
        MailHandling.objects.select_related("handled_by").order_by("-handled_at", "-pk")[:limit]
    )
    rows = {r.id: r for r in _mails().filter(id__in=[h.task_id for h in handlings])}
    return [QueuedMail(rows[h.task_id], h) for h in handlings if h.task_id in rows]


def failed_count() -> int:
    handled = MailHandling.objects.values("task_id")
    return _mails().failed().exclude(id__in=handled).count()


def _failed_row(user: User, task_id) -> DBTaskResult:
    """The failed mail `task_id`, locked for this transaction, unless handled already."""
    if not permissions.can_handle_failed_mail(user):
        raise DomainError("Alleen het programmabureau handelt mislukte mails af.")
    row = _mails().failed().select_for_update().filter(id=task_id).first()
    if row is None:
        raise DomainError("Deze mail staat niet (meer) bij de mislukte mails.")
    done = MailHandling.objects.filter(task_id=row.id).select_related("handled_by").first()
    if done is not None:
        raise DomainError(
            f"Deze mail is al afgehandeld ({done.get_outcome_display().lower()}) door "
            f"{done.handled_by or 'een ander'}."
        )
    return row


def _record(user: User, row: DBTaskResult, outcome: str) -> MailHandling:
    mail = QueuedMail(row)
    handling = MailHandling(
        task_id=row.id,
        subject=mail.subject[:300],
        recipients=", ".join(mail.recipients)[:1000],
        outcome=outcome,
        handled_by=user,
    )
    handling._history_user = user
    handling.save()
    return handling


@transaction.atomic
def retry_mail(user: User, task_id) -> MailHandling:
    """Queue a failed mail again, from its first attempt (its retries apply again)."""
    row = _failed_row(user, task_id)
    subject, body, recipients = row.args_kwargs["args"][:3]
    queue_mail(subject, body, recipients)
    return _record(user, row, MailOutcome.RETRIED)


@transaction.atomic
def drop_mail(user: User, task_id) -> MailHandling:
    """Give a failed mail up: it stays listed as dropped, with who and when."""
    row = _failed_row(user, task_id)
    return _record(user, row, MailOutcome.DROPPED)
