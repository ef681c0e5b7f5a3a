"""Themes, projects (coalitions) and every organisation's position on them."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from smartdelta.history import HistoryKeepingQuerySet
from smartdelta.models import Organisation
from smartdelta.validators import DESCRIPTION_MAX, MaxTextLength, validate_date_range
from smartdelta.versioning import Versioned

MONEY = {"max_digits": 13, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}
PERCENT = {
    "max_digits": 6,
    "decimal_places": 3,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
}


class Theme(Versioned):
    """A theme of the collaboration; each has one board table. Kept by the programme office in
    the portal (`tables.structure`, issue 30); its slug is fixed once saved (it is in the
    addresses of its table, sorteerbak, public page and calendar feeds)."""

    name = models.CharField("naam", max_length=100, unique=True)
    slug = models.SlugField("slug", max_length=100, unique=True)
    order = models.PositiveSmallIntegerField("volgorde", default=0)
    description = models.TextField(
        "omschrijving", blank=True, validators=[MaxTextLength(DESCRIPTION_MAX)]
    )

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "thema"
        verbose_name_plural = "thema's"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class ProjectStatus(models.TextChoices):
    IDEA = "idee", "Idee"
    PROPOSAL = "voorstel", "Voorstel"
    CONTRACTING = "contractering", "In contractering"
    RUNNING = "lopend", "Lopend"
    COMPLETED = "afgerond", "Afgerond"
    STOPPED = "gestopt", "Gestopt"

    # Methods, not lists: a list in an enum's body would become a member of it.
    @classmethod
    def active(cls) -> list["ProjectStatus"]:
        """Projects still in play: not yet completed, and not stopped."""
        return [cls.IDEA, cls.PROPOSAL, cls.CONTRACTING, cls.RUNNING]

    @classmethod
    def counted(cls) -> list["ProjectStatus"]:
        """Projects that count in the budget: ideas have none yet, stopped ones ask no more."""
        return [cls.PROPOSAL, cls.CONTRACTING, cls.RUNNING, cls.COMPLETED]


class SharingKey(models.TextChoices):
    EQUAL = "gelijk", "Gelijke delen"
    INHABITANTS = "inwoners", "Naar inwonertal"
    PERCENTAGES = "percentages", "Afgesproken percentages (profijt)"


class ProjectQuerySet(HistoryKeepingQuerySet):
    def for_user(self, user):
        # Projects are open to everyone in the collaboration: that is the point of the sorteerbak.
        return self


class Project(Versioned):
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="projects", verbose_name="thema"
    )
    name = models.CharField("naam", max_length=200)
    lead = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="led_projects",
        verbose_name="trekker",
    )
    description = models.TextField(
        "omschrijving", blank=True, validators=[MaxTextLength(DESCRIPTION_MAX)]
    )
    goal = models.TextField("doel", blank=True, validators=[MaxTextLength(DESCRIPTION_MAX)])
    start_date = models.DateField("start", null=True, blank=True, validators=[validate_date_range])
    end_date = models.DateField("einde", null=True, blank=True, validators=[validate_date_range])
    status = models.CharField(
        "status", max_length=15, choices=ProjectStatus.choices, default=ProjectStatus.IDEA
    )
    total_cost = models.DecimalField("totale kosten", default=Decimal("0"), **MONEY)
    base_funding = models.DecimalField(
        "uit de gezamenlijke basis (component 2)", default=Decimal("0"), **MONEY
    )
    participant_funding = models.DecimalField(
        "te betalen door deelnemers (component 3)", default=Decimal("0"), **MONEY
    )
    sharing_key = models.CharField(
        "verdeelsleutel component 3",
        max_length=12,
        choices=SharingKey.choices,
        default=SharingKey.INHABITANTS,
    )
    # The project's decision that closes its coalition with those who confirmed (README "How
    # the money is divided"): from then on its cost binds them, even if not all seven decided.
    coalition_closed_on = models.DateField(
        "coalitie gesloten op", null=True, blank=True, validators=[validate_date_range]
    )
    coalition_reference = models.CharField("kenmerk besluit coalitie", max_length=100, blank=True)

    history = HistoricalRecords()
    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "project"
        verbose_name_plural = "projecten"
        ordering = ["theme__order", "name"]
        indexes = [
            # The project list's order (portfolio.queries.filter_projects): a page reads 25
            # entries of this index, however many projects there are.
            models.Index(fields=["name", "id"], name="project_by_name"),
            # The list's status filter and its count read this index only.
            models.Index(fields=["status", "id"], name="project_by_status"),
            # The active projects' ids, for the dashboard's anti-join (an index-only scan).
            models.Index(
                fields=["id"], condition=Q(status__in=ProjectStatus.active()), name="project_active"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_cost__gte=0)
                & Q(base_funding__gte=0)
                & Q(participant_funding__gte=0),
                name="project_money_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="project_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "Het einde ligt vóór de start."})


class FundingSource(models.TextChoices):
    REGIO_DEAL = "regio_deal", "Regio Deal"
    RIJK = "rijk", "Rijk"
    PROVINCE = "provincie", "Provincie"
    EU = "eu", "EU"
    PRIVATE = "privaat", "Privaat"


class FundingStatus(models.TextChoices):
    """How sure money from others is: only committed or received money counts, for the lines of
    a budget (`finance.models.Financing`) as for the multiplier (`finance.multiplier`). Seed
    002: "Er is nog geen concrete toezegging" – hoped-for money covers nothing. One definition
    for a project's outside money and a budget's financing (finance imports it)."""

    HOPED = "gehoopt", "Gehoopt"
    COMMITTED = "toegezegd", "Toegezegd"
    RECEIVED = "ontvangen", "Ontvangen"

    @classmethod
    def counting(cls) -> list["FundingStatus"]:
        """The statuses whose money counts: committed or received, never hoped."""
        return [cls.COMMITTED, cls.RECEIVED]


class ExternalFunding(Versioned):
    """Money for a project from outside the collaboration (Regio Deal, Rijk, province, EU,
    private), for the project's whole run. Kept by the programme office through
    `portfolio.funding`, the only writer (issue 30)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="external_funding", verbose_name="project"
    )
    source = models.CharField("bron", max_length=12, choices=FundingSource.choices)
    amount = models.DecimalField("bedrag", **MONEY)
    description = models.CharField("toelichting", max_length=200, blank=True)
    # New rows, and the rows that existed before the status did, are hoped until someone says
    # the money was granted: an amount nobody confirmed never counts (see the migration).
    status = models.CharField(
        "status",
        max_length=10,
        choices=FundingStatus.choices,
        default=FundingStatus.HOPED,
        help_text="Alleen toegezegd of ontvangen geld telt mee, ook in de multiplier.",
    )

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "externe financiering"
        verbose_name_plural = "externe financiering"
        ordering = ["source"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="external_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in FundingStatus]),
                name="external_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_source_display()}: {self.amount}"


class Variant(models.TextChoices):
    FULL = "volledig", "Volledige participatie"
    SOLIDARITY = "solidariteit", "Solidariteitsprincipe"
    ENTRY = "instap", "Instapmodel"
    NONE = "geen", "Geen deelname"


def variant_errors(variant, amount, share, entry_date) -> dict[str, str]:
    """What a position of this variant lacks or has too much, as Dutch messages per field.

    The one statement of the variant rules for forms and models; the database constraints of
    Position hold the same.
    """
    errors = {}
    if variant == Variant.SOLIDARITY and amount is None and share is None:
        errors["amount"] = "Bij het solidariteitsprincipe is een bedrag of een aandeel verplicht."
    if variant == Variant.ENTRY:
        if entry_date is None:
            errors["entry_date"] = "Bij het instapmodel is een instapmoment verplicht."
        if amount is None:
            errors["amount"] = "Bij het instapmodel is een instapfee verplicht."
    if variant == Variant.NONE and (amount is not None or share is not None):
        errors["amount"] = "Bij geen deelname hoort geen bedrag of aandeel; laat deze leeg."
    return errors


class EntryPayment(models.TextChoices):
    """How an entrant pays (seed 004: "'passagiersbijdrage' of een instapfee")."""

    FEE = "eenmalig", "Eenmalige instapfee"
    YEARLY = "jaarlijks", "Jaarlijkse passagiersbijdrage"


class PositionStatus(models.TextChoices):
    CONCEPT = "concept", "Concept"
    SUBMITTED = "ingediend", "Ingediend"
    CONFIRMED = "bevestigd", "Bevestigd"
    WITHDRAWN = "ingetrokken", "Ingetrokken"


AWAITING_CONFIRMATION = [PositionStatus.CONCEPT, PositionStatus.SUBMITTED]


class PositionQuerySet(HistoryKeepingQuerySet):
    def for_user(self, user):
        return self

    def awaiting_confirmation(self):
        return self.filter(status__in=AWAITING_CONFIRMATION)


class Position(Versioned):
    """An organisation's one current position on a project, and what it commits.

    A core municipality without a row has not yet decided (*nog niet bepaald*): a visible gap.
    Earlier positions live in the history. Only `portfolio.positions` writes these rows.
    """

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="positions", verbose_name="project"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="positions",
        verbose_name="organisatie",
    )
    variant = models.CharField("deelnamevariant", max_length=12, choices=Variant.choices)
    status = models.CharField(
        "status", max_length=12, choices=PositionStatus.choices, default=PositionStatus.CONCEPT
    )
    amount = models.DecimalField(
        "bedrag",
        null=True,
        blank=True,
        **MONEY,
        help_text="Solidariteitsbijdrage, instapfee, of de toegezegde bijdrage van een partner.",
    )
    share = models.DecimalField(
        "aandeel (%)",
        null=True,
        blank=True,
        **PERCENT,
        help_text="Bij solidariteit: aandeel in de projectkosten; bij volledige deelname met "
        "afgesproken percentages: het afgesproken percentage.",
    )
    entry_date = models.DateField(
        "instapmoment", null=True, blank=True, validators=[validate_date_range]
    )
    entry_payment = models.CharField(
        "betaalwijze instap",
        max_length=10,
        choices=EntryPayment.choices,
        default=EntryPayment.FEE,
        help_text="Bij het instapmodel: een eenmalige instapfee, of elk jaar een "
        "passagiersbijdrage vanaf het instapmoment.",
    )
    capacity_fte = models.DecimalField(
        "capaciteit (fte)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    capacity_hours = models.PositiveIntegerField("capaciteit (uren)", null=True, blank=True)
    knowledge = models.CharField("kennisinbreng", max_length=300, blank=True)
    decision_reference = models.CharField("kenmerk besluit", max_length=100, blank=True)
    decision_date = models.DateField(
        "datum besluit", null=True, blank=True, validators=[validate_date_range]
    )
    note = models.CharField("toelichting", max_length=500, blank=True)
    # The position in force: the last one confirmed by a second person, with its decision. It
    # stays in force, with its money, while a change of it waits as concept or submitted, until
    # that change is confirmed (README "How the money is divided"). Empty: nothing confirmed.
    in_force_variant = models.CharField(
        "geldende deelnamevariant", max_length=12, choices=Variant.choices, blank=True
    )
    in_force_amount = models.DecimalField("geldend bedrag", null=True, blank=True, **MONEY)
    in_force_share = models.DecimalField("geldend aandeel (%)", null=True, blank=True, **PERCENT)
    in_force_entry_date = models.DateField(
        "geldend instapmoment", null=True, blank=True, validators=[validate_date_range]
    )
    in_force_entry_payment = models.CharField(
        "geldende betaalwijze instap", max_length=10, choices=EntryPayment.choices, blank=True
    )
    in_force_reference = models.CharField("kenmerk geldend besluit", max_length=100, blank=True)
    in_force_date = models.DateField(
        "datum geldend besluit", null=True, blank=True, validators=[validate_date_range]
    )
    # Who submitted the position (ingediend): the four-eyes rule of `portfolio.positions`
    # lets someone else confirm it. Empty while it is a concept.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ingediend door",
    )
    history = HistoricalRecords()
    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = "positie en toezegging"
        verbose_name_plural = "posities en toezeggingen"
        ordering = ["project", "organisation__name"]
        indexes = [
            # The dashboard's anti-join (projects without this organisation's position) reads
            # this index only, not the table.
            models.Index(fields=["organisation", "project"], name="position_by_organisation"),
            # The project list's filter "municipality takes variant": its count reads this index
            # only, and a page probes it once per listed project.
            # (The status for need to know: only what the user may read is filtered on.)
            models.Index(
                fields=["organisation", "variant", "project", "status"],
                name="position_by_variant",
            ),
            # How many projects an organisation takes part in by its position in force (the
            # report's "Wat het oplevert"): a count of this index only.
            models.Index(fields=["organisation", "in_force_variant"], name="position_in_force"),
            # The dashboard's positions awaiting confirmation, longest waiting first: the first
            # eight and the count read this partial index only.
            models.Index(
                fields=["organisation", "updated_at"],
                condition=Q(status__in=AWAITING_CONFIRMATION),
                name="position_awaiting",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation"], name="one_position_per_project"
            ),
            models.CheckConstraint(
                condition=(Q(amount__isnull=True) | Q(amount__gte=0))
                & (Q(share__isnull=True) | (Q(share__gte=0) & Q(share__lte=100)))
                & (Q(capacity_fte__isnull=True) | Q(capacity_fte__gte=0)),
                name="position_amounts_valid",
            ),
            models.CheckConstraint(
                condition=~Q(variant="solidariteit")
                | Q(amount__isnull=False)
                | Q(share__isnull=False),
                name="solidarity_pays",
            ),
            models.CheckConstraint(
                condition=~Q(variant="instap")
                | (Q(entry_date__isnull=False) & Q(amount__isnull=False)),
                name="entry_has_date_and_fee",
            ),
            models.CheckConstraint(
                condition=~Q(variant="geen") | (Q(amount__isnull=True) & Q(share__isnull=True)),
                name="no_participation_no_money",
            ),
            models.CheckConstraint(
                condition=~Q(status="bevestigd")
                | (~Q(decision_reference="") & Q(decision_date__isnull=False)),
                name="confirmed_has_decision",
            ),
            models.CheckConstraint(
                condition=Q(variant__in=[v.value for v in Variant]),
                name="position_variant_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in PositionStatus]),
                name="position_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.project}: {self.get_variant_display()}"

    def clean(self):
        """The variant rules, with Dutch messages; the database constraints hold the same."""
        errors = variant_errors(self.variant, self.amount, self.share, self.entry_date)
        if self.status == PositionStatus.CONFIRMED:
            if not self.decision_reference:
                errors["decision_reference"] = (
                    "Een bevestigde toezegging vraagt het kenmerk van het besluit."
                )
            if self.decision_date is None:
                errors["decision_date"] = (
                    "Een bevestigde toezegging vraagt de datum van het besluit."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def has_position_in_force(self) -> bool:
        return bool(self.in_force_variant)

    @property
    def change_pending(self) -> bool:
        """A confirmed position is in force while a change of it waits (concept or submitted)."""
        return self.has_position_in_force and self.status in AWAITING_CONFIRMATION

    def is_participant_on(self, date) -> bool:
        """Whether the organisation counts as a participant on `date`."""
        if self.status == PositionStatus.WITHDRAWN:
            return False
        if self.variant == Variant.FULL:
            return True
        return (
            self.variant == Variant.ENTRY
            and self.entry_date is not None
            and date >= self.entry_date
        )


class TrafficLight(models.TextChoices):
    ON_TRACK = "op_koers", "Op koers"
    ATTENTION = "aandacht", "Aandacht"
    RISK = "risico", "Risico"


class ProgressUpdate(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="updates", verbose_name="project"
    )
    date = models.DateField("datum", validators=[validate_date_range])
    light = models.CharField("stand", max_length=10, choices=TrafficLight.choices)
    text = models.TextField("toelichting", validators=[MaxTextLength(DESCRIPTION_MAX)])
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="auteur",
    )

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "voortgangsbericht"
        verbose_name_plural = "voortgangsberichten"
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.project} {self.date}: {self.get_light_display()}"


class Milestone(Versioned):
    """A planned result of a project; kept by its carriers (`portfolio.progress`)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="milestones", verbose_name="project"
    )
    title = models.CharField("mijlpaal", max_length=200)
    due_date = models.DateField("gepland", validators=[validate_date_range])
    done_on = models.DateField(
        "behaald op", null=True, blank=True, validators=[validate_date_range]
    )

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "mijlpaal"
        verbose_name_plural = "mijlpalen"
        ordering = ["due_date", "pk"]

    def __str__(self):
        return self.title


class PositionCount(models.Model):
    """What waits on one organisation's positions, kept by the database (`portfolio.counts`):
    the active projects without its position, and its positions in preparation (concept) or
    waiting for a second person (ingediend). Written in the transaction of every save that
    moves them, so a page reads one row where it would count thousands; nobody edits it."""

    # No constraint: the count of an organisation that is being deleted may be written by its
    # positions' deletes before the organisation goes; `portfolio.counts` removes it after.
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="position_count",
    )
    without_position = models.PositiveIntegerField(default=0)
    concept = models.PositiveIntegerField(default=0)
    submitted = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "telling van posities"
        verbose_name_plural = "tellingen van posities"

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.without_position}/{self.concept}/{self.submitted}"
