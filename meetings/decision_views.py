"""Pages of a meeting's besluitenlijst (decisions with their actions) and of the actions.

A meeting is loaded the way its page is, under `/vergaderingen/<id>/…` (`get_meeting_for`).
Whoever may not read the meeting (`can_read_meeting`) gets a 404; whoever reads it but does
not keep its list (`can_record_decisions`) gets a 403 on the forms. Actions are seen through
`Action.objects.for_user` and their status is set by `can_update_action`.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from smartdelta import permissions
from smartdelta.errors import ConflictError, DomainError
from smartdelta.formatting import format_date as datum
from smartdelta.history import timeline
from smartdelta.htmx import wants_partial
from smartdelta.security import audit
from smartdelta.versioning import conflict_form

from . import decisions
from .decision_forms import (
    OVERDUE,
    REGIEKAMERS,
    ActionFilterForm,
    ActionForm,
    ActionStatusForm,
    AdoptForm,
    DecisionForm,
    DecisionRemoveForm,
)
from .decisions import decision_list
from .meeting_views import get_meeting_for, require_planner
from .meetings import attendance_groups, meeting_url
from .models import Action, ActionStatus, Decision, Meeting

# -- The meeting's decision list -----------------------------------------------------------------


def _decision(meeting: Meeting, pk) -> Decision:
    return get_object_or_404(
        Decision.objects.select_related("updated_by", "agenda_item", "project"),
        pk=pk,
        meeting=meeting,
    )


def _decision_page(request, meeting, form, decision=None, remove_form=None):
    return render(
        request,
        "meetings/decision_form.html",
        {
            "meeting": meeting,
            "meeting_url": meeting_url(meeting),
            "decision": decision,
            "form": form,
            "remove_form": remove_form,
            "actions": list(decision.actions.select_related("owner")) if decision else [],
            "form_url": meeting_url(meeting, "decision-edit", decision.pk)
            if decision
            else meeting_url(meeting, "decision-create"),
            "remove_url": meeting_url(meeting, "decision-remove", decision.pk) if decision else "",
            "history": timeline(
                decision.history.select_related("history_user").order_by(
                    "-history_date", "-history_id"
                )[:50]
            )
            if decision
            else [],
        },
    )


def _links(data: dict) -> dict:
    return {k: data.get(k) for k in ("agenda_item", "project", "escalation")}


@require_http_methods(["GET", "POST"])
def decision_create(request, pk):
    """Record the next decision of the meeting; refused or invalid: 200 with the typed text."""
    meeting = get_meeting_for(request, pk)
    require_planner(request, meeting)
    form = DecisionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            decision = decisions.record_decision(
                request.user, meeting, text=form.cleaned_data["text"], **_links(form.cleaned_data)
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Besluit {decision.number} is vastgelegd.")
            return redirect(meeting_url(meeting) + f"#besluit-{decision.number}")
    return _decision_page(request, meeting, form)


@require_http_methods(["GET", "POST"])
def decision_edit(request, pk, decision):
    meeting = get_meeting_for(request, pk)
    current = _decision(meeting, decision)
    require_planner(request, meeting)
    initial = {
        "text": current.text,
        "agenda_item": current.agenda_item_id,
        "project": current.project_id,
        "escalation": current.escalation_id,
        "version": current.version,
    }
    form = DecisionForm(request.POST or None, initial=initial, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            current = decisions.update_decision(
                request.user,
                current,
                text=data["text"],
                **_links(data),
                seen_version=data["version"],
            )
        except ConflictError as error:
            current = _decision(meeting, decision)
            form = conflict_form(
                error,
                request.POST,
                lambda data, stored: DecisionForm(data, meeting=meeting),
                f"Huidige tekst: {current.text}",
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Besluit {current.number} is bijgewerkt.")
            return redirect(meeting_url(meeting) + f"#besluit-{current.number}")
    remove_form = DecisionRemoveForm(initial={"version": current.version}, auto_id="id_weg_%s")
    return _decision_page(request, meeting, form, current, remove_form)


@require_POST
def decision_remove(request, pk, decision):
    meeting = get_meeting_for(request, pk)
    current = _decision(meeting, decision)
    require_planner(request, meeting)
    remove_form = DecisionRemoveForm(request.POST, auto_id="id_weg_%s")
    if remove_form.is_valid():
        try:
            decisions.remove_decision(
                request.user, current, seen_version=remove_form.cleaned_data["version"]
            )
        except ConflictError as error:
            current = _decision(meeting, decision)
            remove_form = conflict_form(
                error,
                request.POST,
                lambda data, stored: DecisionRemoveForm(data, auto_id="id_weg_%s"),
                f"Huidige tekst: {current.text}",
            )
        except DomainError as error:
            remove_form.add_error(None, str(error))
        else:
            messages.success(request, f"Besluit {current.number} is van de besluitenlijst gehaald.")
            return redirect(meeting_url(meeting) + "#besluiten")
    form = DecisionForm(
        initial={
            "text": current.text,
            "agenda_item": current.agenda_item_id,
            "project": current.project_id,
            "escalation": current.escalation_id,
            "version": current.version,
        },
        meeting=meeting,
    )
    return _decision_page(request, meeting, form, current, remove_form)


@require_http_methods(["GET", "POST"])
def action_create(request, pk, decision):
    meeting = get_meeting_for(request, pk)
    current = _decision(meeting, decision)
    require_planner(request, meeting)
    form = ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = decisions.add_action(
                request.user,
                current,
                description=data["description"],
                owner=data["owner"],
                deadline=data["deadline"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"Actie voor {action.owner} vastgelegd bij besluit {current.number}."
            )
            return redirect(meeting_url(meeting) + f"#besluit-{current.number}")
    return render(
        request,
        "meetings/action_form.html",
        {
            "form": form,
            "meeting": meeting,
            "meeting_url": meeting_url(meeting),
            "decision": current,
            "form_url": meeting_url(meeting, "action-create", current.pk),
        },
    )


@require_POST
def decisions_adopt(request, pk):
    """Adopt the meeting's decision list. A button without fields (only the meeting's version):
    a refusal is a message and the way back to the meeting."""
    meeting = get_meeting_for(request, pk)
    if not permissions.can_adopt_decisions(request.user, meeting):
        raise PermissionDenied
    form = AdoptForm(request.POST)
    back = meeting_url(meeting) + "#besluiten"
    if not form.is_valid():
        messages.error(request, "De besluitenlijst is niet vastgesteld: laad de pagina opnieuw.")
        return redirect(back)
    try:
        decisions.adopt_decisions(request.user, meeting, seen_version=form.cleaned_data["version"])
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "De besluitenlijst is vastgesteld.")
    return redirect(back)


@require_GET
def decision_pdf(request, pk):
    """The besluitenlijst as a tagged PDF (WeasyPrint, through the core's static-only fetcher)."""
    from smartdelta import pdf  # the one PDF renderer: static-only fetcher, fonts kept

    meeting = get_meeting_for(request, pk)
    context = decision_list(meeting, request.user)
    context["body"] = meeting.body
    # Recorded attendance wins over the free text of the time before it was recorded.
    context["attendance_groups"] = attendance_groups(meeting)
    document = pdf.render_pdf(render_to_string("meetings/decision_list_pdf.html", context))
    audit(request, "pdf", f"besluitenlijst.{meeting.pk}")
    response = HttpResponse(document, content_type="application/pdf")
    name = f"besluitenlijst-{slugify(str(meeting.body))}-{meeting.date:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# -- Actions ---------------------------------------------------------------------------------------

LIST_PAGE_SIZE = 50


@require_GET
def action_list(request):
    """Everyone's actions they may see, filtered by status, owner and table (all in the URL).

    Without filters the page shows the open actions of the user's own organisation: "Mijn
    acties".
    """
    data = request.GET
    if not data:
        data = {"status": ActionStatus.OPEN}
        if request.user.organisation_id is not None:
            data["organisatie"] = request.user.organisation.slug
    form = ActionFilterForm(data)
    actions = Action.objects.for_user(request.user).with_related()
    if form.is_valid():
        status = form.cleaned_data["status"]
        if status == OVERDUE:
            actions = actions.overdue()
        elif status:
            actions = actions.filter(status=status)
        if form.cleaned_data["organisatie"] is not None:
            actions = actions.filter(owner=form.cleaned_data["organisatie"])
        tafel = form.cleaned_data["tafel"]
        if tafel in REGIEKAMERS:
            actions = actions.filter(decision__meeting__regiekamer__kind=REGIEKAMERS[tafel])
        elif tafel:
            actions = actions.filter(decision__meeting__table__theme__slug=tafel)
    page = Paginator(actions.order_by("deadline", "pk"), LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    for action in page:
        action.meeting_readable = permissions.can_read_meeting(
            request.user, action.decision.meeting
        )
        action.meeting_link = meeting_url(action.decision.meeting)
    context = {
        "form": form,
        "page_obj": page,
        "query_without_page": query.urlencode() + "&" if query else "",
    }
    template = "meetings/action_list.html"
    if wants_partial(request):
        template += "#results"
    return render(request, template, context)


def _visible_action(request, pk) -> Action:
    return get_object_or_404(
        Action.objects.for_user(request.user)
        .with_related()
        .select_related("status_changed_by", "updated_by"),
        pk=pk,
    )


def _action_context(request, action: Action, status_form=None) -> dict:
    meeting = action.decision.meeting
    planner = permissions.can_record_decisions(request.user, meeting)
    can_update = permissions.can_update_action(request.user, action)
    if can_update and status_form is None:
        status_form = ActionStatusForm(
            initial={"status": action.status, "note": action.note, "version": action.version},
            allow_cancel=planner,
        )
    return {
        "action": action,
        "decision": action.decision,
        "meeting": meeting,
        "meeting_readable": permissions.can_read_meeting(request.user, meeting),
        "meeting_link": meeting_url(meeting),
        "can_update": can_update,
        "can_edit": planner,
        "status_form": status_form if can_update else None,
        "history": timeline(
            action.history.select_related("history_user", "owner").order_by(
                "-history_date", "-history_id"
            )[:50]
        ),
    }


@require_GET
def action_detail(request, pk):
    action = _visible_action(request, pk)
    return render(request, "meetings/action_detail.html", _action_context(request, action))


@require_POST
def action_status(request, pk):
    """Set the status. Refused or invalid: 200 with the page (htmx: its #action partial) and the
    user's input; done: a message and a redirect (htmx: the updated partial)."""
    action = _visible_action(request, pk)
    if not permissions.can_update_action(request.user, action):
        raise PermissionDenied
    planner = permissions.can_record_decisions(request.user, action.decision.meeting)
    form = ActionStatusForm(request.POST, allow_cancel=planner)
    if form.is_valid():
        data = form.cleaned_data
        try:
            decisions.set_action_status(
                request.user,
                action,
                data["status"],
                note=data["note"],
                seen_version=data["version"],
            )
        except ConflictError as error:
            action = _visible_action(request, pk)
            form = conflict_form(
                error,
                request.POST,
                lambda data, stored: ActionStatusForm(data, allow_cancel=planner),
                f"Huidige status: {action.get_status_display().lower()}.",
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            action = _visible_action(request, pk)
            messages.success(
                request, f"Status van de actie: {action.get_status_display().lower()}."
            )
            if not wants_partial(request):
                return redirect("tables:action-detail", pk=pk)
            form = None
    template = "meetings/action_detail.html"
    if wants_partial(request):
        template += "#action"
    return render(request, template, _action_context(request, action, status_form=form))


@require_http_methods(["GET", "POST"])
def action_edit(request, pk):
    """What the action asks, of whom, by when: whoever keeps the meeting's decision list."""
    action = _visible_action(request, pk)
    meeting = action.decision.meeting
    if not permissions.can_record_decisions(request.user, meeting):
        raise PermissionDenied
    initial = {
        "description": action.description,
        "owner": action.owner_id,
        "deadline": action.deadline,
        "version": action.version,
    }
    form = ActionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decisions.update_action(
                request.user,
                action,
                description=data["description"],
                owner=data["owner"],
                deadline=data["deadline"],
                seen_version=data["version"],
            )
        except ConflictError as error:
            action = _visible_action(request, pk)
            form = conflict_form(
                error,
                request.POST,
                lambda data, stored: ActionForm(data),
                f"Huidige actie: {action.description} ({action.owner}, uiterlijk "
                f"{datum(action.deadline)}).",
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "De actie is bijgewerkt.")
            return redirect("tables:action-detail", pk=pk)
    return render(
        request,
        "meetings/action_form.html",
        {
            "form": form,
            "meeting": meeting,
            "meeting_url": meeting_url(meeting),
            "decision": action.decision,
            "action": action,
            "form_url": reverse("tables:action-edit", args=[action.pk]),
        },
    )
