"""Client tests of the tables and regiekamer pages: every page, permission and transition."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings import decisions
from meetings.models import AgendaItem, Meeting
from tables import escalations
from tables.models import (
    BoardTable,
    ChairTerm,
    Escalation,
    EscalationState,
    Membership,
    ProcessStep,
    Seat,
)
from tests.access import ACCESS, REGIEKAMER_MEETING, refusal
from tests.conftest import client_for, make_position, make_user

from .conftest import make_escalation

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def setup(
    regiekamers,
    board_table,
    project,
    official_zwijndrecht,
    official_dordrecht,
    councillor_dordrecht,
    secretary_zwijndrecht,
    mayor_dordrecht,
    programme_office,
):
    escalation = make_escalation(official_zwijndrecht, table=board_table, project=project)
    today = timezone.localdate()
    table_meeting = Meeting.objects.create(table=board_table, date=today)
    regiekamer_meeting = Meeting.objects.create(
        regiekamer=escalation.regiekamer, date=today + datetime.timedelta(days=7)
    )
    return {
        "escalation": escalation,
        "table_meeting": table_meeting,
        "regiekamer_meeting": regiekamer_meeting,
        "official": official_zwijndrecht,
        "other_official": official_dordrecht,
        "councillor": councillor_dordrecht,
        "secretary": secretary_zwijndrecht,
        "mayor": mayor_dordrecht,
        "office": programme_office,
    }


# The pages of this app, by their name in the access table (tests/access.py).
PAGES = {
    "tables:table-list": lambda s: reverse("tables:table-list"),
    "tables:table-detail": lambda s: reverse(
        "tables:table-detail", args=[s["table_meeting"].table.slug]
    ),
    "meetings:meeting-detail": lambda s: reverse(
        "meetings:meeting-detail", args=[s["table_meeting"].pk]
    ),
    "regiekamer:overview": lambda s: reverse("regiekamer:overview"),
    # The same page for a regiekamer's meeting (access: REGIEKAMER_MEETING).
    "meetings:meeting-detail#regiekamer": lambda s: reverse(
        "meetings:meeting-detail", args=[s["regiekamer_meeting"].pk]
    ),
    "regiekamer:escalation-create": lambda s: reverse("regiekamer:escalation-create"),
    # raised by the official of Zwijndrecht, as in the access table's scenario
    "regiekamer:escalation-detail": lambda s: reverse(
        "regiekamer:escalation-detail", args=[s["escalation"].pk]
    ),
    "regiekamer:chair-term-create": lambda s: reverse("regiekamer:chair-term-create"),
}
# This module's personas under their names in the access table.
PERSONA = {
    "official": "official_zwijndrecht",
    "other_official": "official_dordrecht",
    "councillor": "councillor",
    "secretary": "secretary",
    "mayor": "mayor",
    "office": "programme_office",
}


def _expected(name, persona) -> int:
    access = REGIEKAMER_MEETING if name == "meetings:meeting-detail#regiekamer" else ACCESS[name]
    return 200 if persona in access.get else refusal(access, persona)


@pytest.mark.parametrize("persona", list(PERSONA))
def test_url_permission_matrix(setup, persona):
    """The access table holds here too, on this app's own small fixtures."""
    client = client_for(setup[persona])
    got = {name: client.get(url(setup)).status_code for name, url in PAGES.items()}
    assert got == {name: _expected(name, PERSONA[persona]) for name in PAGES}


def test_anonymous_is_sent_to_login(setup):
    response = Client().get(PAGES["regiekamer:escalation-detail"](setup))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# -- Raising ----------------------------------------------------------------------------------


def test_raise_happy_path(setup, board_table, mailoutbox, run_queued_tasks):
    setup["secretary"].email = "s@example.org"
    setup["secretary"].save()
    response = client_for(setup["other_official"]).post(
        reverse("regiekamer:escalation-create"),
        {
            "title": "  Levering  niet nagekomen ",
            "description": "Uitleg",
            "category": "afspraak",
            "urgency": "hoog",
            "table": board_table.pk,
        },
        follow=True,
    )
    e = Escalation.objects.latest("pk")
    assert response.redirect_chain[-1][0] == reverse("regiekamer:escalation-detail", args=[e.pk])
    assert (e.title, e.reporter, e.state, e.table) == (
        "Levering niet nagekomen",
        setup["other_official"],
        "ingediend",
        board_table,
    )
    assert "is ingediend bij de ambtelijke regiekamer" in response.content.decode()
    run_queued_tasks()
    assert mailoutbox[0].to == ["s@example.org"]


def test_raise_invalid_input_shows_errors(setup):
    response = client_for(setup["official"]).post(
        reverse("regiekamer:escalation-create"), {"title": "", "category": "verzonnen"}
    )
    assert response.status_code == 200
    assert Escalation.objects.count() == 1
    assert "Dit veld is verplicht" in response.content.decode()


def test_raise_wrong_method_and_councillor(setup):
    url = reverse("regiekamer:escalation-create")
    assert client_for(setup["official"]).put(url).status_code == 405
    data = {"title": "T", "description": "D", "category": "overig", "urgency": "normaal"}
    assert client_for(setup["councillor"]).post(url, data).status_code == 403
    assert Escalation.objects.count() == 1


# -- Transitions ------------------------------------------------------------------------------


def _transition(setup, action):
    return reverse("regiekamer:escalation-transition", args=[setup["escalation"].pk, action])


def test_take_up_without_javascript_redirects_with_message(setup):
    meeting = setup["regiekamer_meeting"]
    response = client_for(setup["secretary"]).post(
        _transition(setup, "take_up"), {"version": 1, "meeting": meeting.pk}, follow=True
    )
    e = Escalation.objects.get(pk=setup["escalation"].pk)
    assert (e.state, e.owner, e.meeting) == ("in_behandeling", setup["secretary"], meeting)
    assert "In behandeling genomen" in response.content.decode()


def test_take_up_with_htmx_returns_the_partial_with_new_buttons(setup):
    response = client_for(setup["secretary"]).post(
        _transition(setup, "take_up"), {"version": 1}, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('\n<div id="escalation"') or body.lstrip().startswith(
        '<div id="escalation"'
    )
    assert "<html" not in body
    assert "Besluit vastleggen" in body and "In behandeling nemen</button>" not in body
    assert 'hx-swap-oob="innerHTML"' in body  # the message rides along


def test_crafted_illegal_transition_changes_nothing(setup):
    response = client_for(setup["secretary"]).post(
        _transition(setup, "close"), {"version": 1}, follow=True
    )
    e = Escalation.objects.get(pk=setup["escalation"].pk)
    assert (e.state, e.version, e.events.count()) == ("ingediend", 1, 1)
    assert "‘Afhandelen’ kan niet bij een escalatie met status ‘ingediend’" in (
        response.content.decode()
    )


def test_stale_version_via_the_page_is_refused(setup):
    client_for(setup["office"]).post(_transition(setup, "take_up"), {"version": 1})
    response = client_for(setup["secretary"]).post(
        _transition(setup, "escalate"), {"version": 1, "reason": "Hoger"}, **HTMX
    )
    e = Escalation.objects.get(pk=setup["escalation"].pk)
    assert (e.state, e.regiekamer.kind, e.owner) == ("in_behandeling", "ambtelijk", setup["office"])
    body = response.content.decode()
    assert response.status_code == 200 and "gewijzigd door programmabureau op" in body
    assert "Huidige status: in behandeling." in body


def test_a_refused_action_keeps_the_typed_text_at_its_form(setup):
    """Full page and htmx alike: 200, the page with the form, its input and the reason."""
    for headers in ({}, HTMX):
        response = client_for(setup["secretary"]).post(
            _transition(setup, "escalate"), {"version": 1, "reason": ""}, **headers
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert "Geef een toelichting bij ‘opschalen naar de bestuurlijke regiekamer’" in body
        assert ("<html" in body) is (headers == {})
    response = client_for(setup["secretary"]).post(
        _transition(setup, "take_up"), {"version": "1", "meeting": "999999"}
    )
    assert response.status_code == 200 and "geldige keuze" in response.content.decode()
    assert Escalation.objects.get(pk=setup["escalation"].pk).state == "ingediend"


def test_transition_without_version_changes_nothing(setup):
    response = client_for(setup["secretary"]).post(_transition(setup, "take_up"), {})
    assert response.status_code == 200
    assert "er ontbreekt welke versie u zag" in response.content.decode()
    assert Escalation.objects.get(pk=setup["escalation"].pk).state == "ingediend"


def test_transition_permissions(setup):
    url = _transition(setup, "take_up")
    assert client_for(setup["official"]).post(url, {"version": 1}).status_code == 403
    assert client_for(setup["mayor"]).post(url, {"version": 1}).status_code == 403
    assert client_for(setup["councillor"]).post(url, {"version": 1}).status_code == 404
    assert client_for(setup["other_official"]).post(url, {"version": 1}).status_code == 404
    assert client_for(setup["secretary"]).get(url).status_code == 405
    assert client_for(setup["secretary"]).post(_transition(setup, "wis")).status_code == 404
    assert Escalation.objects.get(pk=setup["escalation"].pk).state == "ingediend"


def test_csrf_is_enforced(setup):
    client = Client(enforce_csrf_checks=True)
    client.force_login(setup["secretary"])
    assert client.post(_transition(setup, "take_up"), {"version": 1}).status_code == 403
    assert Escalation.objects.get(pk=setup["escalation"].pk).state == "ingediend"


def test_detail_offers_only_allowed_transitions_to_handlers(setup):
    body = (
        client_for(setup["secretary"])
        .get(PAGES["regiekamer:escalation-detail"](setup))
        .content.decode()
    )
    assert "In behandeling nemen</button>" in body
    assert "Opschalen naar de bestuurlijke regiekamer</button>" in body
    assert "Afhandelen</button>" not in body and "Heropenen</button>" not in body
    reporter_view = (
        client_for(setup["official"])
        .get(PAGES["regiekamer:escalation-detail"](setup))
        .content.decode()
    )
    assert "</button>" in reporter_view and "Behandelen" not in reporter_view
    assert "Reactie plaatsen" in reporter_view


# -- Comments ---------------------------------------------------------------------------------


def _comment_url(setup):
    return reverse("regiekamer:escalation-comment", args=[setup["escalation"].pk])


def test_reporter_comments_with_htmx(setup):
    response = client_for(setup["official"]).post(
        _comment_url(setup), {"text": "Nog steeds niets gehoord."}, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200 and '<div id="comments">' in body and "<html" not in body
    assert "Nog steeds niets gehoord." in body
    assert setup["escalation"].comments.get().author == setup["official"]


def test_comment_without_javascript_and_invalid(setup):
    client = client_for(setup["secretary"])
    assert client.post(_comment_url(setup), {"text": "Geagendeerd."}).status_code == 302
    response = client.post(_comment_url(setup), {"text": ""})
    body = response.content.decode()
    assert response.status_code == 200 and "<html" in body and "Dit veld is verplicht" in body
    assert setup["escalation"].comments.count() == 1


def test_comment_permissions(setup):
    assert (
        client_for(setup["other_official"]).post(_comment_url(setup), {"text": "x"}).status_code
        == 404
    )
    assert (
        client_for(setup["councillor"]).post(_comment_url(setup), {"text": "x"}).status_code == 404
    )
    assert client_for(setup["official"]).get(_comment_url(setup)).status_code == 405
    assert not setup["escalation"].comments.exists()


# -- Chair schedule ---------------------------------------------------------------------------


def test_chair_form_refuses_dordrecht_with_a_clear_message(setup, secretary_dordrecht):
    response = client_for(setup["secretary"]).post(
        PAGES["regiekamer:chair-term-create"](setup),
        {"chair": secretary_dordrecht.pk, "valid_from": "2027-01-01", "valid_until": "2027-12-31"},
    )
    assert response.status_code == 200
    assert "Dordrecht levert nooit de voorzitter" in response.content.decode()
    assert not ChairTerm.objects.exists()


def test_chair_form_happy_path(setup):
    response = client_for(setup["secretary"]).post(
        PAGES["regiekamer:chair-term-create"](setup),
        {"chair": setup["secretary"].pk, "valid_from": "2027-01-01", "valid_until": "2027-12-31"},
    )
    assert response.status_code == 302
    assert ChairTerm.objects.get().user == setup["secretary"]


def test_the_mayors_choose_the_chair_of_the_bestuurlijke_regiekamer(setup):
    url = reverse("regiekamer:chair-term-create") + "?kamer=bestuurlijk"
    dates = {"valid_from": "2027-01-01", "valid_until": "2027-12-31"}
    # Not the programme office, not the secretaries: 403 on the page and on the POST.
    for outsider in ("office", "secretary"):
        client = client_for(setup[outsider])
        assert client.get(url).status_code == 403
        assert client.post(url, {"chair": setup["mayor"].pk, **dates}).status_code == 403
    mayor = client_for(setup["mayor"])
    page = mayor.get(url).text
    assert "bestuurlijke regiekamer kiezen hun voorzitter" in page
    # Only members of the bestuurlijke regiekamer are offered; a secretary is not.
    assert f'value="{setup["mayor"].pk}"' in page
    assert f'value="{setup["secretary"].pk}"' not in page
    assert mayor.post(url, {"chair": setup["mayor"].pk, **dates}).status_code == 302
    term = ChairTerm.objects.get()
    assert (term.regiekamer.kind, term.user) == ("bestuurlijk", setup["mayor"])
    overview = mayor.get(reverse("regiekamer:overview")).text
    assert "?kamer=bestuurlijk" in overview and "?kamer=ambtelijk" not in overview
    assert client_for(setup["mayor"]).get(url.replace("bestuurlijk", "geen")).status_code == 404


# -- Pages ------------------------------------------------------------------------------------


def test_table_page_shows_seats_process_projects_and_next_meeting(
    setup, board_table, project, core_municipalities, gorinchem
):
    today = timezone.localdate()
    Seat.objects.create(
        table=board_table,
        organisation=core_municipalities["Sliedrecht"],
        takes_part=False,
        reason="Eigen programma",
        valid_from=today,
    )
    Seat.objects.create(
        table=board_table,
        organisation=gorinchem,
        valid_from=today,
        admission_date=today,
        admission_reference="ONS-D 2026-1",
        administrator="Wethouder Gorinchem",
    )
    ProcessStep.objects.create(table=board_table, cycle=2026, step=7, state="vastgelopen")
    # Submitted: another municipality's concept shows only as "in voorbereiding" (need to know).
    make_position(project, core_municipalities["Zwijndrecht"], status="ingediend")
    body = client_for(setup["councillor"]).get(PAGES["tables:table-detail"](setup)).content.decode()
    assert "Eigen programma" in body and "ONS-D 2026-1" in body
    assert "Knelpunten signaleren en adresseren" in body and "Vastgelopen" in body
    assert project.name in body and "Volledige participatie" in body
    assert reverse("portfolio:project-detail", args=[project.pk]) in body
    assert "Volgende vergadering" in body


def test_meeting_print_view_has_agenda_and_decisions(setup):
    meeting = setup["table_meeting"]
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="Ambitie")
    decisions.record_decision(setup["office"], meeting, text="Vastgesteld.", agenda_item=item)
    AgendaItem.objects.create(meeting=meeting, order=2, title="Rondvraag")
    body = (
        client_for(setup["official"]).get(PAGES["meetings:meeting-detail"](setup)).content.decode()
    )
    assert "Ambitie" in body and "Vastgesteld." in body and "Rondvraag" in body
    assert "tables/tables.css" in body  # carries the print styles


def test_regiekamer_meeting_agenda_is_built_from_open_escalations(setup):
    body = (
        client_for(setup["secretary"])
        .get(PAGES["meetings:meeting-detail#regiekamer"](setup))
        .content.decode()
    )
    assert setup["escalation"].title in body


def test_overview_marks_overdue_and_shows_members_and_chair(setup):
    e = setup["escalation"]
    e.deadline = timezone.localdate() - datetime.timedelta(days=1)
    e.save()
    Membership.objects.create(
        regiekamer=e.regiekamer, user=setup["secretary"], valid_from=datetime.date(2024, 1, 1)
    )
    ChairTerm.objects.create(
        regiekamer=e.regiekamer,
        user=setup["secretary"],
        valid_from=timezone.localdate() - datetime.timedelta(days=10),
        valid_until=timezone.localdate() + datetime.timedelta(days=300),
    )
    body = client_for(setup["mayor"]).get(PAGES["regiekamer:overview"](setup)).content.decode()
    assert 'class="tables-overdue"' in body and "1 over de termijn" in body
    assert "Voorzitter nu: <strong>secretaris-zwijndrecht</strong>" in body


def test_overview_row_shows_where_an_escalation_comes_from_escaped(setup):
    e = setup["escalation"]
    e.title = '<script>alert("x")</script> & co'
    e.save()
    e.project.name = "Haven & <b>kade</b>"
    e.project.save()
    body = client_for(setup["mayor"]).get(PAGES["regiekamer:overview"](setup)).content.decode()
    row = body[body.index(f'href="/regiekamer/escalaties/{e.pk}/"') :]
    row = row[: row.index("</tr>")]
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in row
    assert "<script>" not in body and "<b>kade</b>" not in body
    origin = (
        f"{e.get_category_display()} · {e.table.theme.name} · Haven &amp; &lt;b&gt;kade&lt;/b&gt;"
        f" · {setup['official'].organisation}"
    )
    assert origin in row
    assert f'badge--{e.state}">{e.get_state_display()}<' in row
    assert f'badge--{e.urgency}">{e.get_urgency_display()}<' in row
    assert "<td>—</td>" in row  # nobody handles it yet
    assert "Over de termijn" not in row and "tables-overdue" not in body


def test_dashboard_panel_for_regiekamer_members_only(setup):
    e = setup["escalation"]
    e.deadline = timezone.localdate() - datetime.timedelta(days=1)
    e.save()
    body = client_for(setup["secretary"]).get("/").content.decode()
    assert "Escalaties voor u" in body and e.title in body and "1 over de termijn" in body
    mayor_body = client_for(setup["mayor"]).get("/").content.decode()
    assert "0 lopend bij de bestuurlijke regiekamer" in mayor_body
    assert "Escalaties voor u" not in client_for(setup["councillor"]).get("/").content.decode()
    assert "Escalaties voor u" not in client_for(setup["official"]).get("/").content.decode()


# -- Query counts -----------------------------------------------------------------------------


def _add_escalations(setup, n):
    for i in range(n):
        e = make_escalation(
            setup["official"], title=f"Escalatie {i}", table=BoardTable.objects.first()
        )
        e = escalations.take_up(setup["secretary"], e, seen_version=1)
        escalations.add_comment(setup["official"], e, f"Reactie {i}")


def test_overview_queries_do_not_grow_with_escalations(setup, django_assert_max_num_queries):
    client = client_for(setup["secretary"])
    # session, user, regiekamers, memberships, chair terms, meetings, counts per regiekamer, one page
    # of escalations per regiekamer (joined)
    with django_assert_max_num_queries(9) as few:
        assert client.get(PAGES["regiekamer:overview"](setup)).status_code == 200
    _add_escalations(setup, 12)
    with django_assert_max_num_queries(9) as many:
        body = client.get(PAGES["regiekamer:overview"](setup)).content.decode()
    assert "Escalatie 11" in body
    assert len(many.captured_queries) == len(few.captured_queries)


def test_overview_shows_one_page_per_regiekamer_nearest_deadline_first(setup):
    client = client_for(setup["secretary"])
    _add_escalations(setup, 30)
    body = client.get(PAGES["regiekamer:overview"](setup)).content.decode()
    listed = re.compile(r'href="/regiekamer/escalaties/\d+/"')
    assert len(listed.findall(body)) == 25
    assert "?page-ambtelijk=2" in body and "lopend)" in body
    second = client.get(PAGES["regiekamer:overview"](setup) + "?page-ambtelijk=2").content.decode()
    assert len(listed.findall(second)) >= 6


def test_escalation_page_queries_do_not_grow_with_events_and_comments(
    setup, django_assert_max_num_queries
):
    client = client_for(setup["secretary"])
    url = PAGES["regiekamer:escalation-detail"](setup)
    # session, user, escalation (joined), meetings for take-up, events, comments
    with django_assert_max_num_queries(6) as few:
        client.get(url)
    e = setup["escalation"]
    for i in range(10):
        escalations.add_comment(setup["official"], e, f"Reactie {i}")
    e = escalations.take_up(setup["secretary"], e, seen_version=1)
    e = escalations.decide(setup["secretary"], e, seen_version=e.version, decision="Ja")
    e = escalations.close(setup["secretary"], e, seen_version=e.version)
    e = escalations.reopen(setup["secretary"], e, seen_version=e.version, reason="Nee")
    with django_assert_max_num_queries(6) as many:
        body = client.get(url).content.decode()
    assert "Reactie 9" in body and "Heropend" in body
    # Reopened, take-up is no longer offered, so its meeting list is not queried.
    assert len(many.captured_queries) <= len(few.captured_queries)


# -- Demo -------------------------------------------------------------------------------------


def test_demo_loads_and_is_idempotent(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    counts = {
        "tables": BoardTable.objects.count(),
        "escalations": Escalation.objects.count(),
        "seats": Seat.objects.count(),
        "meetings": Meeting.objects.count(),
        "chairs": ChairTerm.objects.count(),
    }
    assert counts["tables"] == 5 and counts["escalations"] == 4
    assert set(Escalation.objects.values_list("state", flat=True)) == {
        "ingediend",
        "in_behandeling",
        "afgehandeld",
    }
    assert not ChairTerm.objects.filter(user__organisation__slug="dordrecht").exists()
    # Issue 30: each escalation's page and its history name the same day it was raised.
    for escalation in Escalation.objects.prefetch_related("events"):
        (raised,) = [e for e in escalation.events.all() if e.action == "raise"]
        assert raised.at == escalation.created_at, escalation.title
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert counts == {
        "tables": BoardTable.objects.count(),
        "escalations": Escalation.objects.count(),
        "seats": Seat.objects.count(),
        "meetings": Meeting.objects.count(),
        "chairs": ChairTerm.objects.count(),
    }


def test_a_user_without_organisation_can_use_the_pages(setup):
    stranger = make_user("los", None, is_official=True)
    assert client_for(stranger).get(PAGES["regiekamer:overview"](setup)).status_code == 200


def test_table_page_answers_who_sat_on_a_date(setup, board_table, core_municipalities):
    Seat.objects.create(
        table=board_table,
        organisation=core_municipalities["Papendrecht"],
        administrator="Wethouder Oud",
        valid_from=datetime.date(2024, 1, 1),
        valid_until=datetime.date(2024, 12, 31),
    )
    Seat.objects.create(
        table=board_table,
        organisation=core_municipalities["Papendrecht"],
        administrator="Wethouder Nieuw",
        valid_from=datetime.date(2025, 1, 1),
    )
    client = client_for(setup["official"])
    url = PAGES["tables:table-detail"](setup)
    then = client.get(url, {"datum": "2024-06-01"}).content.decode()
    assert "Wethouder Oud" in then and "Wethouder Nieuw" not in then
    now = client.get(url).content.decode()
    assert "Wethouder Nieuw" in now and "Wethouder Oud" not in now
    assert client.get(url, {"datum": "onzin"}).status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan cache")
def test_the_overview_condition_lets_postgresql_reuse_one_plan(regiekamers, official_dordrecht):
    """The overview's rows are read on the partial index escalation_regiekamer_open. With the
    index's condition written into the SQL (Escalation.objects.not_closed), PostgreSQL runs
    the prepared statement on one generic plan; with the state as a parameter, as the
    control shows, it plans it again on every run."""
    ambtelijk = regiekamers["ambtelijk"]
    Escalation.objects.bulk_create(
        Escalation(
            title=f"Escalatie {i}",
            description="Omschrijving",
            category="overig",
            urgency="normaal",
            state="afgehandeld" if i % 2 else "ingediend",
            decision="Besloten." if i % 2 else "",
            deadline=datetime.date(2026, 1, 1) + datetime.timedelta(days=i % 300),
            reporter=official_dordrecht,
            regiekamer=ambtelijk,
        )
        for i in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tables_escalation")
    literal = Escalation.objects.not_closed()
    control = Escalation.objects.exclude(state=EscalationState.CLOSED)
    for queryset in (literal, control):
        rows = queryset.filter(regiekamer=ambtelijk).order_by("deadline", "pk")
        for _ in range(8):
            assert len(rows[:25]) == 25
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement LIKE %s, generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            ["%'afgehandeld'%", '%FROM "tables_escalation"%LIMIT%'],
        )
        plans = {literal: (generic, custom) for literal, generic, custom in cursor.fetchall()}
    assert plans[True][0] >= 1, plans  # the literal condition: a generic plan
    assert plans[False][0] == 0, plans  # the parameter: custom plans only


def test_a_constant_in_the_sql_is_a_plain_word_or_refused():
    from smartdelta.expressions import Constant

    assert Constant(EscalationState.CLOSED).value == "afgehandeld"
    for unsafe in ("a'b", "x; DROP TABLE y", "", 3):
        with pytest.raises(ValueError):
            Constant(unsafe)
