"""The bodies of the collaboration: the board tables with their triple-helix tables and seats,
and the two regiekamers with their members and chair terms."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from portfolio.models import Theme
from smartdelta import permissions
from smartdelta.history import HistoryKeepingQuerySet
from smartdelta.models import Organisation, User
from smartdelta.validators import DESCRIPTION_MAX, MaxTextLength, validate_date_range
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

    def meeting_page(self, meeting, on: datetime.date) -> dict:
        """What this body adds to its meeting's page (`meetings.meeting_views.meeting_detail`):
        a table's page holds its agenda and papers and nothing more."""
        return {}


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

    def next_meeting(self, after: datetime.date):
        """Its first meeting on or after `after`, if one is planned."""
        return self.meetings.filter(date__gte=after).order_by("date").first()

    def meeting_page(self, meeting, on: datetime.date) -> dict:
        """What a regiekamer meeting's page adds: the escalations on its agenda; the next
        meeting (after `on`) also takes the submitted ones not yet put on any agenda."""
        is_next = self.next_meeting(on) == meeting
        return {"escalations": list(self.escalations.on_agenda_of(meeting, is_next=is_next))}


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
