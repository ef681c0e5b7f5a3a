"""Meetings of every body that meets (issue 31): the board tables, the two regiekamers and the
shareholders' meeting of Smart Delta & Partners, with agenda, papers, attendance, decisions and
actions.

The bodies are named by string ("tables.BoardTable"): this app imports nothing of `tables`,
which uses it. The tables keep the names they had when these models lived in `tables`
(`db_table`, the history's `table_name`): the move changed no table (migrations 0001 here,
tables 0024).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from portfolio.models import Project
from smartdelta import permissions
from smartdelta.history import HistoryKeepingQuerySet
from smartdelta.models import Organisation
from smartdelta.validators import DESCRIPTION_MAX, REASON_MAX, MaxTextLength, validate_date_range
from smartdelta.versioning import Versioned

from .storage import get_papers_storage, paper_path


def related(model: type[models.Model], field: str) -> type[models.Model]:
    """The model a foreign key of this app points at (a body, an escalation or a process step
    in `tables`): reached through the key, so that this app imports nothing of `tables`."""
    return model._meta.get_field(field).related_model


class MeetingQuerySet(HistoryKeepingQuerySet):
    def for_user(self, user):
        """The meetings `user` may read (`permissions.can_read_meeting`): a table's for everyone
        signed in, a regiekamer's for its members and the programme office."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(permissions.readable_meetings(user))


# Seed 004 (IST): "Er is bijv. veel gezegd over het tijdig versturen van stukken naar
# bestuurlijke tafels": papers go out ten days before the meeting unless the planner says else.
PAPERS_DAYS_BEFORE = 10


class Meeting(Versioned):
    """A meeting of a board table or of a regiekamer (exactly one of the two).

    Planned and changed through `meetings.meetings` (the only writer since issue 15).
    """

    table = models.ForeignKey(
        "tables.BoardTable",
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name="tafel",
        null=True,
        blank=True,
    )
    regiekamer = models.ForeignKey(
        "tables.Regiekamer",
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name="regiekamer",
        null=True,
        blank=True,
    )
    # The third body (issue 29, seed 000): the shareholders' meeting of Smart Delta & Partners.
    general_meeting = models.ForeignKey(
        "tables.GeneralMeeting",
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name="aandeelhoudersvergadering",
        null=True,
        blank=True,
    )
    date = models.DateField("datum", validators=[validate_date_range])
    start_time = models.TimeField("aanvang", null=True, blank=True)
    location = models.CharField("locatie", max_length=200, blank=True)
    papers_due = models.DateField(
        "stukken uiterlijk verstuurd op",
        validators=[validate_date_range],
        null=True,
        blank=True,
        help_text="Leeg: tien dagen vóór de vergadering.",
    )
    papers_sent_at = models.DateTimeField("stukken laatst verstuurd op", null=True, blank=True)
    # Free text of the time before attendance was recorded per organisation (`Attendance`);
    # kept, and shown as such, for the meetings that have it.
    attendance = models.TextField(
        "aanwezigen",
        blank=True,
        help_text="Wie aanwezig was, één per regel.",
        validators=[MaxTextLength(REASON_MAX)],
    )
    absent = models.TextField(
        "afwezig met kennisgeving", blank=True, validators=[MaxTextLength(REASON_MAX)]
    )
    # The decision list is a concept until it is adopted (`meetings.decisions.adopt_decisions`);
    # from then on its decisions and actions stay as adopted (an action's status still moves).
    decisions_adopted_at = models.DateTimeField(
        "besluitenlijst vastgesteld op", null=True, blank=True
    )
    decisions_adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="besluitenlijst vastgesteld door",
    )
    # A meeting that does not take place stays, marked, so calendars that hold it are told
    # (STATUS:CANCELLED in the feeds) and its page says why (`meetings.meetings.cancel_meeting`).
    cancelled_on = models.DateField(
        "afgelast op", null=True, blank=True, validators=[validate_date_range]
    )
    cancellation_reason = models.CharField("reden van afgelasten", max_length=500, blank=True)

    history = HistoricalRecords(table_name="tables_historicalmeeting")
    objects = MeetingQuerySet.as_manager()

    class Meta:
        db_table = "tables_meeting"
        verbose_name = "vergadering"
        verbose_name_plural = "vergaderingen"
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(table__isnull=False)
                    & Q(regiekamer__isnull=True)
                    & Q(general_meeting__isnull=True)
                )
                | (
                    Q(table__isnull=True)
                    & Q(regiekamer__isnull=False)
                    & Q(general_meeting__isnull=True)
                )
                | (
                    Q(table__isnull=True)
                    & Q(regiekamer__isnull=True)
                    & Q(general_meeting__isnull=False)
                ),
                name="meeting_of_exactly_one_body",
            )
        ]

    def __str__(self):
        return f"{self.body} {self.date:%d-%m-%Y}"

    @property
    def body(self):
        """The board table, regiekamer or shareholders' meeting that holds this meeting."""
        return self.table or self.regiekamer or self.general_meeting

    def body_reference(self) -> tuple[type[models.Model], int]:
        """The model of this meeting's body and its pk, without reading the body: the bodies
        answer who gets the papers and who attends (`paper_recipients`,
        `attending_organisations`), so this app needs no import of theirs."""
        for name in ("table", "regiekamer", "general_meeting"):
            pk = getattr(self, f"{name}_id")
            if pk is not None:
                return self._meta.get_field(name).related_model, pk
        raise ValueError("A meeting belongs to exactly one body.")

    def attendance_lines(self) -> list[str]:
        return [line.strip() for line in self.attendance.splitlines() if line.strip()]

    @property
    def send_by(self) -> datetime.date:
        """The day the papers must be out: as planned, or ten days before the meeting."""
        if self.papers_due:
            return self.papers_due
        try:
            return self.date - datetime.timedelta(days=PAPERS_DAYS_BEFORE)
        except OverflowError:
            # A date stored before the range people may enter (issue 32): the page still shows.
            return datetime.date.min

    @property
    def is_regiekamer(self) -> bool:
        return self.regiekamer_id is not None

    @property
    def is_general_meeting(self) -> bool:
        return self.general_meeting_id is not None


class AgendaItem(Versioned):
    """One point of a meeting's agenda: free, or about an escalation, a process step or a
    project (at most one of the three)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name="vergadering"
    )
    order = models.PositiveSmallIntegerField("volgorde", default=1)
    title = models.CharField("onderwerp", max_length=200)
    description = models.TextField(
        "toelichting", blank=True, validators=[MaxTextLength(DESCRIPTION_MAX)]
    )
    escalation = models.ForeignKey(
        "tables.Escalation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name="escalatie",
    )
    process_step = models.ForeignKey(
        "tables.ProcessStep",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name="processtap",
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name="project",
    )
    # Why a board table discusses one project, which it does only by exception
    # (`meetings.meetings.PROJECT_AT_TABLE`); empty for every other item.
    project_reason = models.TextField(
        "reden om dit project aan tafel te bespreken",
        blank=True,
        validators=[MaxTextLength(REASON_MAX)],
    )
    # What was decided on the item is a numbered decision of the meeting (`Decision`, tied to
    # the item); the free text that stood here before became one (migration 0003).

    history = HistoricalRecords(table_name="tables_historicalagendaitem")
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        db_table = "tables_agendaitem"
        verbose_name = "agendapunt"
        verbose_name_plural = "agendapunten"
        ordering = ["meeting", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(escalation__isnull=True, process_step__isnull=True)
                | Q(escalation__isnull=True, project__isnull=True)
                | Q(process_step__isnull=True, project__isnull=True),
                name="agenda_item_links_at_most_one",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def kind_label(self) -> str:
        if self.escalation_id:
            return "Escalatie"
        if self.process_step_id:
            return "Processtap"
        if self.project_id:
            return "Project"
        return ""


class MeetingPaper(Versioned):
    """A paper (PDF, DOCX or XLSX) for an agenda item. Written by `meetings.meetings` only.

    The file is stored under a random name on the "papers" storage (outside every served path);
    `original_name` is what the reader downloads. Replacing the file keeps the row (and its
    history, which names the earlier files); `uploaded_at` is the time of the current file, so
    a replacement after the send-by date is late.
    """

    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="papers", verbose_name="agendapunt"
    )
    file = models.FileField(
        "bestand", storage=get_papers_storage, upload_to=paper_path, max_length=200
    )
    original_name = models.CharField("bestandsnaam", max_length=200)
    content_type = models.CharField("soort bestand", max_length=100)
    size = models.PositiveIntegerField("grootte (bytes)")
    uploaded_at = models.DateTimeField("aangeleverd op", default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="aangeleverd door",
    )
    sent_at = models.DateTimeField("verstuurd op", null=True, blank=True)
    # Open by default (issue 28, Woo art. 3.3): a paper of a board table's meeting is published
    # once sent, unless whoever places it records why not (Woo art. 5.1/5.2). A withheld or
    # withdrawn paper stays listed on the public page with this reason, without its file.
    public = models.BooleanField("openbaar", default=True)
    woo_reason = models.TextField(
        "reden om niet openbaar te maken",
        blank=True,
        help_text="Verplicht als het stuk niet openbaar is: de weigeringsgrond uit de Woo "
        "(artikel 5.1 of 5.2) en waarom die hier geldt.",
        validators=[MaxTextLength(REASON_MAX)],
    )

    history = HistoricalRecords(table_name="tables_historicalmeetingpaper")
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        db_table = "tables_meetingpaper"
        verbose_name = "vergaderstuk"
        verbose_name_plural = "vergaderstukken"
        ordering = ["item__order", "uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(public=True) | ~Q(woo_reason=""), name="withheld_paper_has_reason"
            )
        ]

    def __str__(self):
        return self.original_name

    def is_late(self) -> bool:
        return timezone.localdate(self.uploaded_at) > self.item.meeting.send_by


class Presence(models.TextChoices):
    PRESENT = "aanwezig", "Aanwezig"
    EXCUSED = "afgemeld", "Afwezig met kennisgeving"
    ABSENT = "afwezig", "Afwezig"


class Attendance(Versioned):
    """Who was there for one organisation at one meeting. Written by `meetings.meetings`, which
    checks the version of the meeting: the form holds all organisations at once."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name="vergadering"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="organisatie"
    )
    presence = models.CharField("aanwezigheid", max_length=10, choices=Presence.choices)
    representative = models.CharField("vertegenwoordigd door", max_length=120, blank=True)

    history = HistoricalRecords(table_name="tables_historicalattendance")
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        db_table = "tables_attendance"
        verbose_name = "aanwezigheid"
        verbose_name_plural = "aanwezigheid"
        ordering = ["meeting", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organisation"], name="one_attendance_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(presence__in=[p.value for p in Presence]), name="presence_valid"
            ),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.get_presence_display()}"


# -- Decisions and actions (issue 15) -----------------------------------------------------------


class DecisionQuerySet(HistoryKeepingQuerySet):
    def for_user(self, user):
        """The decisions of the meetings `user` may read (`permissions.can_read_meeting`)."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if permissions.sees_all_escalations(user):
            return self
        return self.filter(meeting__regiekamer__isnull=True)


class Decision(Versioned):
    """One decision of a meeting's besluitenlijst, numbered within the meeting.

    Written only by `meetings.decisions` (record, update, remove; the numbers stay 1, 2, 3, …).
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name="vergadering"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name="agendapunt",
    )
    number = models.PositiveSmallIntegerField("nummer")
    text = models.TextField("besluit", validators=[MaxTextLength(DESCRIPTION_MAX)])
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name="project",
    )
    escalation = models.ForeignKey(
        "tables.Escalation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name="escalatie",
    )
    # A regiekamer's decision written down by the programme office: on behalf of its chair
    # (`meetings.decisions.recorded_for`); empty when a member recorded it, or at a table.
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="vastgelegd namens",
    )

    history = HistoricalRecords(table_name="tables_historicaldecision")
    objects = DecisionQuerySet.as_manager()

    class Meta:
        db_table = "tables_decision"
        verbose_name = "besluit"
        verbose_name_plural = "besluiten"
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="one_decision_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="decision_number_positive"),
        ]

    def __str__(self):
        return f"Besluit {self.number} van {self.meeting}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "gereed", "Gereed"
    CANCELLED = "vervallen", "Vervallen"


def _past_deadline(today: datetime.date | None) -> Q:
    """An open action is overdue the day after its deadline."""
    return Q(deadline__lt=today or timezone.localdate())


class ActionQuerySet(HistoryKeepingQuerySet):
    def for_user(self, user):
        """The actions of meetings `user` may read, and those their own organisation owns.

        An owner sees what it has to do even when the meeting is a regiekamer's that its
        officials may not read: the action and its decision, not the rest of the meeting.
        """
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if permissions.sees_all_escalations(user):
            return self
        visible = Q(decision__meeting__regiekamer__isnull=True)
        if permissions.has_collaboration_role(user) and user.organisation_id:
            visible |= Q(owner_id=user.organisation_id)
        return self.filter(visible)

    def open(self):
        return self.filter(status=ActionStatus.OPEN)

    def overdue(self, today: datetime.date | None = None):
        return self.open().filter(_past_deadline(today))

    def counts_by_owner(self, today: datetime.date | None = None) -> dict[int, dict]:
        """Per owner organisation id: its open actions (`total`) and how many of them are
        overdue (`overdue`), in one query."""
        rows = (
            self.open()
            .order_by()
            .values("owner_id")
            .annotate(total=Count("pk"), overdue=Count("pk", filter=_past_deadline(today)))
        )
        return {row["owner_id"]: row for row in rows}

    def with_related(self):
        return self.select_related(
            "owner",
            "decision__meeting__table__theme",
            "decision__meeting__regiekamer",
            "decision__meeting__general_meeting__company",
        )


class Action(Versioned):
    """What a decision asks of one organisation, by when; its status says who closed it."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="actions", verbose_name="besluit"
    )
    description = models.TextField("actie", validators=[MaxTextLength(REASON_MAX)])
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="actions", verbose_name="eigenaar"
    )
    deadline = models.DateField("uiterlijk", validators=[validate_date_range])
    status = models.CharField(
        "status", max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="status gewijzigd door",
    )
    status_changed_at = models.DateTimeField("status gewijzigd op", null=True, blank=True)
    note = models.TextField("toelichting", blank=True, validators=[MaxTextLength(REASON_MAX)])

    history = HistoricalRecords(table_name="tables_historicalaction")
    objects = ActionQuerySet.as_manager()

    class Meta:
        db_table = "tables_action"
        verbose_name = "actie"
        verbose_name_plural = "acties"
        ordering = ["deadline", "pk"]
        indexes = [
            # The dashboard: an organisation's open actions, nearest deadline first.
            models.Index(fields=["owner", "status", "deadline"], name="action_owner_open"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ActionStatus]), name="action_status_valid"
            ),
        ]

    def __str__(self):
        return self.description[:60]

    @property
    def is_open(self) -> bool:
        return self.status == ActionStatus.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.deadline < timezone.localdate()
