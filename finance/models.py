"""Budget years, their lines and financing, amendments, and the council letters.

What each municipality pays for component 3 is kept in `ProjectYear` and `Share` rows, written
by `finance.shares` in the transaction of the change that moves them; components 1 and 2 are
computed from the budget and the inhabitants when read (`finance.figures`). An issued council
letter keeps its PDF and its figures as they were sent.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from portfolio.models import FundingStatus
from smartdelta.formatting import format_date
from smartdelta.history import HistoryKeepingQuerySet
from smartdelta.models import Organisation
from smartdelta.validators import validate_date_range
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
        validators=[validate_date_range],
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
    # Seed 002: "besloten om de huidige begroting budgetneutraal voort te zetten in 2025". Until
    # the next year has an adopted budget of its own, the meerjarenraming shows it unchanged,
    # as decided, instead of indexed by the expected indexation (an assumption).
    next_year_unchanged = models.BooleanField(
        "besloten: het jaar erna budgetneutraal voortzetten",
        default=False,
        help_text="Het jaar erna gelden dezelfde bedragen, zolang er voor dat jaar geen eigen "
        "vastgestelde begroting is.",
    )
    carried_over = models.DecimalField(
        "tekort (+) of overschot (−) uit het vorige jaar",
        default=Decimal("0"),
        help_text="Een tekort hoort bij de financiële uitdaging van dit jaar: het wordt binnen "
        "de begroting opgelost en nooit extra bij de gemeenten in rekening gebracht.",
        **MONEY,
    )
    adopted_on = models.DateField(
        "vastgesteld op", null=True, blank=True, validators=[validate_date_range]
    )
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


# Only committed or received money covers lines (seed 002: "nog geen concrete toezegging"). One
# definition with a project's outside money, which the multiplier counts by the same rule.
FinancingStatus = FundingStatus


class Financing(models.Model):
    """Money for components 1 and 2 from others than the seven: a neighbour's fixed
    contribution to the base, a partner, a subsidy. A neighbour's money for a project is other
    money: it comes with its position on that project (component 3), never a row here."""

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
    decision_date = models.DateField("datum besluit", validators=[validate_date_range])
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
    issued_on = models.DateField("datum", validators=[validate_date_range])
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


def derived_from(model, name: str) -> models.ForeignKey:
    """A key of a stored figure to what it is derived from. Not a database constraint: the rows
    of a project that is being deleted are written once more by its positions' deletion, then
    removed by its own (finance.shares)."""
    return models.ForeignKey(
        model,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=name,
    )


class ProjectYear(models.Model):
    """Component 3 of one project in one year, as the positions stand: kept by the database.

    Written only by `finance.shares`, in the transaction of the change that moves it (a
    position, a project, the inhabitants or the budgets' reference dates); pages, exports and
    letters read these rows. `binding` says whether the project's coalition is final: only then
    does it ask money of its participants (README "How the money is divided").
    """

    project = derived_from("portfolio.Project", "project")
    # The project's theme, kept beside it: the multiplier sums what the seven pay per theme
    # from these rows alone (`finance.multiplier`), not through every project of the year.
    theme = models.ForeignKey(
        "portfolio.Theme",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name="thema",
        null=True,
    )
    year = models.PositiveSmallIntegerField("jaar")
    binding = models.BooleanField("coalitie definitief", default=False)
    reference_date = models.DateField("peildatum inwonertallen", validators=[validate_date_range])
    year_cost = models.DecimalField("kosten dit jaar", **MONEY)
    core = models.DecimalField("betaald door de zeven", **MONEY)
    others = models.DecimalField("betaald door anderen", **MONEY)
    gap = models.DecimalField("financieringstekort", **MONEY)
    surplus = models.DecimalField("overschot", **MONEY)
    forecast_gap = models.DecimalField("financieringstekort volgens prognose", **MONEY)
    # The position of each of the seven as everyone may read it ({organisation id: variant, ""
    # when none}): what the report's counts per position are kept from (`PartyYear`).
    stances = models.JSONField("posities van de zeven", default=dict)

    class Meta:
        verbose_name = "projectjaar"
        verbose_name_plural = "projectjaren"
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="one_row_per_project_year")
        ]
        indexes = [
            # The budget page's project list: those with a gap first, then the most expensive.
            models.Index(
                "year",
                models.F("gap").desc(),
                models.F("year_cost").desc(),
                "project",
                name="project_year_order",
            ),
            # What the seven pay per theme in a year, read from the index alone.
            models.Index(fields=["year", "theme", "core"], name="project_year_by_theme"),
        ]

    def __str__(self):
        return f"{self.project_id} {self.year}"


class Share(models.Model):
    """What one organisation pays for one project in one year (only rows that are not all 0).

    `money` is what binds (the coalition is final and the position confirmed); `forecast` is
    the prognose under the positions as they stand (submitted changes included); `maximum` is
    what a confirmed participant would pay if no one else joined (equal to `money` once the
    coalition is final). Written only by `finance.shares`.
    """

    # Not a database constraint: the rows of a project that is being deleted are written once
    # more by its positions' deletion, then removed by its own (finance.shares).
    project = derived_from("portfolio.Project", "project")
    year = models.PositiveSmallIntegerField("jaar")
    organisation = derived_from(Organisation, "organisatie")
    money = models.DecimalField("bijdrage", **MONEY)
    forecast = models.DecimalField("prognose", **MONEY)
    maximum = models.DecimalField("maximaal", **MONEY)

    class Meta:
        verbose_name = "bijdrage aan een project"
        verbose_name_plural = "bijdragen aan projecten"
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "organisation"], name="one_share_per_project_year"
            )
        ]
        indexes = [
            # A municipality's projects of a year, the largest payment first (report, letter).
            models.Index(
                "organisation",
                "year",
                models.F("money").desc(),
                models.F("forecast").desc(),
                name="share_by_organisation",
            ),
            # What each party pays in a year (the contributions table, the meerjarenraming).
            models.Index(
                fields=["year", "organisation", "money", "forecast", "maximum"],
                name="share_by_year",
            ),
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.project_id} {self.year}: {self.money}"


class PartyYear(models.Model):
    """What one organisation pays for component 3 in one year, summed over its `Share` rows:
    kept by `finance.shares` in the same transaction as those rows (each save adds its
    difference, under the row's lock), so a page reads seven rows, not thousands."""

    year = models.PositiveSmallIntegerField("jaar")
    organisation = derived_from(Organisation, "organisatie")
    money = models.DecimalField("bijdrage", default=Decimal("0"), **MONEY)
    forecast = models.DecimalField("prognose", default=Decimal("0"), **MONEY)
    maximum = models.DecimalField("maximaal", default=Decimal("0"), **MONEY)
    projects = models.IntegerField("projecten", default=0)  # its Share rows
    paying = models.IntegerField("projecten die binden", default=0)  # those with money
    # Of the year's projects (its `ProjectYear` rows), how many this organisation takes each
    # position in, as everyone may read it (for the seven; kept from `ProjectYear.stances`).
    full = models.IntegerField("volledig", default=0)
    solidarity = models.IntegerField("solidariteit", default=0)
    entry = models.IntegerField("instap", default=0)
    not_taking_part = models.IntegerField("geen deelname", default=0)
    undecided = models.IntegerField("nog niet bepaald", default=0)

    class Meta:
        verbose_name = "bijdrage in een jaar"
        verbose_name_plural = "bijdragen per jaar"
        constraints = [
            models.UniqueConstraint(fields=["year", "organisation"], name="one_party_year")
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.year}: {self.money}"


class YearTotal(models.Model):
    """The year's `ProjectYear` rows summed, kept like `PartyYear`."""

    year = models.PositiveSmallIntegerField("jaar", unique=True)
    cost = models.DecimalField("kosten, coalitie definitief", default=Decimal("0"), **MONEY)
    core = models.DecimalField("betaald door de zeven", default=Decimal("0"), **MONEY)
    others = models.DecimalField("betaald door anderen", default=Decimal("0"), **MONEY)
    gap = models.DecimalField("financieringstekort", default=Decimal("0"), **MONEY)
    surplus = models.DecimalField("overschot", default=Decimal("0"), **MONEY)
    open_cost = models.DecimalField("kosten, coalitie open", default=Decimal("0"), **MONEY)
    open_count = models.IntegerField("projecten met open coalitie", default=0)
    projects = models.IntegerField("projecten", default=0)

    class Meta:
        verbose_name = "totaal van een jaar"
        verbose_name_plural = "totalen per jaar"

    def __str__(self):
        return str(self.year)


class FiguresBasis(models.Model):
    """The one row naming what every stored share was computed over besides the positions:
    the seven, each year's reference date and the inhabitant counts on it. A write that
    changes it has every project's shares written again (`finance.shares.refresh_basis`);
    its row lock orders such writes."""

    basis = models.JSONField("grondslag", default=dict)

    class Meta:
        verbose_name = "grondslag van de bedragen"
        verbose_name_plural = "grondslag van de bedragen"

    def __str__(self):
        return "grondslag"


class RenderStatus(models.TextChoices):
    WAITING = "wacht", "Wordt gemaakt"
    READY = "klaar", "Klaar"
    FAILED = "mislukt", "Mislukt"


class RenderedLetter(models.Model):
    """A council letter as PDF, made by the task worker from the letter's HTML and kept under
    the HTML's digest: the same HTML is rendered once, and a request serves the kept bytes.

    Derived data: the HTML is rendered again from the figures whenever it is asked for, so a
    concept row may be dropped at any time (a newer one for the same letter replaces it). The
    row of an issued letter (`issued`) hands its PDF to that `IssuedLetter`, which keeps it.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name="gemeente"
    )
    year = models.PositiveSmallIntegerField("jaar")
    issued = models.OneToOneField(
        IssuedLetter,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rendering",
        verbose_name="uitgebrachte brief",
    )
    html = models.TextField("HTML")
    html_sha256 = models.CharField("controlegetal van de HTML", max_length=64, unique=True)
    status = models.CharField(
        "status", max_length=7, choices=RenderStatus.choices, default=RenderStatus.WAITING
    )
    pdf = models.BinaryField("PDF", default=b"")
    created_at = models.DateTimeField("aangemaakt op", default=timezone.now)
    # When the render was last handed to the worker: one that failed or stalled (a worker that
    # died) is handed over again by the first request after RETRY_AFTER (finance/letters.py).
    queued_at = models.DateTimeField("in de wachtrij gezet op", default=timezone.now)
    finished_at = models.DateTimeField("klaar op", null=True, blank=True)

    class Meta:
        verbose_name = "gemaakte brief (PDF)"
        verbose_name_plural = "gemaakte brieven (PDF)"
        indexes = [
            # The concept rows of one letter, newest first (a render drops the older ones).
            models.Index(fields=["organisation", "year", "-created_at"], name="rendered_by_letter")
        ]

    def __str__(self):
        return f"Brief {self.year} {self.organisation_id} ({self.get_status_display()})"

    @property
    def is_ready(self) -> bool:
        return self.status == RenderStatus.READY
