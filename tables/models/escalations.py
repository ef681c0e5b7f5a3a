"""Escalations to the regiekamers, their events and comments.

Escalations change only through `tables.escalations`, which also writes the append-only
`EscalationEvent` log.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from portfolio.models import Project
from smartdelta import permissions
from smartdelta.expressions import Constant
from smartdelta.history import HistoryKeepingQuerySet
from smartdelta.validators import DESCRIPTION_MAX, MaxTextLength, validate_date_range
from smartdelta.versioning import Versioned

from .bodies import BoardTable, Regiekamer


class Category(models.TextChoices):
    AGREEMENT = "afspraak", "Afspraak niet nagekomen"
    CAPACITY = "capaciteit", "Capaciteit of levering van ambtenaren"
    DECISION_QUALITY = "besluitvorming", "Kwaliteit van besluitvorming"
    SCOPE = "scope", "Scope of samenstelling"
    CROSS_THEME = "thema_overstijgend", "Thema-overstijgend knelpunt"
    OTHER = "overig", "Overig"


class Urgency(models.TextChoices):
    NORMAL = "normaal", "Normaal"
    HIGH = "hoog", "Hoog"
    URGENT = "spoed", "Spoed"


class EscalationState(models.TextChoices):
    SUBMITTED = "ingediend", "Ingediend"
    IN_PROGRESS = "in_behandeling", "In behandeling"
    DECIDED = "besloten", "Besloten"
    CLOSED = "afgehandeld", "Afgehandeld"


OPEN_STATES = [EscalationState.SUBMITTED, EscalationState.IN_PROGRESS]


class EscalationQuerySet(HistoryKeepingQuerySet):
    def for_user(self, user):
        """Regiekamer members and the programme office see all; others only what they raised.

        Councillors (and anyone without a role in the collaboration) see none.
        """
        if not permissions.has_collaboration_role(user):
            return self.none()
        if permissions.sees_all_escalations(user):
            return self
        return self.filter(reporter=user)

    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def not_closed(self):
        """Every escalation not yet closed, as the regiekamer overview lists them.

        The condition is the partial index's (`escalation_regiekamer_open`), written into the
        SQL (smartdelta.expressions.Constant) so that a prepared statement's generic plan can
        use the index instead of planning the query on every request.
        """
        return self.exclude(state=Constant(EscalationState.CLOSED))

    def overdue(self, today: datetime.date | None = None):
        return self.open().filter(deadline__lt=today or timezone.localdate())

    def on_agenda_of(self, meeting, *, is_next: bool):
        """What a regiekamer meeting discusses: the escalations put on its agenda and, for the
        regiekamer's next meeting (`is_next`), the submitted ones not yet put on any."""
        scheduled = Q(meeting=meeting)
        if is_next:
            scheduled |= Q(meeting__isnull=True, state=EscalationState.SUBMITTED)
        return self.filter(scheduled).with_related().order_by("deadline", "pk")

    def with_related(self):
        return self.select_related(
            "regiekamer",
            "reporter__organisation",
            "owner",
            "project",
            "table__theme",
            "meeting",
        )


class Escalation(Versioned):
    title = models.CharField("titel", max_length=200)
    description = models.TextField("omschrijving", validators=[MaxTextLength(DESCRIPTION_MAX)])
    category = models.CharField("categorie", max_length=20, choices=Category.choices)
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        related_name="escalations",
        verbose_name="project",
        null=True,
        blank=True,
    )
    table = models.ForeignKey(
        BoardTable,
        on_delete=models.PROTECT,
        related_name="escalations",
        verbose_name="tafel",
        null=True,
        blank=True,
    )
    urgency = models.CharField(
        "urgentie", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    regiekamer = models.ForeignKey(
        Regiekamer,
        on_delete=models.PROTECT,
        related_name="escalations",
        verbose_name="regiekamer",
    )
    state = models.CharField(
        "status", max_length=16, choices=EscalationState.choices, default=EscalationState.SUBMITTED
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reported_escalations",
        verbose_name="ingediend door",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_escalations",
        verbose_name="behandelaar",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="escalations",
        verbose_name="geagendeerd voor",
    )
    decision = models.TextField("besluit", blank=True, validators=[MaxTextLength(DESCRIPTION_MAX)])
    deadline = models.DateField("reactietermijn", validators=[validate_date_range])
    created_at = models.DateTimeField("ingediend op", default=timezone.now)

    history = HistoricalRecords()
    objects = EscalationQuerySet.as_manager()

    class Meta:
        verbose_name = "escalatie"
        verbose_name_plural = "escalaties"
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["state", "deadline"], name="escalation_open_deadline"),
            # The regiekamer overview: one page of a regiekamer's open escalations, nearest deadline
            # first, read from the index instead of sorting thousands of rows.
            models.Index(
                fields=["regiekamer", "deadline", "id"],
                condition=~Q(state="afgehandeld"),
                name="escalation_regiekamer_open",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in EscalationState]),
                name="escalation_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(category__in=[c.value for c in Category]),
                name="escalation_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(urgency__in=[u.value for u in Urgency]),
                name="escalation_urgency_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["besloten", "afgehandeld"]) | ~Q(decision=""),
                name="decided_escalation_has_decision",
            ),
            models.CheckConstraint(
                condition=~Q(state="in_behandeling") | Q(owner__isnull=False),
                name="escalation_in_progress_has_owner",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="escalation_version_positive"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())

    def is_overdue_on(self, today: datetime.date) -> bool:
        return self.is_open and self.deadline < today

    @property
    def is_escalated(self) -> bool:
        return not self.regiekamer.is_ambtelijk


class EscalationEvent(models.Model):
    """One transition of an escalation: who, when, from what to what, and why. Append-only."""

    escalation = models.ForeignKey(
        Escalation, on_delete=models.CASCADE, related_name="events", verbose_name="escalatie"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="door"
    )
    # The programme office records a regiekamer's decision only on its chair's behalf
    # (`tables.escalations`): then this names the chair, and the actor is the office.
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="namens de voorzitter",
        null=True,
        blank=True,
    )
    at = models.DateTimeField("op", default=timezone.now)
    action = models.CharField("handeling", max_length=20)
    from_state = models.CharField(
        "van status", max_length=16, choices=EscalationState.choices, blank=True
    )
    to_state = models.CharField("naar status", max_length=16, choices=EscalationState.choices)
    from_regiekamer = models.ForeignKey(
        Regiekamer,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="van regiekamer",
        null=True,
        blank=True,
    )
    to_regiekamer = models.ForeignKey(
        Regiekamer, on_delete=models.PROTECT, related_name="+", verbose_name="naar regiekamer"
    )
    # A decision without a separate reason is logged as the reason: room for a decision.
    reason = models.TextField(
        "toelichting", blank=True, validators=[MaxTextLength(DESCRIPTION_MAX)]
    )

    class Meta:
        verbose_name = "escalatiestap"
        verbose_name_plural = "escalatiestappen"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.escalation}: {self.action}"


class EscalationComment(models.Model):
    escalation = models.ForeignKey(
        Escalation, on_delete=models.CASCADE, related_name="comments", verbose_name="escalatie"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="auteur"
    )
    at = models.DateTimeField("op", default=timezone.now)
    text = models.TextField("reactie", validators=[MaxTextLength(DESCRIPTION_MAX)])

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "reactie"
        verbose_name_plural = "reacties"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"Reactie van {self.author} op {self.escalation}"
