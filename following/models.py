"""Following a project, a theme or a table, the digest a follower chooses, and what was sent.

Seed 004, advice 2, the fourth variant of participation: "Geen deelname: Je doet niet mee, je
blijft wel op hoogte van ontwikkelingen." A municipality that does not take part follows what
happens in a digest instead of a mail per event.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from smartdelta.history import HistoryKeepingQuerySet
from smartdelta.versioning import Versioned


class Follow(models.Model):
    """One user follows exactly one project, theme or board table."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="follows",
        verbose_name="gebruiker",
    )
    project = models.ForeignKey(
        "portfolio.Project",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="project",
        null=True,
        blank=True,
    )
    theme = models.ForeignKey(
        "portfolio.Theme",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="thema",
        null=True,
        blank=True,
    )
    table = models.ForeignKey(
        "tables.BoardTable",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="tafel",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField("volgt sinds", default=timezone.now)

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "gevolgd onderwerp"
        verbose_name_plural = "gevolgde onderwerpen"
        ordering = ["user", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(project__isnull=False, theme__isnull=True, table__isnull=True)
                    | Q(project__isnull=True, theme__isnull=False, table__isnull=True)
                    | Q(project__isnull=True, theme__isnull=True, table__isnull=False)
                ),
                name="follow_exactly_one",
            ),
            models.UniqueConstraint(
                fields=["user", "project"],
                condition=Q(project__isnull=False),
                name="follow_project_once",
            ),
            models.UniqueConstraint(
                fields=["user", "theme"], condition=Q(theme__isnull=False), name="follow_theme_once"
            ),
            models.UniqueConstraint(
                fields=["user", "table"], condition=Q(table__isnull=False), name="follow_table_once"
            ),
        ]

    def __str__(self):
        return f"{self.user} volgt {self.subject}"

    @property
    def subject(self):
        return self.project or self.theme or self.table


class DigestPeriod(models.TextChoices):
    NONE = "geen", "Geen samenvatting"
    DAILY = "dagelijks", "Dagelijks"
    WEEKLY = "wekelijks", "Wekelijks"


class DigestPreference(Versioned):
    """How often a user gets the digest of what they follow; weekly from their first follow."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_preference",
        verbose_name="gebruiker",
    )
    period = models.CharField(
        "samenvatting", max_length=10, choices=DigestPeriod.choices, default=DigestPeriod.WEEKLY
    )

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "voorkeur samenvatting"
        verbose_name_plural = "voorkeuren samenvatting"
        constraints = [
            models.CheckConstraint(
                condition=Q(period__in=[p.value for p in DigestPeriod]),
                name="digest_period_valid",
            )
        ]

    def __str__(self):
        return f"{self.user}: {self.get_period_display()}"


class DigestSent(models.Model):
    """One digest of one user for one period (a day or an ISO week): a rerun sends nothing.

    Written by the task in the same transaction that queues the mail; an empty digest is
    recorded too (with no mail), so the next one starts where this one ended.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="gebruiker",
    )
    period = models.CharField("soort", max_length=10, choices=DigestPeriod.choices)
    key = models.CharField("periode", max_length=10, help_text="2026-11-30 of 2026-W49.")
    since = models.DateTimeField("wijzigingen vanaf")
    until = models.DateTimeField("wijzigingen tot")
    items = models.PositiveIntegerField("aantal meldingen", default=0)
    sent_at = models.DateTimeField("verstuurd op", default=timezone.now)

    # Bookkeeping of the task, written once and never changed: no history of its own.

    class Meta:
        verbose_name = "verstuurde samenvatting"
        verbose_name_plural = "verstuurde samenvattingen"
        ordering = ["-sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "period", "key"], name="one_digest_per_period")
        ]

    def __str__(self):
        return f"{self.user} {self.key}"
