"""Budget years, their lines and financing, amendments, and the council letters.

What each municipality pays is computed (finance.contributions over finance.allocation) from
these rows, the inhabitants and the portfolio's confirmed commitments. It is stored only where
it was sent: an issued council letter keeps its PDF and its figures.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from smartdelta.formatting import format_date
from smartdelta.history import HistoryKeepingQuerySet
from smartdelta.models import Organisation
from smartdelta.versioning import Versioned

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


class BudgetYear(Versioned):
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
    contribution = models.DecimalField(
        "inwonerbijdrage van de zeven gemeenten",
        default=Decimal("0"),
        validators=NON_NEGATIVE,
        help_text="Het afgesproken totaal: het bedrag van vorig jaar met de indexatie van dit "
        "jaar. Ligt vast zodra de begroting is vastgesteld.",
        **MONEY,
    )
    forecast_indexation = models.DecimalField(
        "verwachte indexatie voor de jaren erna (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("-50")), MaxValueValidator(Decimal("50"))],
        help_text="De aanname voor de meerjarenraming, zolang die jaren geen eigen begroting hebben.",
    )
    carried_over = models.DecimalField(
        "tekort (+) of overschot (−) uit het vorige jaar",
        default=Decimal("0"),
        help_text="Een tekort hoort bij de financiële uitdaging van dit jaar: het wordt binnen "
        "de begroting opgelost en nooit extra bij de gemeenten in rekening gebracht.",
        **MONEY,
    )
    adopted_on = models.DateField("vastgesteld op", null=True, blank=True)
    decision_reference = models.CharField(
        "kenmerk besluit vaststelling", max_length=100, blank=True
    )
    note = models.TextField("toelichting", blank=True, max_length=2000)

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
            models.CheckConstraint(
                condition=Q(contribution__gte=0), name="budget_contribution_not_negative"
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

    def version_label(self, amendments: int | None = None) -> str:
        """Which version of the budget a page, export or letter shows, in words."""
        if not self.is_adopted:
            return f"Conceptbegroting {self.year}"
        label = f"Vastgestelde begroting {self.year}"
        decision = [
            format_date(self.adopted_on) if self.adopted_on else "",
            self.decision_reference,
        ]
        if any(decision):
            label += f" ({', '.join(part for part in decision if part)})"
        if amendments:
            label += f", inclusief begrotingswijziging {amendments}"
        return label


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
    PARTNER = "partner", "Bijdrage partner"
    SUBSIDY = "subsidie", "Subsidie"
    OTHER = "overig", "Overige inkomsten"


class FinancingStatus(models.TextChoices):
    """Only committed or received money covers lines (seed 002: "nog geen concrete toezegging")."""

    HOPED = "gehoopt", "Gehoopt"
    COMMITTED = "toegezegd", "Toegezegd"
    RECEIVED = "ontvangen", "Ontvangen"


class Financing(models.Model):
    """Money for components 1 and 2 from others than the seven: a neighbour's fixed
    contribution to the base, a partner, a subsidy. A neighbour's commitment on a project is
    other money: it is a position on that project (component 3), never a row here."""

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
    status = models.CharField(
        "status",
        max_length=10,
        choices=FinancingStatus.choices,
        default=FinancingStatus.HOPED,
        help_text="Alleen toegezegd of ontvangen geld dekt posten.",
    )
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
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in FinancingStatus]),
                name="financing_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.description}: {self.amount}"

    @property
    def covers(self) -> bool:
        return self.status != FinancingStatus.HOPED


class LetterText(Versioned):
    """The free text of a year's council letter, written by the programme office."""

    budget = models.OneToOneField(
        BudgetYear, on_delete=models.CASCADE, related_name="letter", verbose_name="begroting"
    )
    subject = models.CharField("onderwerp", max_length=200)
    portfolio_holder = models.CharField(
        "portefeuillehouder",
        max_length=150,
        blank=True,
        help_text="Alleen gebruikt als de gemeente zelf geen portefeuillehouder heeft ingevuld.",
    )
    introduction = models.TextField("inleiding", max_length=4000)
    key_message = models.TextField("kernboodschap", max_length=4000)
    consequences = models.TextField(
        "consequenties",
        blank=True,
        max_length=4000,
        help_text="Staat boven de tabel en de grafiek met de bijdrage van de gemeente.",
    )
    next_steps = models.TextField("vervolg", max_length=4000)

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "tekst raadsinformatiebrief"
        verbose_name_plural = "teksten raadsinformatiebrief"

    def __str__(self):
        return f"Raadsinformatiebrief {self.budget.year}"


class BudgetAmendment(models.Model):
    """A numbered change of an adopted budget (begrotingswijziging): what, why, who, when.

    After adoption, lines and financing change only together with one of these
    (`finance.budget.save_budget`); `changes` lists what moved, as the users saw it.
    """

    budget = models.ForeignKey(
        BudgetYear, on_delete=models.CASCADE, related_name="amendments", verbose_name="begroting"
    )
    number = models.PositiveSmallIntegerField("nummer")
    title = models.CharField("wat wijzigt", max_length=200)
    reason = models.TextField("waarom", max_length=2000)
    decision_reference = models.CharField("kenmerk besluit", max_length=100)
    decision_date = models.DateField("datum besluit")
    changes = models.TextField("wijzigingen", blank=True, max_length=20000)
    created_at = models.DateTimeField("vastgelegd op", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="vastgelegd door",
    )

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "begrotingswijziging"
        verbose_name_plural = "begrotingswijzigingen"
        ordering = ["budget", "number"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "number"], name="one_amendment_per_number")
        ]

    def __str__(self):
        return f"Begrotingswijziging {self.number} ({self.budget.year}): {self.title}"


class LetterParticulars(Versioned):
    """A municipality's own particulars of its council letter, kept by that municipality."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="letter_particulars",
        verbose_name="gemeente",
    )
    addressee = models.CharField(
        "geadresseerde", max_length=200, help_text="Bijvoorbeeld: Aan de gemeenteraad van …"
    )
    portfolio_holder = models.CharField("portefeuillehouder", max_length=150)
    reference_prefix = models.CharField(
        "kenmerk of zaaknummer",
        max_length=60,
        help_text="Het kenmerk van de gemeente; het volgnummer van de brief komt erachter.",
    )
    first_signatory_title = models.CharField("eerste ondertekenaar: functie", max_length=100)
    first_signatory_name = models.CharField("eerste ondertekenaar: naam", max_length=150)
    second_signatory_title = models.CharField("tweede ondertekenaar: functie", max_length=100)
    second_signatory_name = models.CharField("tweede ondertekenaar: naam", max_length=150)

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "briefgegevens gemeente"
        verbose_name_plural = "briefgegevens gemeenten"

    def __str__(self):
        return f"Briefgegevens {self.organisation}"


class IssuedLetter(models.Model):
    """A council letter as it was sent: its PDF and its figures, never recomputed.

    A later change to the budget or the positions produces a new letter with the next number;
    the old one stays downloadable exactly as it was.
    """

    budget = models.ForeignKey(
        BudgetYear,
        on_delete=models.PROTECT,
        related_name="issued_letters",
        verbose_name="begroting",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="gemeente"
    )
    number = models.PositiveSmallIntegerField("volgnummer")
    reference = models.CharField("kenmerk", max_length=100)
    issued_on = models.DateField("datum")
    issued_at = models.DateTimeField("uitgebracht op", default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="uitgebracht door",
    )
    budget_version = models.CharField("versie van de begroting", max_length=300)
    figures = models.JSONField("bedragen in de brief")
    pdf = models.BinaryField("PDF")
    sha256 = models.CharField("controlegetal", max_length=64)

    # Who issued what and when; the PDF itself is kept once, on the row.
    history = HistoricalRecords(excluded_fields=["pdf"])
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "uitgebrachte raadsinformatiebrief"
        verbose_name_plural = "uitgebrachte raadsinformatiebrieven"
        ordering = ["budget", "organisation", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "organisation", "number"], name="one_letter_per_number"
            )
        ]

    def __str__(self):
        return f"Raadsinformatiebrief {self.budget.year} {self.organisation} nr. {self.number}"


class FiguresClock(models.Model):
    """One row whose tick every write that can move money raises, in that write's transaction.

    The raise locks the row until commit, so those writes are serialised and their ticks follow
    commit order: a reader that saw tick N has seen every change up to N. See finance/clock.py.
    """

    tick = models.BigIntegerField("stand", default=0)
    # Unique to the write that set this tick: a tick number written by a transaction that rolled
    # back is written again by the next one, with another stamp.
    stamp = models.CharField("kenmerk", max_length=32, default="", editable=False)

    class Meta:
        verbose_name = "stand van de bedragen"
        verbose_name_plural = "stand van de bedragen"

    def __str__(self):
        return str(self.tick)


class FiguresChange(models.Model):
    """What a tick changed: one project's positions, or (project empty) anything else."""

    tick = models.BigIntegerField("stand", db_index=True)
    stamp = models.CharField("kenmerk", max_length=32, default="", editable=False)
    project_id = models.BigIntegerField("project", null=True)

    class Meta:
        verbose_name = "wijziging van de bedragen"
        verbose_name_plural = "wijzigingen van de bedragen"

    def __str__(self):
        return f"{self.tick}: {self.project_id or 'alles'}"
