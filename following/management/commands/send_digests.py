"""Queue today's (or this week's) digests: one task per user who chose this period and follows
something or coordinates for a municipality (weekly for a coordinator who never chose).

Idempotent: a user whose digest of this day or week is recorded (`DigestSent`) gets no task, and
the task itself checks again, so a rerun – or two at once – never sends twice.
"""

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from following import digest
from following.models import DigestPeriod, DigestSent
from following.tasks import send_digest
from smartdelta.models import User


class Command(BaseCommand):
    help = (
        "Zet de samenvattingen voor volgers in de wachtrij (--period daily of weekly); "
        "manage.py db_worker verstuurt ze."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", choices=["daily", "weekly"], required=True)

    def handle(self, *args, period, **options):
        period = DigestPeriod.DAILY if period == "daily" else DigestPeriod.WEEKLY
        until = timezone.now()
        key = digest.period_key(period, until)
        done = DigestSent.objects.filter(period=period, key=key).values("user_id")
        coordinates = Q(coordinations__isnull=False) | Q(deputy_coordinations__isnull=False)
        chose = Q(digest_preference__period=period)
        if period == DigestPeriod.WEEKLY:
            # The default, for a coordinator who never chose (following.digest.send).
            chose |= Q(digest_preference__isnull=True) & coordinates
        users = (
            User.objects.filter(chose, is_active=True)
            .filter(Q(follows__isnull=False) | coordinates)
            .exclude(email="")
            .exclude(pk__in=done)
            .distinct()
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        queued = 0
        for user_id in users.iterator():
            send_digest.enqueue(user_id, period, key, until.isoformat())
            queued += 1
        self.stdout.write(f"{queued} samenvatting(en) voor {key} in de wachtrij gezet.")
