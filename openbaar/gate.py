"""The publication gate (issue 28): what is final, and therefore public without an account.

The one place that says what leaves the portal. Public pages, the DiWoo sitemaps and the
records read the other apps' models only through these querysets; no view filters on a status
of its own. What is final:

- a budget once adopted, with its numbered begrotingswijzigingen;
- a position once confirmed by a second person: the position *in force* (`in_force_*`), never
  the variant or status of a change that waits beside it as concept or submitted;
- a project beyond the idea stage, with its milestones and progress updates, and the
  results (indicators and their measurements) of the themes and those projects;
- a board table's meeting once its papers were sent or its decision list adopted; its papers
  once sent, unless withheld with a reason; its decision list once adopted;
- a council letter once issued and its PDF kept.

Never public: concepts and submitted positions, what-if previews, escalations (and agenda
items, papers and decisions about one), regiekamer meetings (their agenda is built from the
escalations), attendance, accounts and the history. Private is not secret: all of it remains
subject to a Woo request (README "Openbaar").
"""

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from finance.models import BudgetAmendment, BudgetLine, BudgetStatus, BudgetYear, IssuedLetter
from meetings.models import AgendaItem, Decision, Meeting, MeetingPaper
from portfolio.models import Milestone, Position, ProgressUpdate, Project, ProjectStatus, Theme
from results.models import Indicator, Measurement, Target
from results.subject import results_of
from smartdelta import writers
from smartdelta.models import InhabitantCount, Organisation, OrganisationKind


def budgets():
    """Adopted budgets only: a concept budget is not yet a decision."""
    return BudgetYear.objects.filter(status=BudgetStatus.ADOPTED)


def amendments():
    return BudgetAmendment.objects.filter(budget__status=BudgetStatus.ADOPTED)


def budget_lines():
    """The lines of adopted budgets (the public budget page reads them through the figures)."""
    return BudgetLine.objects.filter(budget__status=BudgetStatus.ADOPTED)


def themes():
    return Theme.objects.all()


def projects():
    """Projects beyond the idea: an idea is nobody's decision yet."""
    return Project.objects.exclude(status=ProjectStatus.IDEA)


def positions():
    """Positions with a confirmed position in force. Read only their `in_force_*` fields."""
    return Position.objects.exclude(in_force_variant="").filter(
        project__in=projects(), organisation__kind=OrganisationKind.CORE
    )


def milestones():
    """The milestones of public projects: planned and reached results, as their carriers keep
    them."""
    return Milestone.objects.filter(project__in=projects())


def progress():
    """The progress updates of public projects (posted by those who carry them)."""
    return ProgressUpdate.objects.filter(project__in=projects())


def results(theme: Theme, project_ids=None):
    """The results of a theme (its indicators, with the latest measurement and the target
    ahead: `results.subject`), with those of its public projects only (of `project_ids` only,
    when given: the projects a page shows)."""
    public = projects().filter(theme=theme)
    if project_ids is not None:
        public = public.filter(pk__in=project_ids)
    public_ids = set(public.values_list("pk", flat=True))
    found = results_of(theme=theme, theme_projects=public_ids)
    found.theme_projects = [b for b in found.theme_projects if b["project"].pk in public_ids]
    return found


def meetings():
    """A board table's meetings whose papers went out or whose decision list is adopted."""
    return Meeting.objects.filter(table__isnull=False).filter(
        Q(papers_sent_at__isnull=False) | Q(decisions_adopted_at__isnull=False)
    )


def decision_meetings():
    """A board table's meetings with an adopted decision list."""
    return meetings().filter(decisions_adopted_at__isnull=False)


def agenda_items():
    return AgendaItem.objects.filter(meeting__in=meetings(), escalation__isnull=True)


def decisions():
    """The decisions of adopted lists; none about an escalation."""
    return Decision.objects.filter(meeting__in=decision_meetings(), escalation__isnull=True)


def listed_papers():
    """The papers a public meeting lists once sent: published ones and withheld ones, the
    latter with their reason and without their file."""
    return MeetingPaper.objects.filter(
        item__in=agenda_items(), sent_at__isnull=False
    ).select_related("item__meeting__table__theme")


def papers():
    """The papers whose file is public."""
    return listed_papers().filter(public=True)


def letters():
    """Issued council letters whose PDF is kept (the worker adds it after issuing)."""
    return (
        IssuedLetter.objects.exclude(sha256="")
        .select_related("budget", "organisation")
        .order_by("-issued_at", "-pk")
    )


def core_municipalities():
    return Organisation.objects.core().order_by("name")


def organisations():
    """The organisations the public side names: the seven, and whoever leads a public project
    (its trekker, as the theme pages show it)."""
    return Organisation.objects.filter(
        Q(kind=OrganisationKind.CORE) | Q(pk__in=projects().values("lead"))
    )


# The history tables of everything the public side shows: every change a person makes to
# these rows writes a history row, so the largest history ids name the data's version.
_VERSIONED = [
    BudgetYear,
    BudgetLine,
    BudgetAmendment,
    Theme,
    Project,
    Position,
    Milestone,
    ProgressUpdate,
    Indicator,
    Target,
    Measurement,
    Meeting,
    AgendaItem,
    MeetingPaper,
    Decision,
    IssuedLetter,
    Organisation,
    InhabitantCount,
]


def version() -> str:
    """The public data's version, in one query: an ETag for every public answer.

    Any change to a row the public side reads (a decision, an adopted budget, a confirmed
    position, a kept letter) adds a history row, so the version changes with it. Stored
    figures (`finance.shares`) move only in the transaction of such a change. The count of
    letters with a kept PDF is added because the worker stores the PDF outside the history.

    A change may commit after a later one that took a higher history id: while a writing
    transaction runs, the version also holds its id, so it changes again when that transaction
    ends (`smartdelta.writers`).
    """
    tables = [model.history.model._meta.db_table for model in _VERSIONED]
    quote = connection.ops.quote_name
    parts = [f"(SELECT MAX(history_id) FROM {quote(table)})" for table in tables]
    letters_table = quote(IssuedLetter._meta.db_table)
    parts.append(f"(SELECT COUNT(*) FROM {letters_table} WHERE sha256 <> '')")
    running = writers.lowest_running_sql()
    if running:
        parts.append(running)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    # The day too: the results show the target ahead of today, which moves with the date.
    return "-".join([timezone.localdate().isoformat(), *(str(value or 0) for value in row)])
