"""Work that can wait for the worker (`manage.py db_worker`): the mails of the portal.

A mail is queued as part of the change it announces (`queue_mail`, called inside the change's
transaction) and the worker sends it after the commit, so a request never waits on the mail
server. The queue is a table in the portal's own database (django-tasks-db).

A failed send is tried again later, with a pause that doubles each time (MAIL_RETRY_SECONDS,
2×, 4×, ...), up to MAIL_MAX_ATTEMPTS attempts in all; the backend itself does not retry. The
last failure stays in the queue with status "mislukt", and `beheer` sees it in the admin
(Achtergrondtaken). Earlier attempts end "geslaagd" with a return value saying they were
rescheduled, so the failed list holds exactly the mails that never went out.
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

logger = logging.getLogger(__name__)


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
