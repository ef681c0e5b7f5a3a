"""The digest as a background task: one per user and period, run by `manage.py db_worker`.

`django.tasks` has no scheduler: `manage.py send_digests --period daily|weekly`, run by cron
(README "Deployment"), queues one `send_digest` per user; the task makes the digest and queues
its mail through `smartdelta.mail.queue_mail`, whose retries apply.
"""

import datetime
import logging

from django.tasks import task
from django.utils import timezone

from smartdelta import writers

from . import digest

logger = logging.getLogger(__name__)

# How long a digest waits, each time, for a change still being saved when its period ended,
# and how long in all: a session left open with a write (a stuck process) must not hold every
# digest back for good.
WAIT_FOR_WRITERS = datetime.timedelta(minutes=1)
WAIT_AT_MOST = datetime.timedelta(minutes=30)


@task
def send_digest(user_id: int, period: str, key: str, until: str) -> str:
    """The digest up to `until`, once every change made before `until` is committed.

    A change written just before `until` in a transaction that commits after the digest read
    the history would be in neither this digest nor the next (which starts at `until`): so
    while a writer that began before `until` still runs, the task is queued again for a little
    later (`smartdelta.writers`), for WAIT_AT_MOST after `until` at most."""
    end = datetime.datetime.fromisoformat(until)
    if writers.running_since_before(end):
        now = timezone.now()
        if now < end + WAIT_AT_MOST:
            send_digest.using(run_after=now + WAIT_FOR_WRITERS).enqueue(user_id, period, key, until)
            return "Er wordt nog een wijziging van vóór het einde opgeslagen; straks opnieuw."
        logger.warning(
            "Samenvatting %s van gebruiker %s verstuurd terwijl een transactie van vóór %s nog "
            "loopt (langer dan %s).",
            key,
            user_id,
            until,
            WAIT_AT_MOST,
        )
    return digest.send(user_id, period, key, end)
