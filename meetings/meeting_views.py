"""A meeting's page and the pages to plan and run it, for every body that meets (issue 15):
a board table, a regiekamer or the shareholders' meeting; all under /vergaderingen/<id>/.

Every page loads the meeting through `Meeting.objects.for_user` (a regiekamer's meeting does
not exist for whoever may not read it: 404) and then asks `permissions.can_plan_meeting`
(403 for a reader who may not plan). Writes go through `meetings.meetings`. Refused or invalid:
200 with the form, the user's input and the reason; done: a message and a redirect to the
meeting page. Papers are served only by `paper_download`, after the same read check.
"""

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from smartdelta import permissions
from smartdelta.errors import ConflictError, DomainError
from smartdelta.formatting import format_date, format_datetime
from smartdelta.security import audit
from smartdelta.versioning import conflict_form, with_current_version

from . import meetings
from .meeting_forms import (
    AgendaItemForm,
    AttendanceForm,
    MeetingCancelForm,
    MeetingForm,
    NewPaperForm,
    PaperForm,
    PaperPublicityForm,
    VersionForm,
)
from .models import AgendaItem, Meeting, MeetingPaper, related


def get_meeting_for(request, pk) -> Meeting:
    """The one loader of a meeting from a request: the meeting `pk` if `request.user` may read
    it (`Meeting.objects.for_user`), else 404 – whichever body holds it."""
    found = Meeting.objects.for_user(request.user).select_related(
        "table__theme", "regiekamer", "general_meeting__company"
    )
    return get_object_or_404(found, pk=pk)


def require_planner(request, meeting: Meeting) -> None:
    """403 unless the user plans `meeting`: the services' own check (`meetings.require_planner`),
    so pages and services never disagree."""
    try:
        meetings.require_planner(request.user, meeting)
    except DomainError as error:
        raise PermissionDenied from error


def _plannable(request, pk) -> Meeting:
    meeting = get_meeting_for(request, pk)
    require_planner(request, meeting)
    return meeting


def _max_mb() -> int:
    return settings.PAPERS_MAX_BYTES // (1024 * 1024)


def _done(request, meeting, message, anchor=""):
    messages.success(request, message)
    return redirect(meetings.meeting_url(meeting) + anchor)


def _page(request, template, meeting, **context):
    return render(
        request,
        template,
        {"meeting": meeting, "body": meeting.body, "meeting_url": meetings.meeting_url(meeting)}
        | context,
    )


# -- On the meeting page -----------------------------------------------------------------------


def meeting_context(request, meeting: Meeting, items: list[AgendaItem]) -> dict:
    """What the meeting page (`meeting_detail`) shows of the planning: papers per item with
    what came late, attendance, history and the actions the user may take. Papers are listed
    only to readers, who are the only ones to get here."""
    papers = list(
        MeetingPaper.objects.filter(item__meeting=meeting)
        .select_related("uploaded_by")
        .order_by("uploaded_at", "pk")
    )
    by_item = {}
    for paper in papers:
        paper.item = next(i for i in items if i.pk == paper.item_id)
        paper.late = paper.is_late()
        by_item.setdefault(paper.item_id, []).append(paper)
    for item in items:
        item.paper_list = by_item.get(item.pk, [])
    # An item about an escalation links to it only for whoever may see the escalation.
    visible = set(
        related(AgendaItem, "escalation")
        .objects.for_user(request.user)
        .filter(pk__in=[i.escalation_id for i in items if i.escalation_id])
        .values_list("pk", flat=True)
    )
    for item in items:
        item.escalation_visible = item.escalation_id in visible
    late = [p for p in papers if p.late]
    attendances = {a.organisation_id: a for a in meeting.attendances.select_related("organisation")}
    can_plan = permissions.can_plan_meeting_of(request.user, meeting)
    return {
        "papers": papers,
        "late_papers": late,
        "unsent_papers": [p for p in papers if p.sent_at is None],
        "attendance_rows": [
            (org, attendances.get(org.pk)) for org in meetings.attendance_organisations(meeting)
        ]
        if attendances
        else [],
        "can_plan": can_plan,
        "can_record_attendance": can_plan and meeting.date <= timezone.localdate(),
        "history": meetings.history(meeting),
        "meeting_url": meetings.meeting_url(meeting),
    }


# -- The meeting -------------------------------------------------------------------------------


@require_GET
def meeting_detail(request, pk):
    """A meeting's page, of whichever body: its agenda with the papers, attendance, decision
    list and history, and what its body adds (a regiekamer: the escalations it discusses).
    It prints as a clean document."""
    meeting = get_meeting_for(request, pk)
    items = list(meeting.agenda_items.select_related("project", "process_step"))
    body = meeting.body
    return render(
        request,
        "meetings/meeting_detail.html",
        {"meeting": meeting, "items": items, "body": body}
        | meeting_context(request, meeting, items)
        | body.meeting_page(meeting, timezone.localdate()),
    )


@require_GET
def moved(request, pk, rest, slug=None):
    """A meeting page's address from before every meeting's pages lived under
    /vergaderingen/<id>/ (in mails and bookmarks): a permanent redirect to where it is now.
    It reads nothing (the table's `slug` of an old table address included); the page it points
    to decides who may see it."""
    query = request.META.get("QUERY_STRING", "")
    target = reverse("meetings:meeting-detail", args=[pk]) + quote(rest)
    return HttpResponsePermanentRedirect(target + (f"?{query}" if query else ""))


def plan_meeting_page(request, body, *, back: tuple, back_label: str):
    """Plan a meeting of `body`: the page behind the body's own view (`tables.views.
    meeting_create` loads a table, a regiekamer or the shareholders' meeting and says where
    "back" goes)."""
    if not permissions.can_plan_meeting(request.user, body):
        raise PermissionDenied
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = meetings.plan_meeting(
                request.user,
                body,
                date=data["date"],
                start_time=data["start_time"],
                location=data["location"],
                papers_due=data["papers_due"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return _done(
                request,
                meeting,
                f"Vergadering van {format_date(meeting.date)} gepland. Zet nu de agenda op.",
            )
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "body": body, "meeting": None, "back": back, "back_label": back_label},
    )


@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    meeting = _plannable(request, pk)
    initial = {
        "date": meeting.date,
        "start_time": meeting.start_time,
        "location": meeting.location,
        "papers_due": meeting.papers_due,
        "version": meeting.version,
    }
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = meetings.update_meeting(
                request.user,
                meeting,
                date=data["date"],
                start_time=data["start_time"],
                location=data["location"],
                papers_due=data["papers_due"],
                seen_version=data["version"],
            )
        except ConflictError as error:
            current = error.current
            where = f", {current.location}" if current.location else ""
            form = conflict_form(
                error,
                request.POST,
                lambda data, stored: MeetingForm(data),
                f"Opgeslagen: {format_date(current.date)}{where}.",
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, meeting, "De vergadering is bijgewerkt.")
    return _page(request, "meetings/meeting_form.html", meeting, form=form)


@require_http_methods(["GET", "POST"])
def meeting_cancel(request, pk):
    """Cancel a meeting (issue 30): it stays on the page and in the feeds, marked as such."""
    meeting = _plannable(request, pk)
    form = MeetingCancelForm(request.POST or None, initial={"version": meeting.version})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meetings.cancel_meeting(
                request.user,
                meeting,
                reason=form.cleaned_data["reason"],
                seen_version=form.cleaned_data["version"],
            )
        except ConflictError as error:
            form = conflict_form(error, request.POST, lambda data, stored: MeetingCancelForm(data))
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, meeting, "De vergadering is afgelast.")
    return _page(request, "meetings/meeting_cancel_form.html", meeting, form=form)


# -- Agenda ------------------------------------------------------------------------------------


def _item_of(meeting, item_pk) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.select_related("meeting"), pk=item_pk, meeting=meeting
    )


def _item_data(form) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "description": data["description"],
        "escalation": data.get("escalation"),
        "process_step": data.get("process_step"),
        "project": data.get("project"),
        "project_reason": data.get("project_reason", ""),
    }


@require_http_methods(["GET", "POST"])
def agenda_item_create(request, pk):
    meeting = _plannable(request, pk)
    form = AgendaItemForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            item = meetings.add_agenda_item(request.user, meeting, **_item_data(form))
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return _done(
                request, meeting, f"Agendapunt ‘{item.title}’ toegevoegd.", f"#punt-{item.pk}"
            )
    return _page(request, "meetings/agenda_item_form.html", meeting, form=form, item=None)


@require_http_methods(["GET", "POST"])
def agenda_item_edit(request, pk, item):
    meeting = get_meeting_for(request, pk)
    item = _item_of(meeting, item)
    require_planner(request, meeting)
    initial = {
        "title": item.title,
        "description": item.description,
        "escalation": item.escalation_id,
        "process_step": item.process_step_id,
        "project": item.project_id,
        "project_reason": item.project_reason,
        "version": item.version,
    }
    form = AgendaItemForm(request.POST or None, initial=initial, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            item = meetings.update_agenda_item(
                request.user, item, seen_version=form.cleaned_data["version"], **_item_data(form)
            )
        except ConflictError as error:
            form = conflict_form(
                error,
                request.POST,
                lambda data, stored: AgendaItemForm(data, meeting=meeting),
                f"Opgeslagen onderwerp: ‘{error.current.title}’.",
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return _done(
                request, meeting, f"Agendapunt ‘{item.title}’ bijgewerkt.", f"#punt-{item.pk}"
            )
    return _page(request, "meetings/agenda_item_form.html", meeting, form=form, item=item)


# A button's hidden fields that are not what the page sends (a version that is no number, an
# unknown direction): nothing is changed, and the page says how to go on.
NOT_AS_SENT = "Deze knop kwam niet goed door; laad de pagina opnieuw en probeer het nog eens."


def _refused(request, meeting, error, anchor=""):
    """A refused button (move, remove, send: no fields of its own to show an error at): the
    reason as a message and back to the meeting page (README "Writing", Answers)."""
    messages.error(request, str(error))
    return redirect(meetings.meeting_url(meeting) + anchor)


@require_POST
def agenda_item_move(request, pk, item):
    meeting = get_meeting_for(request, pk)
    item = _item_of(meeting, item)
    require_planner(request, meeting)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _refused(request, meeting, NOT_AS_SENT, f"#punt-{item.pk}")
    data = form.cleaned_data
    try:
        meetings.move_agenda_item(
            request.user, item, data["richting"], seen_version=data["version"]
        )
    except DomainError as error:
        return _refused(request, meeting, error, f"#punt-{item.pk}")
    return _done(request, meeting, f"Agendapunt ‘{item.title}’ verplaatst.", f"#punt-{item.pk}")


@require_POST
def agenda_item_delete(request, pk, item):
    meeting = get_meeting_for(request, pk)
    item = _item_of(meeting, item)
    require_planner(request, meeting)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _refused(request, meeting, NOT_AS_SENT, f"#punt-{item.pk}")
    try:
        meetings.remove_agenda_item(request.user, item, seen_version=form.cleaned_data["version"])
    except DomainError as error:
        return _refused(request, meeting, error, f"#punt-{item.pk}")
    return _done(request, meeting, f"Agendapunt ‘{item.title}’ verwijderd.", "#agenda")


# -- Papers ------------------------------------------------------------------------------------


def _paper_of(meeting, paper_pk) -> MeetingPaper:
    return get_object_or_404(
        MeetingPaper.objects.select_related("item__meeting"), pk=paper_pk, item__meeting=meeting
    )


@require_http_methods(["GET", "POST"])
def paper_upload(request, pk, item):
    meeting = get_meeting_for(request, pk)
    item = _item_of(meeting, item)
    require_planner(request, meeting)
    form = NewPaperForm(request.POST or None, request.FILES or None, max_mb=_max_mb())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            paper = meetings.add_paper(
                request.user,
                item,
                data["file"],
                public=not data["withhold"],
                woo_reason=data["woo_reason"],
            )
        except DomainError as error:
            form.add_error("file", str(error))
        else:
            late = (
                f" Het is te laat: de stukken moesten uiterlijk {format_date(meeting.send_by)} "
                "uit zijn."
                if paper.is_late()
                else ""
            )
            return _done(
                request,
                meeting,
                f"Stuk ‘{paper.original_name}’ geplaatst.{late}",
                f"#punt-{item.pk}",
            )
    return _page(request, "meetings/paper_form.html", meeting, form=form, item=item, paper=None)


@require_http_methods(["GET", "POST"])
def paper_replace(request, pk, paper):
    meeting = get_meeting_for(request, pk)
    paper = _paper_of(meeting, paper)
    require_planner(request, meeting)
    form = PaperForm(
        request.POST or None,
        request.FILES or None,
        initial={"version": paper.version},
        max_mb=_max_mb(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            new = meetings.replace_paper(
                request.user,
                paper,
                form.cleaned_data["file"],
                seen_version=form.cleaned_data["version"],
            )
        except ConflictError as error:
            # Not versioning.conflict_form: a browser never sends a file back, so there is no
            # input to keep or to compare; the form asks for the file again.
            current = error.current
            form = PaperForm(with_current_version(request.POST, current), max_mb=_max_mb())
            form.add_error(
                None, f"{error} Het stuk is nu ‘{current.original_name}’; kies het bestand opnieuw."
            )
        except DomainError as error:
            form.add_error("file", str(error))
        else:
            return _done(
                request,
                meeting,
                f"‘{paper.original_name}’ vervangen door ‘{new.original_name}’.",
                f"#punt-{paper.item_id}",
            )
    return _page(
        request, "meetings/paper_form.html", meeting, form=form, item=paper.item, paper=paper
    )


@require_http_methods(["GET", "POST"])
def paper_publicity(request, pk, paper):
    """Publish a paper, or withhold or withdraw it with its reason under the Woo (issue 28)."""
    meeting = get_meeting_for(request, pk)
    paper = _paper_of(meeting, paper)
    require_planner(request, meeting)
    initial = {
        "public": "1" if paper.public else "0",
        "woo_reason": paper.woo_reason,
        "version": paper.version,
    }
    form = PaperPublicityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            current = meetings.set_paper_publicity(
                request.user,
                paper,
                public=data["public"],
                woo_reason=data["woo_reason"],
                seen_version=data["version"],
            )
        except ConflictError as error:
            form = conflict_form(error, request.POST, lambda data, stored: PaperPublicityForm(data))
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            state = "is openbaar" if current.public else "is niet openbaar"
            return _done(
                request,
                meeting,
                f"Stuk ‘{current.original_name}’ {state}.",
                f"#punt-{current.item_id}",
            )
    return _page(
        request,
        "meetings/paper_publicity_form.html",
        meeting,
        form=form,
        item=paper.item,
        paper=paper,
    )


@require_POST
def paper_delete(request, pk, paper):
    meeting = get_meeting_for(request, pk)
    paper = _paper_of(meeting, paper)
    require_planner(request, meeting)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _refused(request, meeting, NOT_AS_SENT)
    try:
        meetings.remove_paper(request.user, paper, seen_version=form.cleaned_data["version"])
    except DomainError as error:
        return _refused(request, meeting, error)
    return _done(
        request, meeting, f"Stuk ‘{paper.original_name}’ verwijderd.", f"#punt-{paper.item_id}"
    )


@require_GET
def paper_download(request, pk, paper):
    """The paper as an attachment, under the name it was delivered with, to readers only."""
    meeting = get_meeting_for(request, pk)
    paper = _paper_of(meeting, paper)
    try:
        handle = paper.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    audit(request, "download", f"vergaderstuk.{paper.pk}")
    response = FileResponse(
        handle, as_attachment=True, filename=paper.original_name, content_type=paper.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def papers_send(request, pk):
    meeting = _plannable(request, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _refused(request, meeting, NOT_AS_SENT)
    try:
        sent = meetings.send_papers(
            request.user, meeting, seen_version=form.cleaned_data["version"]
        )
    except DomainError as error:
        return _refused(request, meeting, error)
    count = len(sent)
    what = "1 stuk" if count == 1 else f"{count} stukken"
    return _done(
        request,
        meeting,
        f"{what.capitalize()} verstuurd op {format_datetime(timezone.now())}; de leden krijgen "
        "één mail.",
        "#stukken",
    )


# -- Attendance --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def attendance_edit(request, pk):
    meeting = _plannable(request, pk)
    organisations = meetings.attendance_organisations(meeting)
    existing = {a.organisation_id: a for a in meeting.attendances.all()}
    form = AttendanceForm(
        request.POST or None,
        organisations=organisations,
        existing=existing,
        initial={"version": meeting.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meetings.record_attendance(
                request.user,
                meeting,
                form.attendance(),
                seen_version=form.cleaned_data["version"],
            )
        except ConflictError as error:
            form = conflict_form(
                error,
                request.POST,
                lambda data, stored: AttendanceForm(
                    data, organisations=organisations, existing=existing
                ),
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, meeting, "De aanwezigheid is vastgelegd.", "#aanwezigheid")
    return _page(request, "meetings/attendance_form.html", meeting, form=form)
