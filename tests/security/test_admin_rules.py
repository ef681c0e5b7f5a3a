"""The admin writes around no rule (issue 32).

Every model whose writes have rules in a service (four eyes on positions, an adopted budget
changes only by a numbered begrotingswijziging, an issued letter never changes, the stored
figures follow their inputs, …) is read-only in `/beheer/`, through the one mixin
`smartdelta.admin.ReadOnlyAdmin`: `beheer` may look, and every write – change, add, delete, an
action, a revert from the history – is refused with 403 and changes no row. Every model of the
portal that the admin shows must be listed here as read-only or as editable with the reason, so a
new model is decided on.
"""

import datetime
from decimal import Decimal as D

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from finance.models import BudgetStatus, BudgetYear
from portfolio.models import Milestone, Position, PositionStatus, Project
from smartdelta.admin import READ_ONLY_NOTICE
from smartdelta.models import User

from .forms import form_data

pytestmark = pytest.mark.django_db

# The portal's own apps; the admin's other models (auth groups, axes, the task queue) are the
# libraries' and keep their own admins.
OWN_APPS = {"smartdelta", "portfolio", "tables", "meetings", "finance", "councils", "following"}
OWN_APPS |= {"results"}

# Models whose writes have rules, with the rule: read-only wherever the admin shows them.
READ_ONLY = {
    "portfolio.Position": "four eyes; a changed position goes back to be confirmed again",
    "portfolio.Milestone": "kept by those who carry the project",
    "smartdelta.InhabitantCount": "a new count only for budgets not adopted (finance.inhabitants)",
    "portfolio.ExternalFunding": "kept by the programme office in the portal (portfolio.funding)",
    "portfolio.ProgressUpdate": "posted by a carrier of the project under their own name",
    "finance.BudgetYear": "adopted: changes only by a numbered begrotingswijziging",
    "finance.BudgetLine": "as its budget",
    "finance.Financing": "as its budget",
    "finance.BudgetAmendment": "numbered, written with the change it records",
    "finance.IssuedLetter": "an issued letter never changes",
    "finance.ProjectYear": "stored figures, written by finance.shares",
    "finance.Share": "stored figures, written by finance.shares",
    "finance.PartyYear": "stored figures, written by finance.shares",
    "finance.YearTotal": "stored figures, written by finance.shares",
    "finance.FiguresBasis": "stored figures, written by finance.shares",
    "finance.RenderedLetter": "a letter's PDF, made from its HTML by the worker",
    "tables.Escalation": "its states and who may move them (tables.escalations)",
    "tables.EscalationEvent": "the escalation's append-only timeline",
    "tables.EscalationComment": "written by those who may see the escalation",
    "meetings.Decision": "decision lists (meetings.decisions)",
    "meetings.Action": "decision lists (meetings.decisions)",
    "tables.Seat": "seats at a table (tables.seats)",
    "tables.Membership": "who sits in a regiekamer decides who sees its escalations",
    "tables.ChairTerm": "the rotating chair (tables.chairs)",
    "meetings.Meeting": "planned in the portal (meetings.meetings)",
    "meetings.AgendaItem": "as its meeting",
    "meetings.MeetingPaper": "as its meeting",
    "meetings.Attendance": "as its meeting",
    "councils.CouncilProcedure": "one row per core municipality, started in the portal",
    "councils.CouncilStep": "an outcome must fit the procedure; recorded by its municipality",
    "smartdelta.Organisation": "the seven fixed, the slug fixed, the CBS code checked "
    "(smartdelta.organisations)",
    "smartdelta.MailHandling": "who sent a failed mail again or let it drop (smartdelta.mail)",
}

# Models the admin may change, and why that writes around no rule.
EDITABLE = {
    "smartdelta.User": "the admin is where accounts are kept; role changes are logged; the "
    "regiekamer flags are read-only (tables.memberships sets them with the seat)",
    "portfolio.Theme": "the register's headings; its slug is read-only once saved",
    "portfolio.Project": "no rule beyond who edits and the version, which the admin stamps; "
    "its coalition fields are read-only",
    "finance.LetterText": "the free text of next letters, stamped; issued ones are kept apart",
    "tables.BoardTable": "a table is its theme; its seats are read-only",
    "tables.TripleHelixTable": "no rule and no page in the portal",
    "tables.Regiekamer": "name and kind; its memberships are read-only",
    "tables.ProcessStep": "no rule beyond who edits and the version, which the admin stamps",
    "following.Follow": "a person's own choice; the digest shows only what they may see",
    "following.DigestPreference": "a person's own choice",
    "following.DigestSent": "a log; deleting a row lets that digest go out again",
}


def _shown():
    """(label, admin or inline instance, is_inline) for every model the admin shows."""
    for model, model_admin in admin.site._registry.items():
        yield model._meta.label, model_admin, False
        for inline in model_admin.inlines:
            yield inline.model._meta.label, inline(model, admin.site), True


def _request(user):
    request = RequestFactory().get("/beheer/")
    request.user = user
    return request


def test_every_model_of_the_portal_in_the_admin_is_decided():
    assert not READ_ONLY.keys() & EDITABLE.keys()
    for label in [*READ_ONLY, *EDITABLE]:
        apps.get_model(label)  # a typo or a removed model fails here
    undecided = {
        label
        for label, _, _ in _shown()
        if label.split(".")[0] in OWN_APPS and label not in READ_ONLY and label not in EDITABLE
    }
    assert not undecided, "Leg vast of het beheer deze modellen mag wijzigen, en waarom"


def test_models_with_rules_are_read_only_wherever_the_admin_shows_them():
    request = _request(User(username="beheer", is_staff=True, is_superuser=True))
    shown = set()
    for label, model_admin, is_inline in _shown():
        if label not in READ_ONLY:
            continue
        shown.add(label)
        assert model_admin.has_view_permission(request), label
        assert not model_admin.has_add_permission(request, None), label
        assert not model_admin.has_change_permission(request, None), label
        assert not model_admin.has_delete_permission(request, None), label
        if not is_inline:
            assert model_admin.get_actions(request) == {}, label
    assert {"portfolio.Position", "finance.BudgetYear", "meetings.Meeting"} <= shown


def _rows(model_admin):
    """The rows the admin page of `model_admin` shows, with those of its inlines, and the count
    of their history rows: what a refused write must leave as it was."""
    models = [model_admin.model, *(inline.model for inline in model_admin.inlines)]
    state = {}
    for model in models:
        state[model._meta.label] = list(model._default_manager.order_by("pk").values())
        if hasattr(model, "history"):
            state[f"{model._meta.label} history"] = model.history.count()
    return state


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _altered(obj) -> dict:
    """The object's fields as a browser would post them, with every text changed."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key:
            continue
        value = field.value_from_object(obj)
        if field.get_internal_type() in ("CharField", "TextField") and not field.choices:
            value = f"{value} gewijzigd"
        data[field.attname.removesuffix("_id")] = "" if value is None else str(value)
    return data


@pytest.fixture
def beheer(scenario):
    client = Client()
    client.force_login(User.objects.get(username="beheer"))
    return client


def test_beheer_can_look_at_every_model_with_rules_but_write_none(scenario, beheer):
    walked = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.label not in READ_ONLY:
            continue
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"De demo heeft geen {model._meta.label} om te bekijken"
        before = _rows(model_admin)

        page = beheer.get(_url(model, "changelist"))
        assert page.status_code == 200, model
        assert READ_ONLY_NOTICE in page.text
        page = beheer.get(_url(model, "change", obj.pk))
        assert page.status_code == 200, model
        assert READ_ONLY_NOTICE in page.text
        for button in ('name="_save"', 'name="_continue"', 'value="Opslaan"', 'value="Save"'):
            assert button not in page.text, (model, button)

        refused = [
            beheer.post(_url(model, "change", obj.pk), _altered(obj)),
            beheer.get(_url(model, "add")),
            beheer.post(_url(model, "add"), _altered(obj)),
            beheer.get(_url(model, "delete", obj.pk)),
            beheer.post(_url(model, "delete", obj.pk), {"post": "yes"}),
        ]
        if hasattr(model, "history") and obj.history.exists():
            version = obj.history.order_by("history_id").first()
            url = _url(model, "simple_history", obj.pk, version.history_id)
            assert beheer.get(url).status_code == 200, model
            refused.append(beheer.post(url, _altered(obj)))
        assert [r.status_code for r in refused] == [403] * len(refused), model
        # No action is offered, so a posted one does nothing.
        beheer.post(
            _url(model, "changelist"),
            {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
        )
        assert _rows(model_admin) == before, model
        walked.append(model._meta.label)
    assert {"portfolio.Position", "finance.BudgetYear", "meetings.Meeting"} <= set(walked)


def test_beheer_does_not_confirm_a_position_alone(scenario, beheer):
    """Issue 32: `beheer` confirmed a submitted position at its admin page on its own."""
    position = Position.objects.filter(status=PositionStatus.SUBMITTED).order_by("pk").first()
    version = position.version
    data = {
        **_altered(position),
        "status": PositionStatus.CONFIRMED,
        "amount": "1",
        "note": position.note,
    }
    response = beheer.post(_url(Position, "change", position.pk), data)
    assert response.status_code == 403
    position.refresh_from_db()
    assert (position.status, position.version) == (PositionStatus.SUBMITTED, version)


def test_an_adopted_budget_line_changes_by_no_admin_page(scenario, beheer):
    """Issue 32: a line of the adopted 2024 budget went from 300.000 to 1.300.000 at the
    budget's admin page, without a begrotingswijziging."""
    budget = BudgetYear.objects.get(year=2024)
    assert budget.status == BudgetStatus.ADOPTED
    line = budget.lines.get(amount=D("300000"))
    version = budget.version
    lines = list(budget.lines.order_by("component", "order", "name"))
    data = {
        "year": "2024",
        "status": budget.status,
        "indexation_percent": str(budget.indexation_percent),
        "reference_date": str(budget.reference_date or ""),
        "carried_over": str(budget.carried_over),
        "note": budget.note,
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": str(len(lines)),
        "financing-TOTAL_FORMS": "0",
        "financing-INITIAL_FORMS": "0",
    }
    for i, each in enumerate(lines):
        data |= {
            f"lines-{i}-id": str(each.pk),
            f"lines-{i}-budget": str(budget.pk),
            f"lines-{i}-name": each.name,
            f"lines-{i}-component": str(each.component),
            f"lines-{i}-amount": "1300000" if each.pk == line.pk else str(each.amount),
            f"lines-{i}-order": str(each.order),
        }
    assert beheer.post(_url(BudgetYear, "change", budget.pk), data).status_code == 403
    line.refresh_from_db()
    budget.refresh_from_db()
    assert (line.amount, budget.version) == (D("300000"), version)
    assert not budget.amendments.exists()


def test_a_project_is_edited_in_the_admin_but_not_its_coalition_or_milestones(scenario, beheer):
    project = scenario["carried_project"]
    milestone = scenario["milestone"]
    url = _url(Project, "change", project.pk)
    prefix = Milestone._meta.get_field("project").remote_field.get_accessor_name()
    data = form_data(beheer.get(url).text, None, name="Hernoemd project 32")
    data |= {
        "coalition_closed_on": "2024-01-01",
        "coalition_reference": "Zelf gesloten",
        f"{prefix}-0-title": "Zelf bereikt",
        f"{prefix}-0-done_on": "2024-01-01",
    }
    data.pop("_addanother", None)
    data.pop("_continue", None)
    response = beheer.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    project.refresh_from_db()
    milestone.refresh_from_db()
    assert project.name == "Hernoemd project 32"
    assert (project.coalition_closed_on, project.coalition_reference) == (None, "")
    assert milestone.title == "Plan gereed"
    assert (milestone.due_date, milestone.done_on) == (datetime.date(2025, 1, 1), None)


def test_a_regiekamer_role_comes_with_a_seat_not_from_the_admin(scenario, beheer):
    """Membership of a regiekamer is kept in the portal with its decision (issue 29); the user
    admin still edits the account but cannot make someone a member without a seat."""
    user = User.objects.filter(is_bestuurlijke_regiekamer=False, is_superuser=False).first()
    url = _url(User, "change", user.pk)
    page = beheer.get(url).text
    assert 'name="is_bestuurlijke_regiekamer"' not in page
    data = form_data(page, None, first_name="Hernoemd")
    data |= {"is_bestuurlijke_regiekamer": "on", "is_ambtelijke_regiekamer": "on"}
    data.pop("_addanother", None)
    data.pop("_continue", None)
    response = beheer.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    user.refresh_from_db()
    assert user.first_name == "Hernoemd"
    assert not user.is_bestuurlijke_regiekamer and not user.is_ambtelijke_regiekamer
