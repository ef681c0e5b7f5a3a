"""The yearly process of a board table, step by step (issue 27)."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from smartdelta.history import HistoryKeepingQuerySet
from smartdelta.versioning import Versioned

from .bodies import BoardTable


class ProcessState(models.TextChoices):
    NOT_STARTED = "niet_gestart", "Niet gestart"
    IN_PROGRESS = "bezig", "Bezig"
    DONE = "gereed", "Gereed"
    STUCK = "vastgelopen", "Vastgelopen"


class Step(models.IntegerChoices):
    AMBITION = 1, "Gezamenlijke ambitie bepalen"
    PROJECTS = 2, "Projecten definiëren"
    INTEREST = 3, "Belangen- en commitmentgesprek"
    COALITIONS = 4, "Coalities vormen"
    AGREEMENTS = 5, "Afspraken maken"
    MONITOR = 6, "Portfolio monitoren en terugkoppelen"
    BOTTLENECKS = 7, "Knelpunten signaleren en adresseren"
    DEVELOP = 8, "Ambitie en visie doorontwikkelen"


class ProcessStep(Versioned):
    """One of the eight standard steps of a table in one cycle (a year)."""

    table = models.ForeignKey(
        BoardTable, on_delete=models.CASCADE, related_name="process_steps", verbose_name="tafel"
    )
    cycle = models.PositiveSmallIntegerField("cyclus (jaar)")
    step = models.PositiveSmallIntegerField("stap", choices=Step.choices)
    state = models.CharField(
        "stand", max_length=12, choices=ProcessState.choices, default=ProcessState.NOT_STARTED
    )
    note = models.CharField("toelichting", max_length=500, blank=True)

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "processtap"
        verbose_name_plural = "processtappen"
        ordering = ["table", "-cycle", "step"]
        constraints = [
            models.UniqueConstraint(fields=["table", "cycle", "step"], name="one_step_per_cycle"),
            models.CheckConstraint(condition=Q(step__gte=1, step__lte=8), name="step_1_to_8"),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in ProcessState]), name="process_state_valid"
            ),
        ]

    def __str__(self):
        return f"{self.table} {self.cycle}: {self.get_step_display()}"

    @property
    def phase(self) -> str:
        return "Contracteren" if self.step <= 5 else "Monitoren"
