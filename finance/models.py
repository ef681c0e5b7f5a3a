"""Budget years, their lines and financing, and the free text of the council letter.

What each municipality pays is computed (finance.contributions over finance.allocation), never
stored: it follows from these rows, the inhabitants and the portfolio's commitments.
"""

import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from smartdelta.history import HistoryKeepingQuerySet
from smartdelta.models import Organisation

MONEY = {"max_digits": 13, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class BudgetStatus(models.TextChoices):
    CONCEPT = "concept", "Concept"
    ADOPTED = "vastgesteld", "Vastgesteld"


class Component(models.IntegerChoices):
    NETWORK = 1, "Component 1 – onderhoud van het netwerk"
    BASE = 2, "Component 2 – gezamenlijke basisfinanciering van projecten"
    PROJECTS = 3, "Component 3 – financiering van specifieke projecten"

    @property
    def short(self) -> str:
        return f"Component {self.value}"


class BudgetYear(models.Model):
    year = models.PositiveSmallIntegerField(
        "begrotingsjaar",
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    status = models.CharField(
        "status", max_length=12, choices=BudgetStatus.choices, default=BudgetStatus.CONCEPT
    )
    indexation_percent = models.DecimalField(
        "indexatie t.o.v. vorig jaar (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("-50")), MaxValueValidator(Decimal("50"))],
    )
    reference_date = models.DateField(
        "peildatum inwonertallen",
        help_text="Het inwonertal op of vóór deze datum bepaalt de inwonerbijdrage.",
    )
    carried_over = models.DecimalField(
        "tekort (+) of overschot (−) uit het vorige jaar",
        default=Decimal("0"),
        help_text="Een tekort verhoogt wat de zeven gemeenten betalen, een overschot verlaagt het.",
        **MONEY,
    )
    note = models.TextField("toelichting", blank=True)
    version = models.PositiveIntegerField("versie", default=1)

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "begrotingsjaar"
        verbose_name_plural = "begrotingsjaren"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in BudgetStatus]),
                name="budget_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="budget_year_sensible"
            ),
        ]

    def __str__(self):
        return f"Begroting {self.year}"

    @property
    def is_adopted(self) -> bool:
        return self.status == BudgetStatus.ADOPTED

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)


class BudgetLine(models.Model):
    budget = models.ForeignKey(
        BudgetYear, on_delete=models.CASCADE, related_name="lines", verbose_name="begroting"
    )
    name = models.CharField("post", max_length=150)
    component = models.PositiveSmallIntegerField("component", choices=Component.choices)
    amount = models.DecimalField("begroot", validators=NON_NEGATIVE, **MONEY)
    realised = models.DecimalField(
        "gerealiseerd", null=True, blank=True, validators=NON_NEGATIVE, **MONEY
    )
    order = models.PositiveSmallIntegerField("volgorde", default=0)

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "begrotingspost"
        verbose_name_plural = "begrotingsposten"
        ordering = ["component", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "name"], name="one_line_per_name"),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & (Q(realised__isnull=True) | Q(realised__gte=0)),
                name="budget_line_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(component__in=[1, 2, 3]), name="budget_line_component_valid"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def difference(self) -> Decimal | None:
        return None if self.realised is None else self.realised - self.amount


class FinancingKind(models.TextChoices):
    NEIGHBOUR = "buurgemeente", "Vaste bijdrage buurgemeente"
    OTHER = "overig", "Overige inkomsten"


class Financing(models.Model):
    """Money for components 1 and 2 from others than the 7 (their share is computed)."""

    budget = models.ForeignKey(
        BudgetYear, on_delete=models.CASCADE, related_name="financing", verbose_name="begroting"
    )
    kind = models.CharField("soort", max_length=12, choices=FinancingKind.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="organisatie",
    )
    description = models.CharField("omschrijving", max_length=200)
    amount = models.DecimalField("bedrag", validators=NON_NEGATIVE, **MONEY)
    realised = models.DecimalField(
        "ontvangen", null=True, blank=True, validators=NON_NEGATIVE, **MONEY
    )

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "financiering"
        verbose_name_plural = "financiering"
        ordering = ["kind", "description"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0) & (Q(realised__isnull=True) | Q(realised__gte=0)),
                name="financing_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in FinancingKind]),
                name="financing_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.description}: {self.amount}"


class LetterText(models.Model):
    """The free text of a year's council letter, written by the programme office."""

    budget = models.OneToOneField(
        BudgetYear, on_delete=models.CASCADE, related_name="letter", verbose_name="begroting"
    )
    subject = models.CharField("onderwerp", max_length=200)
    portfolio_holder = models.CharField("portefeuillehouder", max_length=150, blank=True)
    introduction = models.TextField("inleiding")
    key_message = models.TextField("kernboodschap")
    consequences = models.TextField(
        "consequenties",
        blank=True,
        help_text="Staat boven de tabel en de grafiek met de bijdrage van de gemeente.",
    )
    next_steps = models.TextField("vervolg")
    version = models.PositiveIntegerField("versie", default=1)

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "tekst raadsinformatiebrief"
        verbose_name_plural = "teksten raadsinformatiebrief"

    def __str__(self):
        return f"Raadsinformatiebrief {self.budget.year}"
