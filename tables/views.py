"""Pages of the board tables (/tafels/) and the regiekamers with escalations (/regiekamer/)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meetings import meeting_views
from meetings.models import Meeting
from portfolio.models import Position, Project, ProjectStatus
from portfolio.queries import as_seen_by
from results.exploitation import first_ending_unsecured
from results.models import Indicator
from results.summary import escalation_draft, summarise, with_latest
from smartdelta import permissions
from smartdelta.errors import ConflictError, DomainError
from smartdelta.history import timeline
from smartdelta.htmx import wants_partial
from smartdelta.models import Organisation, User
from smartdelta.versioning import conflict_form

from . import chairs, escalations, process
from . import seats as seat_service
from .forms import (
    ChairTermForm,
    CommentForm,
    EscalationForm,
    ProcessStepForm,
    SeatDateForm,
    TransitionForm,
)
from .models import (
    BoardTable,
    Category,
    ChairTerm,
    Escalation,
    GeneralMeeting,
    Membership,
    ProcessState,
    ProcessStep,
    Regiekamer,
    RegiekamerKind,
    Seat,
)

# -- Board tables ------------------------------------------------------------------------------


@require_GET
def table_list(request):
    today = timezone.localdate()
    tables = (
        BoardTable.objects.select_related("theme")
        .annotate(
            seat_count=Count(
                "seats",
                filter=Q(seats__takes_part=True, seats__valid_from__lte=today)
                & (Q(seats__valid_until__isnull=True) | Q(seats__valid_until__gte=today)),
                distinct=True,
            ),
            stuck_count=Count(
                "process_steps",
                filter=Q(process_steps__state=ProcessState.STUCK),
                distinct=True,
            ),
        )
        .prefetch_related(
            Prefetch(
                "meetings",
                queryset=Meeting.objects.filter(date__gte=today).order_by("date"),
                to_attr="upcoming",
            )
        )
    )
    return render(request, "tables/table_list.html", {"tables": tables})


@require_GET
def table_detail(request, slug):
    table = get_object_or_404(BoardTable.objects.select_related("theme"), theme__slug=slug)
    today = timezone.localdate()
    # ?datum=2025-03-01 answers who sat at the table on that day.
    form = SeatDateForm(request.GET or None)
    seats_on = (
        form.cleaned_data["datum"] if form.is_valid() and form.cleaned_data["datum"] else today
    )
    seats = list(
        Seat.objects.on(seats_on)
        .filter(table=table)
        .select_related("organisation", "official")
        .order_by("-organisation__kind", "organisation__name")
    )
    core = list(Organisation.objects.core())
    can_manage_seats = permissions.can_manage_seats(request.user)
    meetings = list(table.meetings.all())
    upcoming = [m for m in meetings if m.date >= today]
    past = [m for m in meetings if m.date < today]
    steps = list(table.process_steps.all())
    cycle = max((s.cycle for s in steps), default=None)
    # The table shows the theme's current projects, the most recently changed first; the
    # whole theme is on its sorteerbak page.
    current = Project.objects.filter(theme=table.theme, status__in=ProjectStatus.active())
    projects = list(
        current.order_by("-updated_at", "name").only("name", "theme_id")[:TABLE_PROJECTS]
    )
    project_count = current.count() if len(projects) == TABLE_PROJECTS else len(projects)
    # Only what a badge shows; another municipality's concept as "in voorbereiding".
    positions = {
        (c.project_id, c.organisation_id): as_seen_by(request.user, c)
        for c in Position.objects.filter(project__in=projects, organisation__in=core)
        .only("project", "organisation", "variant", "status", "entry_date")
        .order_by()  # into a dict: the model's order would join three tables for nothing
    }
    sorteerbak = [
        {"project": p, "cells": [positions.get((p.pk, org.pk)) for org in core]} for p in projects
    ]
    # Seed 003: the theme's projects nearing their end, or ended, whose exploitation after the
    # subsidy nobody carries yet (results.exploitation), the one ending first first.
    unsecured, unsecured_count = first_ending_unsecured(
        Project.objects.filter(theme=table.theme), today, TABLE_PROJECTS
    )
    return render(
        request,
        "tables/table_detail.html",
        {
            "table": table,
            "seats": seats,
            "seats_on": seats_on,
            # A core municipality without a seat that day: a visible gap, never a default.
            "missing_seats": seat_service.missing_core(seats, core),
            "can_manage_seats": can_manage_seats,
            "date_form": form if request.GET else SeatDateForm(initial={"datum": today}),
            "next_meeting": upcoming[0] if upcoming else None,
            "upcoming": upcoming,
            "past": past[::-1],
            "cycle": cycle,
            "steps": [_step_row(request, s) for s in steps if s.cycle == cycle],
            "core": core,
            "sorteerbak": sorteerbak,
            "project_count": project_count,
            "unsecured": unsecured,
            "unsecured_count": unsecured_count,
            "helix_tables": table.helix_tables.all(),
            "can_plan_meeting": permissions.can_plan_meeting(request.user, table),
        },
    )


@require_GET
def seat_history(request, slug):
    """Who sat at the table, from when, and who recorded it: the seats' history, newest first.

    A page of its own, linked from the table's seats: the table page is read far more often.
    """
    table = get_object_or_404(BoardTable.objects.select_related("theme"), theme__slug=slug)
    history = timeline(
        Seat.history.filter(table_id=table.pk)
        .select_related("history_user", "organisation", "official")
        .order_by("-history_date", "-history_id")[:SEAT_HISTORY]
    )
    return render(request, "tables/seat_history.html", {"table": table, "history": history})


def _step_row(request, step, form=None):
    """One step of the process; `form` is set only while that step is being edited."""
    return {"step": step, "can_edit": permissions.can_manage_tables(request.user), "form": form}


@require_http_methods(["GET", "POST"])
def process_step_edit(request, slug, pk):
    """Edit a step's state and note.

    With htmx the step's list item becomes its form and, once saved, the updated step; the
    table page itself renders no forms. Without JavaScript this is a page of its own that
    redirects back to the step, and that keeps the typed text when it refuses.
    htmx swaps only 2xx answers, so a refusal comes back as a 200 with the form and its message.
    """
    step = get_object_or_404(
        ProcessStep.objects.select_related("table__theme"), pk=pk, table__theme__slug=slug
    )
    if not permissions.can_manage_tables(request.user):
        raise PermissionDenied
    partial = wants_partial(request)
    if request.method == "GET":
        form = None if "annuleren" in request.GET else ProcessStepForm.for_step(step)
    else:
        form = ProcessStepForm.for_step(step, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                step = process.update_step(
                    request.user, step, data["state"], data["note"], data["version"]
                )
            except ConflictError as error:
                step = error.current
                now = step.get_state_display().lower()
                if step.note:
                    now += f" ({step.note})"
                form = conflict_form(
                    error,
                    request.POST,
                    lambda data, stored: ProcessStepForm.for_step(stored, data),
                    f"Huidige stand: {now}.",
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, f"Stap {step.step} bijgewerkt: {step.get_state_display()}."
                )
                form = None
    if partial:
        return render(
            request, "tables/table_detail.html#step", {"row": _step_row(request, step, form)}
        )
    if form is None:
        return redirect(_step_url(slug, step))
    return render(request, "tables/process_step_form.html", {"row": _step_row(request, step, form)})


def _step_url(slug, step) -> str:
    return reverse("tables:table-detail", args=[slug]) + f"#stap-{step.pk}"


def _body_for(request, slug=None, kind=None, general=False):
    if general:
        # Smart Delta & Partners' shareholders' meeting: there is one company (seed 000).
        return get_object_or_404(GeneralMeeting.objects.select_related("company"))
    if slug is not None:
        return get_object_or_404(BoardTable.objects.select_related("theme"), theme__slug=slug)
    if not permissions.sees_all_escalations(request.user):
        raise Http404  # a regiekamer's meetings are its members' business
    if kind not in RegiekamerKind.values:
        raise Http404
    return get_object_or_404(Regiekamer, kind=kind)


@require_http_methods(["GET", "POST"])
def meeting_create(request, slug=None, kind=None, general=False):
    """Plan a meeting of a table (by its slug), a regiekamer (by its kind) or the
    shareholders' meeting: the body is loaded here, the meeting planned by `meetings`."""
    body = _body_for(request, slug, kind, general)
    if slug is not None:
        back, back_label = ("tables:table-detail", body.slug), str(body)
    elif general:
        back, back_label = ("partners:company", None), body.company.name
    else:
        back, back_label = ("regiekamer:overview", None), "Regiekamer"
    return meeting_views.plan_meeting_page(request, body, back=back, back_label=back_label)


# -- Regiekamers -------------------------------------------------------------------------------


def _require_escalation_access(user):
    if not permissions.has_collaboration_role(user):
        raise PermissionDenied


OVERVIEW_PAGE_SIZE = 25
# What a row of the overview shows (tables/templatetags/escalations.py), for up to 50 rows: the
# columns it does not show (texts, password hashes) are not fetched, and names of related rows
# come as annotations rather than as model instances. The query-count test notices a column
# read that is missing here (it would cost a query per row).
OVERVIEW_COLUMNS = [
    "title",
    "category",
    "state",
    "urgency",
    "deadline",
    "regiekamer",
    "project",
    "table",
]
# The names a row shows, read with it: loading the reporter and owner of 50 rows as users
# cost more than the rest of the row.
OVERVIEW_NAMES = {
    "project_name": F("project__name"),
    "theme_name": F("table__theme__name"),
    "reporter_organisation": F("reporter__organisation__name"),
    "reporter_name": User.name_at("reporter"),
    "owner_name": User.name_at("owner"),
}
# Who sits in a regiekamer or chairs it, as the overview names them.
PEOPLE_COLUMNS = (
    "user__username",
    "user__first_name",
    "user__last_name",
    "user__organisation__name",
)
TABLE_PROJECTS = 15
# The newest changes of a table's seats shown on its page.
SEAT_HISTORY = 50


@require_GET
def regiekamer_overview(request):
    _require_escalation_access(request.user)
    today = timezone.localdate()
    # The members, chairs and coming meetings of both regiekamers, each read with one query
    # and handed out here (a prefetch does the same, with more work per query).
    members = _by_regiekamer(
        Membership.objects.on(today)
        .select_related("user__organisation")
        .only("regiekamer", "capacity", "valid_from", "valid_until", *PEOPLE_COLUMNS)
    )
    chairs = _by_regiekamer(
        ChairTerm.objects.filter(valid_until__gte=today)
        .select_related("user__organisation")
        .only("regiekamer", "valid_from", "valid_until", *PEOPLE_COLUMNS)
    )
    meetings = _by_regiekamer(
        Meeting.objects.filter(regiekamer__isnull=False, date__gte=today).order_by("date")
    )
    regiekamers = list(Regiekamer.objects.all())
    for regiekamer in regiekamers:
        regiekamer.current_members = members.get(regiekamer.pk, [])
        regiekamer.schedule = chairs.get(regiekamer.pk, [])
        regiekamer.upcoming = meetings.get(regiekamer.pk, [])
    visible = Escalation.objects.for_user(request.user).not_closed()
    # Counts per regiekamer in one query; each regiekamer lists one page of its escalations, the
    # nearest deadline (and so every overdue one) first.
    counts = {
        row["regiekamer_id"]: row
        for row in visible.order_by()
        .values("regiekamer_id")
        .annotate(total=Count("pk"), overdue=Count("pk", filter=Q(deadline__lt=today)))
    }
    rows = visible.only(*OVERVIEW_COLUMNS).annotate(**OVERVIEW_NAMES).order_by("deadline", "pk")
    for regiekamer in regiekamers:
        count = counts.get(regiekamer.pk, {"total": 0, "overdue": 0})
        paginator = Paginator(rows.filter(regiekamer=regiekamer), OVERVIEW_PAGE_SIZE)
        paginator.count = count["total"]  # known from the aggregate: no COUNT query per regiekamer
        regiekamer.page = paginator.get_page(request.GET.get(f"page-{regiekamer.kind}"))
        regiekamer.open_escalations = list(regiekamer.page)
        regiekamer.open_count = count["total"]
        regiekamer.overdue_count = count["overdue"]
        regiekamer.current_chair = next((t for t in regiekamer.schedule if t.runs_on(today)), None)
        regiekamer.can_plan_meeting = permissions.can_plan_meeting(
            request.user, regiekamer, chair_terms=regiekamer.schedule
        )
        regiekamer.can_schedule_chair = permissions.can_schedule_chair(request.user, regiekamer)
    return render(
        request,
        "tables/regiekamer_overview.html",
        {
            "regiekamers": regiekamers,
            "can_raise": permissions.can_raise_escalation(request.user),
            # A regiekamer's meeting page is for its readers (`can_read_meeting`): others see the
            # dates without a link that would answer 404.
            "can_open_meetings": permissions.sees_all_escalations(request.user),
        },
    )


def _by_regiekamer(queryset) -> dict[int, list]:
    """The rows of `queryset` in their order, grouped by their regiekamer's id."""
    grouped = {}
    for row in queryset:
        grouped.setdefault(row.regiekamer_id, []).append(row)
    return grouped


@require_http_methods(["GET", "POST"])
def chair_term_create(request):
    """A chair term of the regiekamer named by `?kamer=` (ambtelijk when not given), chosen by
    its own members (`permissions.can_schedule_chair`)."""
    kind = request.GET.get("kamer", RegiekamerKind.AMBTELIJK)
    if kind not in RegiekamerKind.values:
        raise Http404
    regiekamer = get_object_or_404(Regiekamer, kind=kind)
    if not permissions.can_schedule_chair(request.user, regiekamer):
        raise PermissionDenied
    form = ChairTermForm(request.POST or None, regiekamer=regiekamer)
    if request.method == "POST" and form.is_valid():
        try:
            term = chairs.schedule_chair(
                request.user,
                regiekamer,
                form.cleaned_data["chair"],
                form.cleaned_data["valid_from"],
                form.cleaned_data["valid_until"],
            )
        except DomainError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, f"Voorzitterstermijn van {term.user} vastgelegd.")
            return redirect("regiekamer:overview")
    return render(request, "tables/chair_term_form.html", {"form": form, "regiekamer": regiekamer})


# -- Escalations -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def escalation_create(request):
    if not permissions.can_raise_escalation(request.user):
        raise PermissionDenied
    initial = {}
    if slug := request.GET.get("tafel"):
        initial["table"] = BoardTable.objects.filter(theme__slug=slug).first()
    if pk := request.GET.get("indicator"):
        initial |= _about_indicator(request.user, pk)
    form = EscalationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            escalation = escalations.raise_escalation(request.user, **form.cleaned_data)
        except DomainError as e:
            form.add_error(None, str(e))
        else:
            messages.success(
                request,
                "Uw escalatie is ingediend bij de ambtelijke regiekamer. U kunt haar hier volgen.",
            )
            return redirect("regiekamer:escalation-detail", pk=escalation.pk)
    return render(request, "tables/escalation_form.html", {"form": form})


def _about_indicator(user, pk) -> dict:
    """An escalation about an indicator behind schedule, drafted from its figures: its theme's
    table, its project, and what it shows (404 for an indicator the user may not see)."""
    if not str(pk).isdigit():
        raise Http404
    indicator = get_object_or_404(with_latest(Indicator.objects.for_user(user)), pk=pk)
    summary = summarise(indicator, timezone.localdate())
    theme_id = indicator.theme_id or indicator.project.theme_id
    return escalation_draft(summary) | {
        "category": Category.OTHER,
        "table": BoardTable.objects.filter(theme_id=theme_id).first(),
        "project": indicator.project,
    }


def _visible_escalation(request, pk) -> Escalation:
    return get_object_or_404(Escalation.objects.for_user(request.user).with_related(), pk=pk)


def _detail_context(request, escalation: Escalation, refused=None, comment_form=None) -> dict:
    """What the escalation page shows.

    `refused` is the posted form of an action that was refused: it takes that action's place
    with the user's input and the errors. When the action no longer applies (someone else moved
    the escalation on), its errors are shown above the actions instead.
    """
    can_handle = permissions.can_handle_escalation(request.user, escalation)
    actions = []
    # Why the programme office is offered no decision here (the regiekamer has no chair).
    not_ours = ""
    if can_handle:
        today = timezone.localdate()
        meetings = Meeting.objects.filter(
            regiekamer=escalation.regiekamer_id, date__gte=today
        ).order_by("date")
        for transition in escalations.allowed_transitions(escalation):
            chair = None
            if transition.decides:
                try:
                    chair = escalations.on_behalf_of(request.user, escalation, today)
                except DomainError as error:
                    not_ours = str(error)
                    continue
            form = TransitionForm(
                initial={"version": escalation.version},
                action=transition.action,
                meetings=meetings if transition.action == "take_up" else None,
            )
            if refused is not None and refused.action == transition.action:
                form, refused = refused, None
            actions.append({"transition": transition, "form": form, "on_behalf_of": chair})
    events = escalation.events.select_related(
        "actor", "on_behalf_of", "from_regiekamer", "to_regiekamer"
    )
    return {
        "escalation": escalation,
        "actions": actions,
        "not_ours": not_ours,
        "refused": refused,
        "events": [
            {"event": e, "label": escalations.EVENT_LABELS.get(e.action, e.action)} for e in events
        ],
        "comments": escalation.comments.select_related("author__organisation"),
        "comment_form": comment_form or CommentForm(),
        "can_handle": can_handle,
        "can_open_meeting": permissions.sees_all_escalations(request.user),
        "can_comment": permissions.can_comment_escalation(request.user, escalation),
    }


@require_GET
def escalation_detail(request, pk):
    escalation = _visible_escalation(request, pk)
    return render(request, "tables/escalation_detail.html", _detail_context(request, escalation))


@require_POST
def escalation_transition(request, pk, action):
    """Take an action. Refused or invalid: 200 with the page (or its #escalation partial) and
    the action's form holding the user's input and the reason; done: a message and a redirect
    (under htmx the updated partial)."""
    escalation = _visible_escalation(request, pk)
    if action not in escalations.TRANSITIONS:
        raise Http404
    if not permissions.can_handle_escalation(request.user, escalation):
        raise PermissionDenied
    meetings = Meeting.objects.filter(regiekamer=escalation.regiekamer_id)
    form = TransitionForm(request.POST, action=action, meetings=meetings)
    if form.is_valid():
        data = form.cleaned_data
        extra = {"reason": data["reason"]}
        if action == "decide":
            extra["decision"] = data["decision"]
        if action == "take_up":
            extra["meeting"] = data["meeting"]
        try:
            escalations.perform(
                request.user, escalation, action, seen_version=data["version"], **extra
            )
        except ConflictError as error:
            escalation = _visible_escalation(request, pk)
            form = conflict_form(
                error,
                request.POST,
                lambda data, stored: TransitionForm(data, action=action, meetings=meetings),
                f"Huidige status: {escalation.get_state_display().lower()}.",
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{escalations.EVENT_LABELS[action]}: {escalation.title}.")
            if not wants_partial(request):
                return redirect("regiekamer:escalation-detail", pk=pk)
            escalation, form = _visible_escalation(request, pk), None
    template = "tables/escalation_detail.html"
    if wants_partial(request):
        template += "#escalation"
    return render(request, template, _detail_context(request, escalation, refused=form))


@require_POST
def escalation_comment(request, pk):
    escalation = _visible_escalation(request, pk)
    if not permissions.can_comment_escalation(request.user, escalation):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            escalations.add_comment(request.user, escalation, form.cleaned_data["text"])
        except DomainError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, "Uw reactie is geplaatst.")
            if not wants_partial(request):
                return redirect("regiekamer:escalation-detail", pk=pk)
            form = CommentForm()
    template = "tables/escalation_detail.html"
    if wants_partial(request):
        template += "#comments"
    return render(request, template, _detail_context(request, escalation, comment_form=form))
