"""The milestones of the collaboration itself (issue 29)."""

import datetime

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from smartdelta.history import HistoryKeepingQuerySet
from smartdelta.models import Organisation
from smartdelta.validators import REASON_MAX, MaxTextLength, validate_date_range
from smartdelta.versioning import Versioned


class MilestoneStatus(models.TextChoices):
    PLANNED = "gepland", "Gepland"
    UNDERWAY = "loopt", "Loopt"
    DONE = "afgerond", "Afgerond"
    POSTPONED = "uitgesteld", "Uitgesteld"


class CollaborationMilestone(Versioned):
    """A date that matters to the seven in the collaboration itself, not in one project: the
    transitieplan, the review of the samenwerkingsovereenkomst (seed 002), the founding of
    Smart Delta & Partners (seed 000). Kept by `tables.collaboration`; the regiekamers read it.
    """

    title = models.CharField("mijlpaal", max_length=200)
    due_date = models.DateField("uiterlijk", validators=[validate_date_range])
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="collaboration_milestones",
        verbose_name="eigenaar",
    )
    status = models.CharField(
        "stand", max_length=12, choices=MilestoneStatus.choices, default=MilestoneStatus.PLANNED
    )
    note = models.TextField("toelichting", blank=True, validators=[MaxTextLength(REASON_MAX)])
    is_demo = models.BooleanField("demodata", default=False)

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "mijlpaal van de samenwerking"
        verbose_name_plural = "mijlpalen van de samenwerking"
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in MilestoneStatus]),
                name="collaboration_milestone_status_valid",
            ),
        ]

    def __str__(self):
        return self.title

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status != MilestoneStatus.DONE and self.due_date < today
