"""Board tables, the two regiekamers and escalations: the governance of the collaboration.

Every model a person edits keeps its history (django-simple-history). Escalations change only
through `tables.escalations`, which also writes the append-only `EscalationEvent` log.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from portfolio.models import Project, Theme
from smartdelta import permissions
from smartdelta.expressions import Constant
from smartdelta.history import HistoryKeepingQuerySet
from smartdelta.models import Organisation, User
from smartdelta.validators import DESCRIPTION_MAX, REASON_MAX, MaxTextLength, validate_date_range
from smartdelta.versioning import Versioned


class BoardTable(models.Model):
    """The bestuurlijke tafel of one theme."""

    theme = models.OneToOneField(
        Theme, on_delete=models.PROTECT, related_name="board_table", verbose_name="thema"
    )
    description = models.TextField(
        "omschrijving", blank=True, validators=[MaxTextLength(DESCRIPTION_MAX)]
    )

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "bestuurlijke tafel"
        verbose_name_plural = "bestuurlijke tafels"
        ordering = ["theme__order", "theme__name"]

    def __str__(self):
        return self.name_for(self.theme.name)

    @staticmethod
    def name_for(theme_name: str) -> str:
        """A table is named after its theme (also for a table read as a column of a row)."""
        return f"Tafel {theme_name}"

    @property
    def slug(self) -> str:
        return self.theme.slug

    # -- As a body that meets (the `meetings` app asks these; it imports nothing of tables) ----

    meeting_field = "table"

    @classmethod
    def paper_recipients(cls, pk: int, on: datetime.date):
        """Who gets a meeting's papers: the officials at the table's seats on `on` and the
        programme office."""
        officials = Seat.objects.on(on).filter(table=pk, takes_part=True, official__isnull=False)
        return User.objects.filter(pk__in=officials.values("official")) | User.objects.filter(
            is_programme_office=True
        )

    @classmethod
    def attending_organisations(cls, pk: int, on: datetime.date):
        """Whose presence a meeting records beside the seven: the partners seated on `on`."""
        return Seat.objects.on(on).filter(table=pk, takes_part=True).values("organisation")


class TripleHelixTable(Versioned):
    """A table where companies and education sit, linked to a board table (bouwtafel, …).
    Kept by the programme office in the portal (`tables.structure`, issue 30)."""

    board_table = models.ForeignKey(
        BoardTable,
        on_delete=models.CASCADE,
        related_name="helix_tables",
        verbose_name="bestuurlijke tafel",
    )
    name = models.CharField("naam", max_length=120)
    description = models.CharField("omschrijving", max_length=300, blank=True)

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "triple-helixtafel"
        verbose_name_plural = "triple-helixtafels"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["board_table", "name"], name="one_helix_table_name")
        ]

    def __str__(self):
        return self.name


class TermQuerySet(HistoryKeepingQuerySet):
    def on(self, date: datetime.date):
        """Terms running on `date` (until is inclusive; no until means still running)."""
        return self.filter(valid_from__lte=date).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=date)
        )


class Seat(Versioned):
    """An organisation's seat at a table over a term. Written by `tables.seats`.

    A core municipality always has a row per table: it takes part, or it openly does not, with
    a reason. A partner outside the 7 sits only after a decision of all 7 (date and reference).
    """

    table = models.ForeignKey(
        BoardTable, on_delete=models.CASCADE, related_name="seats", verbose_name="tafel"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="seats", verbose_name="organisatie"
    )
    takes_part = models.BooleanField("neemt deel", default=True)
    reason = models.CharField("reden (bij niet deelnemen)", max_length=500, blank=True)
    administrator = models.CharField("bestuurder (wethouder)", max_length=120, blank=True)
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="table_seats",
        verbose_name="ondersteunend ambtenaar",
    )
    valid_from = models.DateField("vanaf", validators=[validate_date_range])
    valid_until = models.DateField(
        "tot en met", null=True, blank=True, validators=[validate_date_range]
    )
    admission_date = models.DateField(
        "datum besluit toelating (alle 7)", null=True, blank=True, validators=[validate_date_range]
    )
    admission_reference = models.CharField("kenmerk besluit toelating", max_length=100, blank=True)

    history = HistoricalRecords()
    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = "zetel"
        verbose_name_plural = "zetels"
        ordering = ["table", "organisation__name", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["table", "organisation", "valid_from"], name="one_seat_per_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="seat_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(takes_part=True) | ~Q(reason=""), name="seat_absence_has_reason"
            ),
            models.CheckConstraint(
                condition=(Q(admission_date__isnull=True) & Q(admission_reference=""))
                | (Q(admission_date__isnull=False) & ~Q(admission_reference="")),
                name="seat_admission_date_and_reference",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} aan {self.table}"

    def clean(self):
        # The kind of the organisation lives in another table, so only Python can hold this.
        if (
            self.organisation_id
            and not self.organisation.is_core
            and not (self.admission_date and self.admission_reference)
        ):
            raise ValidationError(
                {
                    "admission_reference": "Een partner buiten de 7 neemt pas plaats na een "
                    "besluit van alle 7: vul de datum en het kenmerk van dat besluit in."
                }
            )
        if not self.takes_part and not self.reason:
            raise ValidationError(
                {"reason": "Geef de reden waarom deze gemeente niet aan deze tafel deelneemt."}
            )


class RegiekamerKind(models.TextChoices):
    AMBTELIJK = "ambtelijk", "Ambtelijke regiekamer"
    BESTUURLIJK = "bestuurlijk", "Bestuurlijke regiekamer"


class Regiekamer(models.Model):
    kind = models.CharField("soort", max_length=12, choices=RegiekamerKind.choices, unique=True)
    description = models.TextField("taak", blank=True, validators=[MaxTextLength(DESCRIPTION_MAX)])

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "regiekamer"
        verbose_name_plural = "regiekamers"
        # The ambtelijke regiekamer first: it is the first escalation level.
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in RegiekamerKind]), name="regiekamer_kind"
            )
        ]

    def __str__(self):
        return self.get_kind_display()

    @property
    def is_ambtelijk(self) -> bool:
        return self.kind == RegiekamerKind.AMBTELIJK

    def chair_on(self, on: datetime.date) -> User | None:
        """Who chairs this regiekamer on `on` by its chair schedule, if a member does."""
        term = (
            self.chair_terms.on(on)
            .select_related("user")
            .filter(user__is_active=True)
            .order_by("valid_from")
            .first()
        )
        if term is None or not permissions.is_member_of(term.user, self):
            return None
        return term.user

    # -- As a body that meets (see BoardTable) ---------------------------------------------------

    meeting_field = "regiekamer"

    @classmethod
    def paper_recipients(cls, pk: int, on: datetime.date):
        """Who gets a meeting's papers: the members on `on`."""
        members = Membership.objects.on(on).filter(regiekamer=pk)
        return User.objects.filter(pk__in=members.values("user"))

    @classmethod
    def attending_organisations(cls, pk: int, on: datetime.date):
        """Whose presence a meeting records beside the seven: its members' organisations."""
        return Membership.objects.on(on).filter(regiekamer=pk).values("user__organisation")


class Membership(models.Model):
    regiekamer = models.ForeignKey(
        Regiekamer, on_delete=models.CASCADE, related_name="memberships", verbose_name="regiekamer"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="regiekamer_memberships",
        verbose_name="lid",
    )
    capacity = models.CharField(
        "hoedanigheid", max_length=120, blank=True, help_text="Bijvoorbeeld gemeentesecretaris."
    )
    valid_from = models.DateField("vanaf", validators=[validate_date_range])
    valid_until = models.DateField(
        "tot en met", null=True, blank=True, validators=[validate_date_range]
    )
    # The decisions behind a membership (its college's or the collaboration's), kept with it:
    # written by `tables.memberships`, the only writer besides the demo.
    decision = models.CharField("kenmerk besluit benoeming", max_length=100, blank=True)
    end_decision = models.CharField("kenmerk besluit beëindiging", max_length=100, blank=True)

    history = HistoricalRecords()
    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = "lidmaatschap"
        verbose_name_plural = "lidmaatschappen"
        ordering = ["regiekamer", "user__organisation__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["regiekamer", "user", "valid_from"], name="one_membership_per_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.user} in de {self.regiekamer}"


class ChairTerm(Versioned):
    """Who chairs the ambtelijke regiekamer when. Written by `tables.chairs.schedule_chair`."""

    regiekamer = models.ForeignKey(
        Regiekamer, on_delete=models.CASCADE, related_name="chair_terms", verbose_name="regiekamer"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="chair_terms",
        verbose_name="voorzitter",
    )
    valid_from = models.DateField("vanaf", validators=[validate_date_range])
    valid_until = models.DateField("tot en met", validators=[validate_date_range])

    history = HistoricalRecords()
    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = "voorzitterstermijn"
        verbose_name_plural = "voorzittersschema"
        ordering = ["regiekamer", "valid_from"]
        constraints = [
            # Overlap needs a range exclusion (PostgreSQL only); the service checks it, and the
            # database at least refuses two terms starting on the same day.
            models.UniqueConstraint(
                fields=["regiekamer", "valid_from"], name="one_chair_term_per_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("valid_from")), name="chair_term_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.valid_from:%d-%m-%Y} t/m {self.valid_until:%d-%m-%Y})"

    def runs_on(self, date: datetime.date) -> bool:
        """Whether this term runs on `date`: `TermQuerySet.on` for a term already read."""
        return self.valid_from <= date <= self.valid_until


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


# -- Smart Delta & Partners (issue 29, seed 000) --------------------------------------------------


class Company(Versioned):
    """The uitvoeringsorganisatie Smart Delta & Partners that the seven found (seed 000).

    Seed 000: "Q1 2026 oprichting Uitvoeringsorganisatie Smart Delta en Partners", "BV als
    wenselijke organisatievorm". Its exploitation is read by the meerjarenraming
    (`finance.figures`): seed 000, "Exploitatie: Via Smart Delta Begroting werken en economie
    (inwonerbijdrage); Dekking Exploitatielast (personeel, huisvesting etc.) 390.000;
    Structurele inbreng van €40.000 vanuit Regionaal Werkcentrum". Kept by `tables.company`.
    """

    name = models.CharField("naam", max_length=120, unique=True)
    legal_form = models.CharField("rechtsvorm", max_length=60, blank=True)
    founded_on = models.DateField(
        "oprichtingsdatum", null=True, blank=True, validators=[validate_date_range]
    )
    founding_decision = models.CharField("kenmerk oprichtingsbesluit", max_length=200, blank=True)
    operating_cost = models.DecimalField(
        "dekking exploitatielast per jaar", max_digits=13, decimal_places=2, default=0
    )
    work_centre_contribution = models.DecimalField(
        "structurele inbreng Regionaal Werkcentrum per jaar",
        max_digits=13,
        decimal_places=2,
        default=0,
    )
    exploitation_from = models.PositiveSmallIntegerField("exploitatie vanaf jaar")
    # The budget line the exploitation is paid from (seed 000: "Via Smart Delta Begroting
    # werken en economie (inwonerbijdrage)"): a line's name, so the raming finds it each year.
    budget_line_name = models.CharField("betaald uit begrotingsregel", max_length=200, blank=True)
    is_demo = models.BooleanField("demodata", default=False)

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "uitvoeringsorganisatie"
        verbose_name_plural = "uitvoeringsorganisaties"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(work_centre_contribution__lte=F("operating_cost")),
                name="company_work_centre_within_cost",
            ),
            models.CheckConstraint(
                condition=Q(operating_cost__gte=0) & Q(work_centre_contribution__gte=0),
                name="company_exploitation_not_negative",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def inwonerbijdrage_part(self):
        """What the seven's inwonerbijdrage covers of the exploitation each year."""
        return self.operating_cost - self.work_centre_contribution


class GeneralMeeting(models.Model):
    """The aandeelhoudersvergadering of a company: a body with meetings, like a board table
    or a regiekamer (`Meeting.general_meeting`). Seed 000: "Opdrachtverstrekking en toezicht op
    uitvoering via aandeelhoudersvergadering"."""

    company = models.OneToOneField(
        Company,
        on_delete=models.CASCADE,
        related_name="general_meeting",
        verbose_name="uitvoeringsorganisatie",
    )

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "aandeelhoudersvergadering"
        verbose_name_plural = "aandeelhoudersvergaderingen"

    def __str__(self):
        return f"Aandeelhoudersvergadering {self.company.name}"

    # -- As a body that meets (see BoardTable) ---------------------------------------------------

    meeting_field = "general_meeting"

    @classmethod
    def paper_recipients(cls, pk: int, on: datetime.date):
        """Who gets a meeting's papers: the shareholders' representatives and the programme
        office that prepares."""
        representatives = Shareholding.objects.filter(company__general_meeting=pk).values(
            "representative"
        )
        return User.objects.filter(pk__in=representatives) | User.objects.filter(
            is_programme_office=True
        )

    @classmethod
    def attending_organisations(cls, pk: int, on: datetime.date):
        """The shareholders' meeting records the seven and no one else."""
        return None


class Shareholding(Versioned):
    """One of the seven as shareholder: its inleg, its shares and who represents it.

    Seed 000: "Deelname door de Drechtsteden gemeenten; Inleg symbolisch bedrag van €1; Gelijke
    verdeling van eigenaarschap en zeggenschap". Each holds the same number of shares, so each
    share is that number over the total (`tables.company.share_of`), adding up to 100 %. The
    representative casts the shareholder's vote at the shareholders' meeting and adopts its
    decision list (`permissions.can_adopt_decisions`). Written by `tables.company` only.
    """

    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="shareholdings",
        verbose_name="uitvoeringsorganisatie",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="shareholdings",
        verbose_name="aandeelhouder",
    )
    deposit = models.DecimalField("inleg", max_digits=13, decimal_places=2)
    shares = models.PositiveSmallIntegerField("aantal aandelen", default=1)
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shareholder_representations",
        verbose_name="vertegenwoordiger in de aandeelhoudersvergadering",
    )

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "aandeelhouderschap"
        verbose_name_plural = "aandeelhouders"
        ordering = ["company", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "organisation"], name="one_shareholding_per_organisation"
            ),
            models.CheckConstraint(condition=Q(shares__gte=1), name="shareholding_has_shares"),
            models.CheckConstraint(condition=Q(deposit__gte=0), name="shareholding_deposit"),
        ]

    def __str__(self):
        return f"{self.organisation} in {self.company}"


class Assignment(Versioned):
    """The yearly assignment (opdrachtverstrekking) the shareholders give the company, decided at
    a meeting of its shareholders' meeting. Seed 000: "Opdrachtverstrekking en toezicht op
    uitvoering via aandeelhoudersvergadering". Written by `tables.company` only."""

    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name="uitvoeringsorganisatie",
    )
    year = models.PositiveSmallIntegerField("jaar")
    description = models.TextField("opdracht", validators=[MaxTextLength(DESCRIPTION_MAX)])
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name="verstrekt in de vergadering van",
    )

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "opdrachtverstrekking"
        verbose_name_plural = "opdrachtverstrekkingen"
        ordering = ["company", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["company", "year"], name="one_assignment_per_year"),
        ]

    def __str__(self):
        return f"Opdracht {self.year} aan {self.company}"


class SupervisionReport(Versioned):
    """A report the shareholders' meeting receives on how the company carries out its
    assignment (toezicht op uitvoering, seed 000). Written by `tables.company` only."""

    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="supervision_reports",
        verbose_name="uitvoeringsorganisatie",
    )
    date = models.DateField("datum", validators=[validate_date_range])
    title = models.CharField("titel", max_length=200)
    document_reference = models.CharField("kenmerk document", max_length=200, blank=True)
    document_url = models.URLField("link naar het document", max_length=500, blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervision_reports",
        verbose_name="besproken in de vergadering van",
    )

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "toezichtsrapportage"
        verbose_name_plural = "toezichtsrapportages"
        ordering = ["company", "-date", "-pk"]

    def __str__(self):
        return self.title
