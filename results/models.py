"""Indicators with targets and measurements, in the shape of the IATI results standard
(result -> indicator -> baseline -> period with target and actual).

Seed 001 ("Wat gaan we gezamenlijk hiervoor doen", Bouwen): "Versnelling in de
woningbouwproductie (van 800 naar 1500 woningen per jaar)" is an indicator with a baseline
(800) and a target (1500); its measurements say how far the region is. A regional figure made
of municipal parts (homes built, people placed) keeps each municipality's part
(`MeasurementPart`), so a council sees its own contribution to the regional target.

Written only by `results.indicators`; every model keeps history.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from portfolio.models import MONEY, Project, Theme
from smartdelta import permissions
from smartdelta.history import HistoryKeepingQuerySet
from smartdelta.models import Organisation, OrganisationKind
from smartdelta.validators import (
    DATE_MAX,
    DATE_MIN,
    DESCRIPTION_MAX,
    MaxTextLength,
    validate_date_range,
)
from smartdelta.versioning import Versioned

# A count of homes or people, a percentage, a number of courses: two decimals are enough and
# eleven digits before the comma hold any regional figure.
FIGURE = {"max_digits": 13, "decimal_places": 2}


class Direction(models.TextChoices):
    HIGHER = "hoger", "Hoger is beter"
    LOWER = "lager", "Lager is beter"


class IndicatorQuerySet(HistoryKeepingQuerySet):
    def for_user(self, user):
        """Indicators are about the collaboration's public goals: every signed-in user reads
        them, as they read every project (README "Security")."""
        return self.all()


class Indicator(Versioned):
    """What a theme or a project measures: exactly one of `theme` and `project`."""

    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name="thema",
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name="project",
    )
    name = models.CharField("indicator", max_length=200)
    unit = models.CharField("eenheid", max_length=60)
    direction = models.CharField(
        "richting", max_length=5, choices=Direction.choices, default=Direction.HIGHER
    )
    baseline_date = models.DateField("peildatum nulmeting", validators=[validate_date_range])
    baseline_value = models.DecimalField("nulmeting", **FIGURE)

    history = HistoricalRecords()
    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = "indicator"
        verbose_name_plural = "indicatoren"
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(theme__isnull=False) & Q(project__isnull=True))
                | (Q(theme__isnull=True) & Q(project__isnull=False)),
                name="indicator_theme_or_project",
                violation_error_message="Een indicator hoort bij een thema of bij een project.",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def owner(self):
        """The theme or project the indicator belongs to."""
        return self.project or self.theme


class IndicatorState(models.Model):
    """Whether an indicator's latest measurement is behind its trajectory: derived from the
    indicator, its targets and its measurements alone (not from today), and written by
    `results.indicators` in the transaction that changes any of them. Pages that list what is
    behind across hundreds of indicators (the cycle of the tables) read this row instead of
    summarising every indicator. Not history: nobody changes it, it follows what they change.

    Beside it, the theme whose board table follows the indicator (its own theme, or its
    project's), written with it and again when a project moves to another theme: the cycle
    counts and names what is behind per table from this row and its index alone, without
    joining every project to find its theme.
    """

    indicator = models.OneToOneField(
        Indicator,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="state",
        verbose_name="indicator",
    )
    behind = models.BooleanField("achter op schema", default=False)
    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="thema",
    )

    class Meta:
        verbose_name = "stand van een indicator"
        verbose_name_plural = "standen van indicatoren"
        indexes = [
            models.Index(fields=["indicator"], condition=Q(behind=True), name="indicator_behind"),
            models.Index(
                fields=["theme", "indicator"],
                condition=Q(behind=True),
                name="indicator_behind_by_theme",
            ),
        ]

    def __str__(self):
        return f"{self.indicator_id}: {'achter op schema' if self.behind else 'op schema'}"


class Target(Versioned):
    """The value an indicator should reach at the end of a period (IATI: period target)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name="indicator"
    )
    period_end = models.DateField("te halen op", validators=[validate_date_range])
    value = models.DecimalField("streefwaarde", **FIGURE)

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "streefwaarde"
        verbose_name_plural = "streefwaarden"
        ordering = ["period_end", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_end"],
                name="target_one_per_period",
                violation_error_message="Deze indicator heeft al een streefwaarde op die datum.",
            )
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value} op {self.period_end}"


class Measurement(Versioned):
    """A measured value (IATI: period actual) with its source and who entered it."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="measurements", verbose_name="indicator"
    )
    date = models.DateField("peildatum", validators=[validate_date_range])
    value = models.DecimalField("waarde", **FIGURE)
    source = models.CharField("bron", max_length=300)
    is_demo = models.BooleanField("demodata", default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ingevoerd door",
    )

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "meting"
        verbose_name_plural = "metingen"
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.indicator}: {self.value} op {self.date}"


class MeasurementPart(models.Model):
    """One municipality's part of a regional measurement; the parts add up to the measurement
    (checked by `results.indicators.add_measurement`)."""

    measurement = models.ForeignKey(
        Measurement, on_delete=models.CASCADE, related_name="parts", verbose_name="meting"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="gemeente"
    )
    value = models.DecimalField("waarde", **FIGURE)

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "deel van een meting"
        verbose_name_plural = "delen van metingen"
        ordering = ["organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["measurement", "organisation"],
                name="measurement_part_one_per_organisation",
                violation_error_message="Elke gemeente heeft één deel per meting.",
            )
        ]

    def __str__(self):
        return f"{self.organisation}: {self.value}"


# -- The local uitvoeringsagenda (issue 27) ------------------------------------------------------


class AgendaStatus(models.TextChoices):
    PLANNED = "gepland", "Gepland"
    RUNNING = "lopend", "Lopend"
    DONE = "afgerond", "Afgerond"
    STOPPED = "gestopt", "Gestopt"


class AgendaItemQuerySet(HistoryKeepingQuerySet):
    def for_user(self, user):
        """Published items for everyone signed in; concepts only for the municipality's own
        officials and secretary and the programme office (`permissions.visible_agenda_items`)."""
        return self.filter(permissions.visible_agenda_items(user))

    def published(self):
        return self.filter(published=True)


class AgendaItem(Versioned):
    """One thing a core municipality does itself towards a regional ambition: an item of its
    local uitvoeringsagenda. Written only by `results.agenda`."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="local_agenda_items",
        verbose_name="gemeente",
        limit_choices_to={"kind": OrganisationKind.CORE},
    )
    title = models.CharField("titel", max_length=200)
    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        related_name="local_agenda_items",
        verbose_name="regionale ambitie",
    )
    description = models.TextField(
        "omschrijving", blank=True, validators=[MaxTextLength(DESCRIPTION_MAX)]
    )
    status = models.CharField(
        "status", max_length=8, choices=AgendaStatus.choices, default=AgendaStatus.PLANNED
    )
    start_date = models.DateField("begint op", validators=[validate_date_range])
    end_date = models.DateField("eindigt op", validators=[validate_date_range])
    own_budget = models.DecimalField(
        "eigen budget (€)",
        max_digits=13,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, message="Het eigen budget kan niet negatief zijn.")],
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="local_agenda_items",
        verbose_name="regionaal project",
    )
    is_demo = models.BooleanField("demodata", default=False)
    published = models.BooleanField("gepubliceerd voor de raad", default=False)
    published_on = models.DateTimeField("gepubliceerd op", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="gepubliceerd door",
    )

    history = HistoricalRecords()
    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        verbose_name = "agendapunt van de lokale uitvoeringsagenda"
        verbose_name_plural = "agendapunten van de lokale uitvoeringsagenda"
        ordering = ["organisation__name", "theme__order", "start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="agenda_item_ends_after_start",
                violation_error_message="De einddatum mag niet vóór de begindatum liggen.",
            ),
            models.CheckConstraint(
                condition=Q(own_budget__isnull=True) | Q(own_budget__gte=0),
                name="agenda_item_budget_not_negative",
                violation_error_message="Het eigen budget kan niet negatief zijn.",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.organisation_id and not self.organisation.is_core:
            raise ValidationError(
                {"organisation": "Alleen de zeven kerngemeenten houden een uitvoeringsagenda."}
            )


# -- After the subsidy: the exploitation of a project (issue 27, seed 003) -----------------------


class ExploitationQuerySet(HistoryKeepingQuerySet):
    def for_user(self, user):
        """A project's exploitation is part of the collaboration's shared picture, as the
        project itself: every signed-in user reads it."""
        return self.all()

    def unsecured(self):
        """Running cost after the subsidy that nobody carries (`Exploitation.is_secured`)."""
        return self.filter(carried_by__isnull=True, yearly_cost__gt=0)


class Exploitation(Versioned):
    """What a project costs each year once its subsidy has ended, from which year, and who
    carries that cost: an organisation (*geborgd door*), or nobody yet (*niet geborgd*).

    Seed 003: "Het is belangrijk om aan de voorkant na te denken over hoe initiatieven de
    exploitatie-geldstroom gaan borgen als het geld van de Regio Deal ophoudt." A running cost
    of 0 says the project has none after its run. One per project; written only by
    `results.exploitation`, every change in the history with the acting user.

    What is not secured is never part of what a municipality pays: the meerjarenraming shows
    it beside the contributions as an indication (`finance.figures.Figures.outlook`).
    """

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="exploitation", verbose_name="project"
    )
    yearly_cost = models.DecimalField("exploitatielasten per jaar (€)", **MONEY)
    from_year = models.PositiveSmallIntegerField(
        "vanaf jaar",
        validators=[
            MinValueValidator(DATE_MIN.year, message=f"Kies een jaar vanaf {DATE_MIN.year}."),
            MaxValueValidator(DATE_MAX.year, message=f"Kies een jaar tot en met {DATE_MAX.year}."),
        ],
    )
    carried_by = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_exploitations",
        verbose_name="geborgd door",
    )
    secured_on = models.DateField(
        "geborgd op", null=True, blank=True, validators=[validate_date_range]
    )
    decision_reference = models.CharField("kenmerk besluit borging", max_length=100, blank=True)
    note = models.CharField("toelichting", max_length=500, blank=True)
    is_demo = models.BooleanField("demodata", default=False)

    history = HistoricalRecords()
    objects = ExploitationQuerySet.as_manager()

    class Meta:
        verbose_name = "exploitatie na de subsidie"
        verbose_name_plural = "exploitatie na de subsidie"
        ordering = ["project__name", "pk"]
        indexes = [
            # The meerjarenraming's unsecured tails: the few rows nobody carries, by year.
            models.Index(
                fields=["from_year", "project"],
                condition=Q(carried_by__isnull=True, yearly_cost__gt=0),
                name="exploitation_unsecured",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(yearly_cost__gte=0),
                name="exploitation_cost_not_negative",
                violation_error_message="De exploitatielasten kunnen niet negatief zijn.",
            ),
            models.CheckConstraint(
                condition=Q(carried_by__isnull=False)
                | (Q(secured_on__isnull=True) & Q(decision_reference="")),
                name="exploitation_secured_by_someone",
                violation_error_message=(
                    "Een datum of kenmerk van de borging hoort bij de organisatie die de "
                    "exploitatie draagt: kies die organisatie, of laat datum en kenmerk leeg."
                ),
            ),
        ]

    def __str__(self):
        return f"Exploitatie {self.project}"

    @property
    def is_secured(self) -> bool:
        """Someone carries the running cost, or there is none."""
        return self.carried_by_id is not None or self.yearly_cost == 0

    def clean(self):
        if self.carried_by_id is None and (self.secured_on or self.decision_reference):
            raise ValidationError(
                {
                    "carried_by": "Een datum of kenmerk van de borging hoort bij de organisatie "
                    "die de exploitatie draagt: kies die organisatie, of laat datum en kenmerk "
                    "leeg."
                }
            )
