"""History is complete: every write path leaves history rows that name the acting user.

Walks the write paths – every POST endpoint of the portal (plain and htmx, with the form the page
itself offers), a change in the admin of every history-tracked model, and the management
commands – and checks that each write added history rows and that every new row names who did
it. A new POST endpoint must join WRITES; a new model must keep history or be listed in
UNTRACKED with the reason.
"""

import datetime
from decimal import Decimal as D

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from finance.models import BudgetYear
from portfolio.models import Position, Project
from smartdelta.models import User
from tables.models import CollaborationMilestone, Membership
from tests.access import ACCESS, PERSONAS

from .forms import form_data

pytestmark = pytest.mark.django_db

# Project models without HistoricalRecords, and why that is safe.
UNTRACKED = {
    # The escalation's own append-only timeline: each row names its actor and is never changed;
    # the escalation itself keeps history.
    "tables.EscalationEvent",
    # Component 3 as stored (finance/shares.py): derived from tracked rows (positions, projects,
    # budgets, inhabitants) in the transaction that changes them; their history is the record.
    "finance.ProjectYear",
    "finance.Share",
    "finance.FiguresBasis",
    "finance.PartyYear",
    "finance.YearTotal",
    # What waits on each organisation's positions (portfolio/counts.py): counted from tracked
    # positions and projects in the transaction that changes them.
    "portfolio.PositionCount",
    # A letter's PDF as the task worker made it from the letter's HTML (finance/tasks.py):
    # derived from tracked rows, made again whenever it is asked for; an issued letter's PDF
    # is kept on the tracked IssuedLetter.
    "finance.RenderedLetter",
    # Written once by the issuing admin and once at its single use, both as audit events
    # (smartdelta.twofactor); the row itself records who issued it, when and when it was used.
    "smartdelta.EnrolmentCode",
    # Bookkeeping of the digest task (following/digest.py): written once, never changed.
    "following.DigestSent",
    # Whether an indicator is behind schedule (results/indicators.py keep_state): derived from
    # the tracked indicator, targets and measurements in the transaction that changes them.
    "results.IndicatorState",
}
OWN_APPS = {"smartdelta", "portfolio", "tables", "meetings", "finance", "following"}


def _tracked_models():
    return [
        m
        for m in apps.get_models()
        if hasattr(m, "history") and not m.__name__.startswith("Historical")
    ]


def test_every_model_of_the_portal_keeps_history_or_says_why_not():
    missing = [
        m._meta.label
        for m in apps.get_models()
        if m._meta.app_label in OWN_APPS
        and not m.__name__.startswith("Historical")
        and not hasattr(m, "history")
        and m._meta.label not in UNTRACKED
    ]
    assert not missing, f"Geef deze modellen HistoricalRecords (of leg uit waarom niet): {missing}"


def _history_marks() -> dict:
    """The newest history id per tracked model: rows above it are new."""
    marks = {}
    for model in _tracked_models():
        last = model.history.order_by("-history_id").values_list("history_id", flat=True).first()
        marks[model] = last or 0
    return marks


def _new_history(marks) -> list:
    return [
        row
        for model, last in marks.items()
        for row in model.history.filter(history_id__gt=last).select_related("history_user")
    ]


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _project_create(s, client):
    url = reverse("portfolio:project-create")
    return url, form_data(
        _page(client, url),
        name="Geschiedenisproject",
        theme=str(s["project"].theme_id),
        lead=str(s["project"].lead_id),
        total_cost="1.000",
        base_funding="0",
        participant_funding="0",
    )


def _project_edit(s, client):
    url = reverse("portfolio:project-edit", args=[s["project"].pk])
    return url, form_data(_page(client, url), description="Bijgewerkte omschrijving")


def _progress_add(s, client):
    url = reverse("portfolio:progress-add", args=[s["project"].pk])
    page = _page(client, reverse("portfolio:project-detail", args=[s["project"].pk]))
    return url, form_data(page, url, date="2025-01-15", light="op_koers", text="Loopt goed")


def _position_edit(s, client):
    url = reverse("portfolio:position-edit", args=[s["project"].pk, "dordrecht"])
    current = Position.objects.filter(project=s["project"], organisation__slug="dordrecht").first()
    variant = "geen" if current is None or current.variant != "geen" else "solidariteit"
    changes = {"variant": variant}
    if variant == "solidariteit":
        changes["amount"] = "1.000"
    return url, form_data(_page(client, url), url, **changes)


def _position_status(s, client):
    url = reverse("portfolio:position-status", args=[s["project"].pk, "dordrecht"])
    page = _page(client, reverse("portfolio:project-detail", args=[s["project"].pk]))
    return url, form_data(page, url, status="ingetrokken")


def _process_step(s, client):
    step = s["step"]
    url = reverse("tables:process-step-edit", args=[step.table.slug, step.pk])
    return url, form_data(_page(client, url), url, note="Bijgewerkt door de test")


def _chair_term(s, client):
    url = reverse("regiekamer:chair-term-create") + "?kamer=ambtelijk"
    chair = User.objects.get(username="secretaris-zwijndrecht")
    return url, form_data(
        _page(client, url),
        url,
        chair=str(chair.pk),
        valid_from="2031-01-01",
        valid_until="2031-06-30",
    )


def _membership_end(s, client):
    # Sliedrecht's mayor leaves the bestuurlijke regiekamer (a fixed past date) ...
    membership = Membership.objects.get(
        regiekamer__kind="bestuurlijk", user__username="burgemeester-sliedrecht"
    )
    url = reverse("regiekamer:membership-end", args=[membership.pk])
    return url, form_data(_page(client, url), url, valid_until="2025-12-31", decision="Raad 9")


def _membership_create(s, client):
    # ... and Sliedrecht sends another administrator from the day after.
    url = reverse("regiekamer:membership-create", args=["bestuurlijk"])
    member = User.objects.get(username="secretaris-sliedrecht")
    return url, form_data(
        _page(client, url), url, member=str(member.pk), valid_from="2026-01-01", decision="B&W 9"
    )


def _milestone_collab_create(s, client):
    url = reverse("regiekamer:milestone-create")
    owner = str(Organisation.objects.get(slug="dordrecht").pk)
    return url, form_data(
        _page(client, url), url, title="Evaluatie", due_date="2027-03-01", owner=owner
    )


def _milestone_collab_edit(s, client):
    url = reverse(
        "regiekamer:milestone-edit", args=[CollaborationMilestone.objects.order_by("pk")[0].pk]
    )
    return url, form_data(_page(client, url), url, status="afgerond")


def _escalation_create(s, client):
    url = reverse("regiekamer:escalation-create")
    return url, form_data(
        _page(client, url),
        url,
        title="Nieuwe escalatie",
        description="Wat er speelt.",
        category="capaciteit",
    )


def _escalation_comment(s, client):
    url = reverse("regiekamer:escalation-comment", args=[s["escalation"].pk])
    page = _page(client, reverse("regiekamer:escalation-detail", args=[s["escalation"].pk]))
    return url, form_data(page, url, text="Een reactie")


def _escalation_transition(s, client):
    url = reverse("regiekamer:escalation-transition", args=[s["escalation"].pk, "take_up"])
    page = _page(client, reverse("regiekamer:escalation-detail", args=[s["escalation"].pk]))
    return url, form_data(page, url, reason="Opgepakt")


def _budget_edit(s, client):
    url = reverse("finance:budget-edit", args=[2024])
    data = form_data(_page(client, url))
    name = next(k for k in data if k.startswith("posten-0-") and k.endswith("amount"))
    data[name] = "123.456,78"
    # The demo budget is adopted: a change is a begrotingswijziging with its decision.
    data.update(
        amendment_title="Bijstelling",
        amendment_reason="Uitvoering",
        amendment_reference="AB-1",
        amendment_date="2024-06-01",
    )
    return url, data


def _open_next(s, client):
    url = reverse("finance:budget-open-next", args=[2024])
    return url, form_data(_page(client, url), indexation="2,5")


def _letter_edit(s, client):
    url = reverse("finance:letter-edit", args=[2024])
    return url, form_data(_page(client, url), subject="Bijdrage 2024 – bijgewerkt")


def _budget_adopt(s, client):
    from finance import budget as budgets

    office = User.objects.get(username="programmabureau")
    # A concept year to adopt (opened here, unless the open-next write above opened it).
    new = BudgetYear.objects.filter(year=2025).first() or budgets.open_next_year(
        office, BudgetYear.objects.get(year=2024), D("2")
    )
    url = reverse("finance:budget-adopt", args=[new.year])
    detail = _page(client, reverse("finance:budget-detail", args=[new.year]))
    return url, form_data(detail, url, adopted_on="2025-01-15", decision_reference="AB-2025-1")


def _letter_issue(s, client):
    url = reverse("finance:letter-issue", args=["dordrecht", 2024])
    return url, form_data(_page(client, reverse("finance:report", args=["dordrecht", 2024])), url)


def _letters_issue_all(s, client):
    url = reverse("finance:letters-issue-all", args=[2024])
    return url, form_data(_page(client, reverse("finance:budget-detail", args=[2024])), url)


def _particulars(s, client):
    url = reverse("finance:particulars-edit", args=["dordrecht"])
    return url, form_data(
        _page(client, url),
        portfolio_holder="Wethouder A. Jansen",
        reference_prefix="RIB-2024",
        first_signatory_name="B. de Groot",
        second_signatory_name="C. Visser",
    )


def _coalition_close(s, client):
    # A demo project whose coalition is still open (only Dordrecht and Zwijndrecht confirmed).
    project = Project.objects.get(name="Digital mainport")
    url = reverse("portfolio:coalition-close", args=[project.pk])
    page = _page(client, reverse("portfolio:project-detail", args=[project.pk]))
    return url, form_data(page, url, closed_on="2024-05-01", reference="Besluit 2024/12")


def _follow_project(s, client):
    url = reverse("following:follow-project", args=[s["project"].pk])
    page = _page(client, reverse("portfolio:project-detail", args=[s["project"].pk]))
    return url, form_data(page, url)


def _follow_theme(s, client):
    url = reverse("following:follow-theme", args=[s["project"].theme.slug])
    page = _page(client, reverse("portfolio:sorteerbak", args=[s["project"].theme.slug]))
    return url, form_data(page, url)


def _follow_table(s, client):
    url = reverse("following:follow-table", args=[s["table"].slug])
    return url, form_data(
        _page(client, reverse("tables:table-detail", args=[s["table"].slug])), url
    )


def _digest_preference(s, client):
    url = reverse("following:digest-preference")
    return url, form_data(_page(client, reverse("following:follow-list")), url, period="dagelijks")


# Every POST endpoint: who writes, and how to fill in the form the page offers (a key
# "name#body": the same endpoint again, for a meeting of another body).
WRITES = {
    "portfolio:project-create": ("programme_office", _project_create),
    "portfolio:project-edit": ("programme_office", _project_edit),
    "portfolio:coalition-close": ("programme_office", _coalition_close),
    "portfolio:progress-add": ("programme_office", _progress_add),
    "portfolio:position-edit": ("official_dordrecht", _position_edit),
    "portfolio:position-status": ("official_dordrecht", _position_status),
    "tables:process-step-edit": ("programme_office", _process_step),
    "regiekamer:chair-term-create": ("secretary", _chair_term),
    "regiekamer:membership-end": ("programme_office", _membership_end),
    "regiekamer:membership-create": ("programme_office", _membership_create),
    "regiekamer:milestone-create": ("programme_office", _milestone_collab_create),
    "regiekamer:milestone-edit": ("programme_office", _milestone_collab_edit),
    "regiekamer:escalation-create": ("helix_partner", _escalation_create),
    "regiekamer:escalation-comment": ("official_zwijndrecht", _escalation_comment),
    "regiekamer:escalation-transition": ("secretary", _escalation_transition),
    "finance:budget-edit": ("programme_office", _budget_edit),
    "finance:budget-open-next": ("programme_office", _open_next),
    "finance:letter-edit": ("programme_office", _letter_edit),
    "finance:budget-adopt": ("programme_office", _budget_adopt),
    "finance:letter-issue": ("official_dordrecht", _letter_issue),
    "finance:particulars-edit": ("official_dordrecht", _particulars),
    "finance:letters-issue-all": ("programme_office", _letters_issue_all),
    "following:follow-project": ("councillor", _follow_project),
    "following:follow-theme": ("partner_official", _follow_theme),
    "following:follow-table": ("no_role", _follow_table),
    "following:digest-preference": ("councillor", _digest_preference),
}


def test_every_post_endpoint_is_walked():
    posting = {name for name, (_k, _g, post, _s) in ACCESS.items() if post}
    # A key "name#body" walks the same URL for the meeting of another body.
    assert posting == {key.split("#")[0] for key in WRITES}, "Voeg het schrijfpad toe aan WRITES"


@pytest.mark.parametrize("htmx", [False, True], ids=["gewoon", "htmx"])
def test_every_write_through_the_portal_names_the_acting_user(scenario, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    failures = []
    for name, (persona, fill) in WRITES.items():
        client = scenario["clients"][persona]
        url, data = fill(scenario, client)
        marks = _history_marks()
        response = client.post(url, data, headers=headers)
        if response.status_code not in (200, 302) or (
            response.context and _form_errors(response.context)
        ):
            failures.append((name, "niet opgeslagen", response.status_code, _errors(response)))
            continue
        rows = _new_history(marks)
        actor = User.objects.get(username=PERSONAS[persona])
        if not rows:
            failures.append((name, "geen geschiedenis"))
        wrong = {
            (r.instance_type.__name__, r.history_user) for r in rows if r.history_user != actor
        }
        if wrong:
            failures.append((name, "geschiedenis zonder de handelende gebruiker", wrong))
    assert not failures, "\n".join(map(str, failures))


def _form_errors(context) -> list:
    errors = []
    for key in ("form", "lines", "financing", "comment_form"):
        form = context.get(key)
        if form is not None and getattr(form, "is_bound", False) and form.errors:
            errors.append((key, form.errors))
    return errors


def _errors(response):
    if response.context:
        return _form_errors(response.context)
    return response.content[:300]


def _admin_request(user):
    request = RequestFactory().get("/beheer/")
    request.user = user
    return request


def test_an_admin_change_of_every_tracked_model_names_the_admin(scenario):
    """Every history-tracked model the admin may change, saved through its change page
    unchanged (the read-only ones refuse every write: tests/security/test_admin_rules.py)."""
    beheer = User.objects.get(username="beheer")
    client = Client()
    client.force_login(beheer)
    tracked = set(_tracked_models())
    checked = []
    for model, model_admin in admin.site._registry.items():
        if model not in tracked or not model_admin.has_change_permission(_admin_request(beheer)):
            continue
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, model
        url = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk]
        )
        page = _page(client, url)
        marks = _history_marks()
        data = form_data(page, None)
        data.pop("_addanother", None)
        data.pop("_continue", None)
        response = client.post(url, data)
        assert response.status_code == 302, (model, _errors(response))
        rows = _new_history(marks)
        assert any(r.instance_type is model and r.id == obj.pk for r in rows), model
        assert all(r.history_user == beheer for r in rows), model
        checked.append(model._meta.label)
    assert {"portfolio.Project", "portfolio.Theme", "smartdelta.User"} <= set(checked)


def test_load_demo_names_the_acting_user_in_every_history_row(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    unnamed = {
        model._meta.label: model.history.filter(history_user__isnull=True).count()
        for model in _tracked_models()
    }
    assert not {k: v for k, v in unnamed.items() if v}
    assert Project.history.exists() and Position.history.exists()


def test_history_rows_keep_the_time_of_the_change(scenario):
    """A sanity check of the walk: new rows are from now, not copied old rows."""
    marks = _history_marks()
    client = scenario["clients"]["programme_office"]
    url, data = _project_edit(scenario, client)
    client.post(url, data)
    rows = _new_history(marks)
    assert rows
    now = datetime.datetime.now(datetime.UTC)
    assert all(abs((now - r.history_date).total_seconds()) < 60 for r in rows)


# -- Council procedures and calendar subscriptions (councils app) -------------------------------
OWN_APPS.add("councils")


def _procedure_create(s, client):
    url = reverse("councils:procedure-create")
    return url, form_data(
        _page(client, url),
        url,
        title="Programmabegroting 2027",
        deadline="2027-06-30",
        default_kind="zienswijze",
    )


def _council_step(s, client):
    from councils.models import CouncilProcedure

    procedure = CouncilProcedure.objects.order_by("pk").first()
    url = reverse("councils:step-edit", args=[procedure.pk, "dordrecht"])
    return url, form_data(_page(client, url), url, outcome="ingestemd", council_date="2025-12-10")


def _subscription_create(s, client):
    url = reverse("tables:calendar-subscription-create")
    return url, form_data(_page(client, reverse("tables:calendar-subscriptions")), url)


def _subscription_change(s, client):
    from meetings import calendar

    user = User.objects.get(username=PERSONAS["councillor"])
    subscription, _ = calendar.subscribe(user, table=s["table"])
    url = reverse("tables:calendar-subscription-change", args=[subscription.pk])
    return url, {"action": "vernieuwen"}


WRITES |= {
    "councils:procedure-create": ("programme_office", _procedure_create),
    "councils:step-edit": ("official_dordrecht", _council_step),
    "tables:calendar-subscription-create": ("councillor", _subscription_create),
    "tables:calendar-subscription-change": ("councillor", _subscription_change),
}


# -- Meetings (issue 15) -------------------------------------------------------------------------


def _meeting_page(s, client, key="table"):
    meeting = s[f"{key}_meeting"]
    return _page(client, reverse("meetings:meeting-detail", args=[meeting.pk]))


def _pdf(name="stuk.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tables.demo import demo_pdf

    return SimpleUploadedFile(name, demo_pdf("Geschiedenis"))


def _meeting_create(s, client):
    url = reverse("tables:meeting-create", args=[s["table"].slug])
    return url, form_data(_page(client, url), url, date="2031-03-04", location="Dordrecht")


def _regiekamer_meeting_create(s, client):
    url = reverse("regiekamer:meeting-create", args=["ambtelijk"])
    return url, form_data(_page(client, url), url, date="2031-03-05")


def _meeting_edit(s, client):
    url = reverse("meetings:meeting-edit", args=[s["table_meeting"].pk])
    return url, form_data(_page(client, url), url, location="Gewijzigde plaats")


def _agenda_item_create(s, client):
    url = reverse("meetings:agenda-item-create", args=[s["table_meeting"].pk])
    return url, form_data(_page(client, url), url, title="Nieuw punt")


def _agenda_item_edit(s, client):
    url = reverse("meetings:agenda-item-edit", args=[s["table_meeting"].pk, s["table_item"].pk])
    return url, form_data(_page(client, url), url, title="Gewijzigd punt")


def _agenda_item_move(s, client):
    url = reverse("meetings:agenda-item-move", args=[s["table_meeting"].pk, s["table_item"].pk])
    return url, form_data(_meeting_page(s, client), url) | {"richting": "op"}


def _agenda_item_delete(s, client):
    from meetings import meetings

    office = User.objects.get(username="programmabureau")
    item = meetings.add_agenda_item(office, s["table_meeting"], title="Weg ermee")
    url = reverse("meetings:agenda-item-delete", args=[s["table_meeting"].pk, item.pk])
    return url, form_data(_meeting_page(s, client), url)


def _paper_upload(s, client):
    url = reverse("meetings:paper-upload", args=[s["table_meeting"].pk, s["table_item"].pk])
    return url, form_data(_page(client, url), url) | {"file": _pdf()}


def _paper_replace(s, client):
    url = reverse("meetings:paper-replace", args=[s["table_meeting"].pk, s["table_paper"].pk])
    return url, form_data(_page(client, url), url) | {"file": _pdf("nieuw.pdf")}


def _paper_delete(s, client):
    url = reverse("meetings:paper-delete", args=[s["table_meeting"].pk, s["table_paper"].pk])
    return url, form_data(_meeting_page(s, client), url)


def _papers_send(s, client):
    url = reverse("meetings:papers-send", args=[s["table_meeting"].pk])
    return url, form_data(_meeting_page(s, client), url)


def _attendance(s, client):
    url = reverse("meetings:attendance-edit", args=[s["table_meeting"].pk])
    data = form_data(_page(client, url), url)
    return url, {k: ("aanwezig" if k.startswith("aanwezig_") else v) for k, v in data.items()}


def _paper_publicity(s, client):
    """Withdraw a paper with its reason under the Woo (issue 28)."""
    url = reverse("meetings:paper-publicity", args=[s["table_meeting"].pk, s["table_paper"].pk])
    data = form_data(_page(client, url), url)
    return url, data | {"public": "0", "woo_reason": "Artikel 5.1 lid 2 sub b Woo."}


WRITES |= {
    "tables:meeting-create": ("programme_office", _meeting_create),
    "regiekamer:meeting-create": ("secretary", _regiekamer_meeting_create),
    "meetings:meeting-edit": ("programme_office", _meeting_edit),
    "meetings:agenda-item-create": ("programme_office", _agenda_item_create),
    "meetings:agenda-item-edit": ("programme_office", _agenda_item_edit),
    "meetings:agenda-item-move": ("programme_office", _agenda_item_move),
    "meetings:agenda-item-delete": ("programme_office", _agenda_item_delete),
    "meetings:paper-upload": ("programme_office", _paper_upload),
    "meetings:papers-send": ("programme_office", _papers_send),
    "meetings:paper-replace": ("programme_office", _paper_replace),
    "meetings:attendance-edit": ("programme_office", _attendance),
    # before the paper is deleted
    "meetings:paper-publicity": ("programme_office", _paper_publicity),
    "meetings:paper-delete": ("programme_office", _paper_delete),
}


# -- Decision lists and actions (issue 15) -------------------------------------------------------


def _meeting_args(s, regiekamer) -> list:
    """The meeting whose list is written: a table's, a regiekamer's (True) or the shareholders'
    meeting's ("partners"); every meeting's pages live under /vergaderingen/<id>/."""
    if regiekamer == "partners":
        return [s["partners_meeting"].pk]
    if regiekamer:
        return [s["chaired_meeting"].pk]
    return [s["table_meeting"].pk]


def _decision_key(regiekamer) -> str:
    if regiekamer == "partners":
        return "partners_decision"
    return "regiekamer_decision" if regiekamer else "decision"


def _decision_create(regiekamer):
    def fill(s, client):
        args = _meeting_args(s, regiekamer)
        url = reverse("meetings:decision-create", args=args)
        return url, form_data(_page(client, url), url, text="Nieuw besluit")

    return fill


def _decision_edit(regiekamer):
    def fill(s, client):
        args = _meeting_args(s, regiekamer)
        key = _decision_key(regiekamer)
        url = reverse("meetings:decision-edit", args=[*args, s[key].pk])
        return url, form_data(_page(client, url), url, text="Bijgewerkt besluit")

    return fill


def _decision_remove(regiekamer):
    def fill(s, client):
        args = _meeting_args(s, regiekamer)
        key = _decision_key(regiekamer)
        page = _page(client, reverse("meetings:decision-edit", args=[*args, s[key].pk]))
        url = reverse("meetings:decision-remove", args=[*args, s[key].pk])
        return url, form_data(page, url)

    return fill


def _action_create(regiekamer):
    def fill(s, client):
        args = _meeting_args(s, regiekamer)
        key = _decision_key(regiekamer)
        url = reverse("meetings:action-create", args=[*args, s[key].pk])
        owner = str(Organisation.objects.get(slug="papendrecht").pk)
        return url, form_data(
            _page(client, url), url, description="Nieuwe actie", owner=owner, deadline="2040-01-01"
        )

    return fill


def _decisions_adopt(regiekamer):
    def fill(s, client):
        args = _meeting_args(s, regiekamer)
        url = reverse("meetings:decisions-adopt", args=args)
        return url, form_data(_page(client, reverse("meetings:meeting-detail", args=args)), url)

    return fill


def _action_status(s, client):
    url = reverse("tables:action-status", args=[s["action"].pk])
    page = _page(client, reverse("tables:action-detail", args=[s["action"].pk]))
    return url, form_data(page, url, status="gereed", note="Klaar")


def _action_edit(s, client):
    url = reverse("tables:action-edit", args=[s["action"].pk])
    return url, form_data(_page(client, url), url, description="Andere actie")


from smartdelta.models import Organisation  # noqa: E402  (appended block)

WRITES |= {
    "meetings:decision-create": ("programme_office", _decision_create(False)),
    "meetings:decision-edit": ("programme_office", _decision_edit(False)),
    "meetings:action-create": ("programme_office", _action_create(False)),
    "tables:action-status": ("official_zwijndrecht", _action_status),
    "tables:action-edit": ("programme_office", _action_edit),
    "meetings:decision-create#regiekamer": ("secretary", _decision_create(True)),
    "meetings:decision-edit#regiekamer": ("secretary", _decision_edit(True)),
    "meetings:action-create#regiekamer": ("secretary", _action_create(True)),
    # Last: the decision is gone afterwards.
    "meetings:decision-remove": ("programme_office", _decision_remove(False)),
    "meetings:decision-remove#regiekamer": ("secretary", _decision_remove(True)),
    # After every other write to the lists: an adopted list takes no more.
    "meetings:decisions-adopt": ("programme_office", _decisions_adopt(False)),
    "meetings:decisions-adopt#regiekamer": ("secretary", _decisions_adopt(True)),
}


# -- Seats, carriers' progress (issue 15) -------------------------------------------------------


def _milestone_create(s, client):
    url = reverse("portfolio:milestone-create", args=[s["carried_project"].pk])
    return url, form_data(_page(client, url), url, title="Nieuwe mijlpaal", due_date="2026-01-01")


def _milestone_edit(s, client):
    url = reverse("portfolio:milestone-edit", args=[s["carried_project"].pk, s["milestone"].pk])
    return url, form_data(_page(client, url), url, title="Plan gereed en gedeeld")


def _milestone_reached(s, client):
    url = reverse("portfolio:milestone-reached", args=[s["carried_project"].pk, s["milestone"].pk])
    page = _page(client, reverse("portfolio:project-detail", args=[s["carried_project"].pk]))
    return url, form_data(page, url, done_on="2025-02-01")


def _phase_set(s, client):
    url = reverse("portfolio:phase-set", args=[s["carried_project"].pk])
    page = _page(client, reverse("portfolio:project-detail", args=[s["carried_project"].pk]))
    return url, form_data(page, url, phase="afgerond")


def _seat_create(s, client):
    from smartdelta.models import Organisation

    url = reverse("tables:seat-create", args=[s["table"].slug])
    dordrecht = Organisation.objects.get(slug="dordrecht")
    return url, form_data(
        _page(client, url),
        url,
        organisation=str(dordrecht.pk),
        valid_from="2031-01-01",
        takes_part="nee",
        reason="Geen belang bij dit thema",
    )


def _seat_edit(s, client):
    url = reverse("tables:seat-edit", args=[s["seat"].table.slug, s["seat"].pk])
    return url, form_data(_page(client, url), url, administrator="Wethouder Test")


def _seat_end(s, client):
    from tables.models import Seat

    # A partner's seat may end; a core municipality's only where a new term follows.
    seat = Seat.objects.exclude(organisation__kind="kern").order_by("pk").first()
    url = reverse("tables:seat-end", args=[seat.table.slug, seat.pk])
    return url, form_data(_page(client, url), url, valid_until="2031-12-31")


WRITES |= {
    "portfolio:milestone-create": ("official_dordrecht", _milestone_create),
    "portfolio:milestone-edit": ("official_dordrecht", _milestone_edit),
    "portfolio:milestone-reached": ("official_dordrecht", _milestone_reached),
    "portfolio:phase-set": ("official_dordrecht", _phase_set),
    "tables:seat-create": ("programme_office", _seat_create),
    "tables:seat-edit": ("programme_office", _seat_edit),
    "tables:seat-end": ("programme_office", _seat_end),
}


# -- Results: measurements (issue 27) -------------------------------------------------------------
OWN_APPS.add("results")


def _measurement_add(s, client):
    from tests.access import _carried_indicator

    pk = _carried_indicator(s)["pk"]
    url = reverse("results:measurement-add", args=[pk])
    page = _page(client, reverse("results:indicator-detail", args=[pk]))
    return url, form_data(
        page,
        url,
        date="2025-03-01",
        value="12",
        source="Projectrapportage",
        part_dordrecht="12",
    )


WRITES |= {"results:measurement-add": ("official_dordrecht", _measurement_add)}


def _indicator_create(s, client):
    from portfolio.models import Theme

    url = reverse("results:indicator-create")
    return url, form_data(
        _page(client, url),
        url,
        theme=str(Theme.objects.order_by("pk").first().pk),
        name="Banen in de maakindustrie",
        unit="banen",
        baseline_date="2024-01-01",
        baseline_value="100",
    )


def _indicator_edit(s, client):
    from tests.access import _theme_indicator

    url = reverse("results:indicator-edit", args=[_theme_indicator(s)["pk"]])
    return url, form_data(_page(client, url), url, unit="woningen per kalenderjaar")


def _target_add(s, client):
    from tests.access import _theme_indicator

    url = reverse("results:target-add", args=[_theme_indicator(s)["pk"]])
    return url, form_data(_page(client, url), url, period_end="2039-12-31", value="2000")


def _target_edit(s, client):
    from tests.access import _theme_target

    url = reverse("results:target-edit", args=list(_theme_target(s).values()))
    return url, form_data(_page(client, url), url, value="1600")


WRITES |= {
    "results:indicator-create": ("programme_office", _indicator_create),
    "results:indicator-edit": ("programme_office", _indicator_edit),
    "results:target-add": ("programme_office", _target_add),
    "results:target-edit": ("programme_office", _target_edit),
}


# -- Results: the local uitvoeringsagenda (issue 27) ---------------------------------------------
def _zwijndrecht_item(published: bool):
    from results.models import AgendaItem

    return (
        AgendaItem.objects.filter(organisation__slug="zwijndrecht", published=published)
        .order_by("pk")
        .first()
    )


def _agenda_item_create(s, client):
    url = reverse("results:agenda-item-create", args=["zwijndrecht"])
    return url, form_data(
        _page(client, url),
        url,
        title="Eigen laadpalenplan",
        theme=str(s["project"].theme_id),
        start_date="2026-01-01",
        end_date="2026-12-31",
        own_budget="10.000",
    )


def _agenda_item_edit(s, client):
    item = _zwijndrecht_item(published=True)
    url = reverse("results:agenda-item-edit", args=["zwijndrecht", item.pk])
    return url, form_data(_page(client, url), url, status="afgerond")


def _agenda_item_publish(s, client):
    item = _zwijndrecht_item(published=False)
    url = reverse("results:agenda-item-publish", args=["zwijndrecht", item.pk])
    page = _page(client, reverse("results:agenda-item-detail", args=["zwijndrecht", item.pk]))
    return url, form_data(page, url)


WRITES |= {
    "results:agenda-item-create": ("official_zwijndrecht", _agenda_item_create),
    "results:agenda-item-edit": ("official_zwijndrecht", _agenda_item_edit),
    "results:agenda-item-publish": ("secretary", _agenda_item_publish),
}


# -- Results: the exploitation after the subsidy (issue 27) --------------------------------------
def _exploitation_edit(s, client):
    url = reverse("results:exploitation-edit", args=[s["carried_project"].pk])
    return url, form_data(_page(client, url), url, yearly_cost="40.000", from_year="2027")


WRITES |= {"results:exploitation-edit": ("official_dordrecht", _exploitation_edit)}


# -- The coordinator of each municipality (issue 29) ---------------------------------------------
def _coordinator_edit(s, client):
    from smartdelta.models import Organisation

    url = reverse("following:coordinator-edit", args=["zwijndrecht"])
    # The demo's coordinator of Zwijndrecht stays; its deputy becomes the secretary.
    secretary = User.objects.get(username="secretaris-zwijndrecht")
    assert Organisation.objects.get(slug="zwijndrecht").coordination.deputy != secretary
    return url, form_data(_page(client, url), url, deputy=str(secretary.pk))


WRITES |= {"following:coordinator-edit": ("secretary", _coordinator_edit)}


# -- Work that needed /beheer/ (issue 30) ------------------------------------------------------
def _scenario_funding(s):
    from portfolio.models import ExternalFunding

    return ExternalFunding.objects.get(project=s["project"], description="Rijksbijdrage scenario")


def _funding_create(s, client):
    url = reverse("portfolio:funding-create", args=[s["project"].pk])
    return url, form_data(_page(client, url), url, source="eu", amount="12.500", status="gehoopt")


def _funding_edit(s, client):
    row = _scenario_funding(s)
    url = reverse("portfolio:funding-edit", args=[s["project"].pk, row.pk])
    return url, form_data(_page(client, url), url, status="ontvangen")


def _funding_remove(s, client):
    row = _scenario_funding(s)
    url = reverse("portfolio:funding-remove", args=[s["project"].pk, row.pk])
    page = _page(client, reverse("portfolio:funding-edit", args=[s["project"].pk, row.pk]))
    return url, form_data(page, url)


WRITES |= {
    "portfolio:funding-create": ("programme_office", _funding_create),
    "portfolio:funding-edit": ("programme_office", _funding_edit),
    "portfolio:funding-remove": ("programme_office", _funding_remove),
}


def _inhabitants(s, client):
    # After the reference date of every budget the walk adopts: it moves no adopted budget.
    url = reverse("finance:inhabitants", args=["dordrecht"])
    return url, form_data(
        _page(client, url),
        url,
        reference_date="2027-01-01",
        inhabitants="123.456",
        source="CBS, bevolking op 1 januari 2027",
    )


WRITES |= {"finance:inhabitants": ("programme_office", _inhabitants)}


def _meeting_cancel(s, client):
    # A meeting of its own: the walk adopts the decision list of the scenario's meetings.
    import datetime

    from meetings import meetings

    office = User.objects.get(username="programmabureau")
    meeting = meetings.plan_meeting(office, s["table"], date=datetime.date(2031, 5, 6))
    url = reverse("meetings:meeting-cancel", args=[meeting.pk])
    return url, form_data(_page(client, url), url, reason="Te weinig agendapunten")


WRITES |= {"meetings:meeting-cancel": ("programme_office", _meeting_cancel)}


# -- Smart Delta & Partners (issue 29) ------------------------------------------------------------


def _partners_assignment_create(s, client):
    # A year no assignment has yet (the demo records this year's).
    url = reverse("partners:assignment-create")
    meeting = str(s["partners_meeting"].pk)
    page = _page(client, url)
    return url, form_data(page, url, year="2031", description="Opdracht 2031.", meeting=meeting)


def _partners_report_create(s, client):
    url = reverse("partners:supervision-report-create")
    return url, form_data(_page(client, url), url, date="2031-02-03", title="Kwartaal 1 2031")


def _partners_meeting_create(s, client):
    url = reverse("partners:meeting-create")
    return url, form_data(_page(client, url), url, date="2031-03-06", location="Sliedrecht")


WRITES |= {
    "partners:meeting-create": ("programme_office", _partners_meeting_create),
    "partners:assignment-create": ("programme_office", _partners_assignment_create),
    "partners:supervision-report-create": ("programme_office", _partners_report_create),
    "meetings:decision-create#partners": ("programme_office", _decision_create("partners")),
    "meetings:decision-edit#partners": ("programme_office", _decision_edit("partners")),
    "meetings:action-create#partners": ("programme_office", _action_create("partners")),
    # Last: the decision is gone afterwards; an adopted list takes no more.
    "meetings:decision-remove#partners": ("programme_office", _decision_remove("partners")),
    "meetings:decisions-adopt#partners": ("mayor", _decisions_adopt("partners")),
}


# -- Failed mails (issue 30) ---------------------------------------------------------------------
def _mail_handle(action, subject):
    def fill(s, client):
        from tests.access import failed_mail

        task = failed_mail(subject)["task"]
        url = reverse(f"office:mail-{action}", args=[task])
        page = _page(client, reverse("office:failed-mails"))
        return url, form_data(page, url)

    return fill


WRITES |= {
    "office:mail-retry": ("programme_office", _mail_handle("retry", "Stukken: opnieuw")),
    "office:mail-drop": ("programme_office", _mail_handle("drop", "Stukken: laten vallen")),
}


# -- Accounts (issue 30) --------------------------------------------------------------------------
def _user_invite(s, client):
    url = reverse("office:user-invite")
    organisation = str(Organisation.objects.get(slug="papendrecht").pk)
    return url, form_data(
        _page(client, url),
        url,
        first_name="Nieuwe",
        last_name="Collega",
        email="nieuwe.collega@papendrecht.example",
        organisation=organisation,
        roles="ambtenaar",
    )


def _user_edit(s, client):
    from tests.access import account

    url = reverse("office:user-edit", args=[account()["pk"]])
    return url, form_data(_page(client, url), url, last_name="Alblasserdam (gewijzigd)")


def _user_button(name):
    def fill(s, client):
        from tests.access import account

        pk = account()["pk"]
        url = reverse(f"office:{name}", args=[pk])
        return url, form_data(_page(client, reverse("office:user-edit", args=[pk])), url)

    return fill


WRITES |= {
    "office:user-invite": ("programme_office", _user_invite),
    "office:user-edit": ("programme_office", _user_edit),
    "office:user-code": ("programme_office", _user_button("user-code")),
    # Last: the account is deactivated afterwards.
    "office:user-active": ("programme_office", _user_button("user-active")),
}


# -- Themes and tables, and a table's new cycle (issue 30) --------------------------------------
def _theme_create(s, client):
    url = reverse("tables:theme-create")
    return url, form_data(_page(client, url), url, name="Gezondheid in de delta", order="9")


def _theme_edit(s, client):
    url = reverse("tables:theme-edit", args=[s["table"].theme_id])
    return url, form_data(_page(client, url), url, table_description="Bijgewerkt door de test")


def _helix_create(s, client):
    url = reverse("tables:helix-create")
    return url, form_data(
        _page(client, url), url, board_table=str(s["table"].pk), name="Nieuwe bouwtafel"
    )


def _helix_edit(s, client):
    from tests.access import _helix

    url = reverse("tables:helix-edit", args=[_helix(s)["pk"]])
    return url, form_data(_page(client, url), url, description="Bijgewerkt door de test")


def _cycle_create(s, client):
    url = reverse("tables:cycle-create", args=[s["table"].slug])
    return url, form_data(_page(client, url), url, year="2040")


WRITES |= {
    "tables:theme-create": ("programme_office", _theme_create),
    "tables:theme-edit": ("programme_office", _theme_edit),
    "tables:helix-create": ("programme_office", _helix_create),
    "tables:helix-edit": ("programme_office", _helix_edit),
    "tables:cycle-create": ("programme_office", _cycle_create),
}


# -- Organisations (issue 30) ---------------------------------------------------------------------
def _organisation_create(s, client):
    url = reverse("office:organisation-create")
    return url, form_data(
        _page(client, url), url, name="Techniek College", kind="partner", helix_kind="onderwijs"
    )


def _organisation_edit(s, client):
    url = reverse("office:organisation-edit", args=[s["helix_org"].pk])
    return url, form_data(_page(client, url), url, name="Partner met nieuwe naam")


WRITES |= {
    "office:organisation-create": ("programme_office", _organisation_create),
    "office:organisation-edit": ("programme_office", _organisation_edit),
}


def _newest_count(s) -> dict:
    from tests.access import newest_count

    return newest_count(s)


def _inhabitants_correct(s, client):
    # Dordrecht's newest count (the one the walk recorded above): no adopted budget uses it.
    url = reverse("finance:inhabitants-correct", kwargs=_newest_count(s))
    return url, form_data(_page(client, url), url, inhabitants="123.457")


WRITES |= {"finance:inhabitants-correct": ("programme_office", _inhabitants_correct)}
