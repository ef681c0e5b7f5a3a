"""The digest as a background task: one per user and period, run by `manage.py db_worker`.

`django.tasks` has no scheduler: `manage.py send_digests --period daily|weekly`, run by cron
(README "Deployment"), queues one `send_digest` per user; the task makes the digest and queues
its mail through `smartdelta.mail.queue_mail`, whose retries apply.
"""

import datetime

from django.tasks import task

from . import digest


@task
def send_digest(user_id: int, period: str, key: str, until: str) -> str:
    return digest.send(user_id, period, key, datetime.datetime.fromisoformat(until))
