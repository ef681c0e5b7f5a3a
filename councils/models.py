"""Council procedures (seed 000/001) and personal calendar subscriptions.

A raadsprocedure is one proposal going to the seven councils; each council's part is a
`CouncilStep`. Both change only through `councils.procedures`, which checks the permission and
the version the user saw, so django-simple-history names who changed what.

`CalendarSubscription` lives here rather than in `tables` so that the calendar feeds add no
migration to the tables app; the feeds themselves are written by `meetings.calendar`.
"""

import datetime
import hashlib

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from smartdelta.history import HistoryKeepingQuerySet
from smartdelta.models import Organisation
from smartdelta.validators import DESCRIPTION_MAX, MaxTextLength, validate_date_range
from smartdelta.versioning import Versioned


class ProcedureKind(models.TextChoices):
    WISHES = "wensen_en_bedenkingen", "Wensen en bedenkingen"
    VIEW = "zienswijze", "Zienswijze"
    DECISION = "besluit", "Besluit"


class Outcome(models.TextChoices):
    OPEN = "open", "Open"
    AGREED = "ingestemd", "Ingestemd"
    WISHES_SUBMITTED = "wensen_ingediend", "Wensen en bedenkingen ingediend"
    VIEW_SUBMITTED = "zienswijze_ingediend", "Zienswijze ingediend"
    REJECTED = "verworpen", "Verworpen"
    POSTPONED = "aangehouden", "Aangehouden"


# An outcome that only fits one kind of procedure: a council submits wensen en bedenkingen
# only in that procedure, a zienswijze only in a zienswijze procedure.
OUTCOME_NEEDS_KIND = {
    Outcome.WISHES_SUBMITTED: ProcedureKind.WISHES,
    Outcome.VIEW_SUBMITTED: ProcedureKind.VIEW,
}


class CouncilProcedureQuerySet(HistoryKeepingQuerySet):
    def for_user(self, user):
        """Every signed-in person may read council procedures: they are public council work."""
        return self if user.is_authenticated else self.none()


class CouncilProcedure(Versioned):
    """One proposal that goes to the seven councils, with the date all should have decided by."""

    title = models.CharField("titel", max_length=200)
    description = models.TextField(
        "toelichting", blank=True, validators=[MaxTextLength(DESCRIPTION_MAX)]
    )
    deadline = models.DateField("uiterste datum", validators=[validate_date_range])
    default_kind = models.CharField("soort procedure", max_length=24, choices=ProcedureKind.choices)
    # What the proposal is about, when it is one theme or project (issue 27: "The raadsprocedure
    # page (wensen en bedenkingen) shows the same results for the subject it is about"), read by
    # `results.subject`. Optional: a proposal about the collaboration as a whole has neither. A
    # deleted subject leaves the procedure (and its history names what it was).
    theme = models.ForeignKey(
        "portfolio.Theme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="council_procedures",
        verbose_name="thema",
    )
    project = models.ForeignKey(
        "portfolio.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="council_procedures",
        verbose_name="project",
    )
    # The uitvoeringsorganisatie whose founding this procedure precedes (seed 000, "Vervolg":
    # "Wensen en bedenkingen procedures met de gemeenteraden", then "Q1 2026 oprichting
    # Uitvoeringsorganisatie Smart Delta en Partners"): the page shows its founding decision.
    # Set by `tables.company` (found_company, record_founding), read with the procedure.
    company = models.ForeignKey(
        "tables.Company",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="council_procedures",
        verbose_name="oprichting van uitvoeringsorganisatie",
    )
    created_at = models.DateTimeField("aangemaakt op", default=timezone.now)

    history = HistoricalRecords()
    objects = CouncilProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = "raadsprocedure"
        verbose_name_plural = "raadsprocedures"
        ordering = ["-deadline", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(default_kind__in=[k.value for k in ProcedureKind]),
                name="council_procedure_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="council_procedure_version_positive"
            ),
        ]

    def __str__(self):
        return self.title


class CouncilStep(Versioned):
    """One council's part in a procedure: which procedure, when it meets, and what it decided."""

    procedure = models.ForeignKey(
        CouncilProcedure,
        on_delete=models.CASCADE,
        related_name="steps",
        verbose_name="raadsprocedure",
    )
    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="council_steps",
        verbose_name="gemeente",
    )
    kind = models.CharField("procedure", max_length=24, choices=ProcedureKind.choices)
    council_date = models.DateField(
        "raadsvergadering", null=True, blank=True, validators=[validate_date_range]
    )
    outcome = models.CharField(
        "uitkomst", max_length=24, choices=Outcome.choices, default=Outcome.OPEN
    )
    document_reference = models.CharField(
        "raadsstuk", max_length=200, blank=True, help_text="Kenmerk of titel van het raadsstuk."
    )
    document_url = models.URLField(
        "link naar het raadsstuk",
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
    )

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "raadsbehandeling"
        verbose_name_plural = "raadsbehandelingen"
        ordering = ["procedure", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "municipality"], name="one_council_step_per_municipality"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in ProcedureKind]),
                name="council_step_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=[o.value for o in Outcome]),
                name="council_step_outcome_valid",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="council_step_version_positive"
            ),
        ]

    def __str__(self):
        return f"{self.municipality}: {self.procedure}"

    def is_overdue(self, today: datetime.date) -> bool:
        """Still open after the procedure's deadline."""
        return self.outcome == Outcome.OPEN and self.procedure.deadline < today


def hash_token(token: str) -> str:
    """Only the SHA-256 of a calendar token is stored: a copy of the database opens no feed."""
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarSubscriptionQuerySet(HistoryKeepingQuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class CalendarSubscription(models.Model):
    """A personal secret feed URL for the meetings of one table or one regiekamer."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_subscriptions",
        verbose_name="gebruiker",
    )
    table = models.ForeignKey(
        "tables.BoardTable",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="tafel",
        null=True,
        blank=True,
    )
    regiekamer = models.ForeignKey(
        "tables.Regiekamer",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="regiekamer",
        null=True,
        blank=True,
    )
    token_hash = models.CharField("sleutel (SHA-256)", max_length=64, unique=True)
    created_at = models.DateTimeField("aangemaakt op", default=timezone.now)
    revoked_at = models.DateTimeField("ingetrokken op", null=True, blank=True)

    history = HistoricalRecords()
    objects = CalendarSubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = "agenda-abonnement"
        verbose_name_plural = "agenda-abonnementen"
        ordering = ["user", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(table__isnull=False) & Q(regiekamer__isnull=True))
                | (Q(table__isnull=True) & Q(regiekamer__isnull=False)),
                name="subscription_of_table_or_regiekamer",
            )
        ]

    def __str__(self):
        return f"{self.user}: {self.scope}"

    @property
    def scope(self):
        return self.table or self.regiekamer
