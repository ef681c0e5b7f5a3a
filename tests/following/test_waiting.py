"""What waits on a municipality (issue 29, seed 004): the overview of its coordinator, the seven
side by side for the regiekamers, the coordinator's page, and the coordinator's digest."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import resolve, reverse
from django.utils import timezone

from councils import procedures
from following import digest, follows
from meetings import decisions, meetings
from meetings.models import Meeting
from portfolio import positions
from portfolio.positions import PositionInput
from smartdelta import coordinators
from smartdelta.models import Coordination, Organisation
from tables.models import BoardTable, Seat
from tests.conftest import client_for, make_project, make_theme, make_user, second_official
from tests.meetings.test_meetings import pdf
from tests.tables.test_mail_links import PORTAL, links

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def today():
    return timezone.localdate()


def _coordinate(by, organisation, coordinator, deputy=None):
    current = Coordination.objects.filter(organisation=organisation).first()
    return coordinators.set_coordinator(
        by,
        organisation,
        coordinator=coordinator,
        deputy=deputy,
        valid_from=datetime.date(2026, 1, 1),
        seen_version=current.version if current else 0,
    )


def _action(office, meeting, owner, deadline, text):
    decision = decisions.record_decision(office, meeting, text=f"Besluit over {text}")
    return decisions.add_action(office, decision, description=text, owner=owner, deadline=deadline)


@pytest.fixture
def past_meeting(board_table):
    return Meeting.objects.create(table=board_table, date=today() - 30 * DAY)


@pytest.fixture
def world(
    core_municipalities,
    project,
    board_table,
    past_meeting,
    programme_office,
    official_zwijndrecht,
    secretary_zwijndrecht,
):
    """Zwijndrecht, its coordinator, and one of each thing that waits on it (and some that do
    not: another municipality's action, a finished project, a table it does not sit at)."""
    zwijndrecht = core_municipalities["Zwijndrecht"]
    dordrecht = core_municipalities["Dordrecht"]
    deputy = second_official(zwijndrecht)
    _coordinate(secretary_zwijndrecht, zwijndrecht, official_zwijndrecht, deputy)
    _action(programme_office, past_meeting, zwijndrecht, today() - 2 * DAY, "Te laat 3c1e")
    _action(programme_office, past_meeting, zwijndrecht, today() + 5 * DAY, "Op tijd 8b2d")
    _action(programme_office, past_meeting, dordrecht, today() - 2 * DAY, "Dordts 1f4a")
    done = _action(programme_office, past_meeting, zwijndrecht, today() - DAY, "Gedaan 77aa")
    decisions.complete_action(official_zwijndrecht, done, seen_version=done.version)
    make_project("Afgerond project 0d3c", theme=project.theme, lead=dordrecht, status="afgerond")
    concept = make_project("Concept 5e6f", theme=project.theme, lead=dordrecht)
    positions.record_position(
        official_zwijndrecht, concept, zwijndrecht, PositionInput(variant="volledig"), None
    )
    submitted = make_project("Ingediend 9a0b", theme=project.theme, lead=dordrecht)
    c = positions.record_position(
        official_zwijndrecht, submitted, zwijndrecht, PositionInput(variant="geen"), None
    )
    positions.change_status(official_zwijndrecht, c, "ingediend", c.version)
    # A seat at the table, and a table Zwijndrecht openly does not take part in.
    Seat.objects.create(table=board_table, organisation=zwijndrecht, valid_from=today() - 400 * DAY)
    other = BoardTable.objects.create(theme=make_theme("Energietransitie", order=5))
    Seat.objects.create(
        table=other,
        organisation=zwijndrecht,
        valid_from=today() - 400 * DAY,
        takes_part=False,
        reason="Geen belang",
    )
    coming = meetings.plan_meeting(programme_office, board_table, date=today() + 10 * DAY)
    item = meetings.add_agenda_item(programme_office, coming, title="Portfolio")
    meetings.add_paper(programme_office, item, pdf())
    elsewhere = meetings.plan_meeting(programme_office, other, date=today() + 11 * DAY)
    item = meetings.add_agenda_item(programme_office, elsewhere, title="Elders")
    meetings.add_paper(programme_office, item, pdf("elders.pdf"))
    for title, deadline in [("Verlopen c0de", today() - DAY), ("Loopt nog 4d4d", today() + DAY)]:
        procedures.start_procedure(
            programme_office,
            title=title,
            description="",
            deadline=deadline,
            default_kind="wensen_en_bedenkingen",
        )
    return {"zwijndrecht": zwijndrecht, "deputy": deputy, "coming": coming}


def _page(user, slug="zwijndrecht"):
    response = client_for(user).get(reverse("following:waiting-overview", args=[slug]))
    assert response.status_code == 200
    return response.content.decode()


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_overview_gathers_what_waits_on_the_municipality(world, official_zwijndrecht):
    text = _text(_page(official_zwijndrecht))
    assert "Wat wacht op Zwijndrecht" in text
    assert "ambtenaar-zwijndrecht , coördinator sinds 1 januari 2026" in text
    assert "Plaatsvervanger: tweede-ambtenaar-zwijndrecht" in text
    # Two open actions (the overdue one first), not the done one nor Dordrecht's.
    assert "Acties uit besluitenlijsten (2)" in text
    assert text.index("Te laat 3c1e") < text.index("Op tijd 8b2d")
    assert "Gedaan 77aa" not in text and "Dordts 1f4a" not in text
    # The running project without its position; not the finished one.
    assert "Nog geen positie (1)" in text and "MBO-aanpak" in text
    assert "Afgerond project 0d3c" not in text
    assert "In voorbereiding (1)" in text and "Concept 5e6f — volledige participatie" in text
    assert "Wacht op een tweede bevestiging (1)" in text
    assert "Ingediend 9a0b — geen deelname, ingediend door ambtenaar-zwijndrecht" in text
    # The coming meeting of its table with its paper; not the table it does not sit at.
    assert "Stukken voor de tafels (1)" in text
    assert "Tafel Werken en Economie" in text and "1 stuk, nog niet verstuurd" in text
    assert "Tafel Energietransitie" not in text
    # Overdue: the late action, and the council procedure past its deadline.
    assert "Over de termijn (2)" in text
    assert "1 actie voorbij de uiterste datum" in text
    assert "Raadsprocedure ‘Verlopen c0de’" in text and "Loopt nog 4d4d" not in text
    # What waits: two actions, one position to state, one to finish, one to confirm, one council.
    assert "Er wachten 6 zaken op Zwijndrecht, waarvan 2 over de termijn" in text


def test_the_second_official_may_confirm_and_another_municipality_sees_no_concept(
    world, official_zwijndrecht, mayor_dordrecht
):
    html = _page(world["deputy"])
    assert "(u kunt bevestigen)" in html
    assert "(u kunt bevestigen)" not in _page(official_zwijndrecht)  # submitted it
    # The mayor of Dordrecht sees all seven, but Zwijndrecht's concept only as being prepared.
    text = _text(_page(mayor_dordrecht))
    assert "Concept 5e6f — in voorbereiding" in text
    assert "volledige participatie" not in text
    assert "Coördinator wijzigen" not in text  # kept by Zwijndrecht's secretary


def test_the_coordinator_keeps_seeing_the_page_when_their_role_is_taken_away(
    world, official_zwijndrecht, councillor_dordrecht
):
    official_zwijndrecht.is_official = False
    official_zwijndrecht.save()
    assert "Wat wacht op Zwijndrecht" in _page(official_zwijndrecht)
    url = reverse("following:waiting-overview", args=["zwijndrecht"])
    assert client_for(councillor_dordrecht).get(url).status_code == 403


def test_the_summary_names_each_coordinator_and_links_to_each_overview(world, programme_office):
    response = client_for(programme_office).get(reverse("following:waiting-summary"))
    html = response.content.decode()
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", html, re.S)
    assert len(rows) == 7
    zwijndrecht = next(_text(r) for r in rows if "Zwijndrecht" in r)
    # coordinator (deputy), actions, no position, preparing, to confirm, papers, overdue
    assert zwijndrecht == (
        "Zwijndrecht ambtenaar-zwijndrecht (plaatsvervanger tweede-ambtenaar-zwijndrecht) "
        "2 1 1 1 1 2"
    )
    dordrecht = next(_text(r) for r in rows if "Dordrecht" in r)
    assert dordrecht.startswith("Dordrecht Nog niet vastgelegd 1 ")
    for slug in ("alblasserdam", "zwijndrecht", "hendrik-ido-ambacht"):
        assert f'href="{reverse("following:waiting-overview", args=[slug])}"' in html


def _grow(world, programme_office, official_zwijndrecht, past_meeting, n):
    """More of everything that waits on Zwijndrecht."""
    zwijndrecht = world["zwijndrecht"]
    theme = make_theme()
    for i in range(n):
        make_project(f"Zonder positie {n}-{i}", theme=theme, lead=zwijndrecht)
        concept = make_project(f"Concept {n}-{i}", theme=theme, lead=zwijndrecht)
        positions.record_position(
            official_zwijndrecht, concept, zwijndrecht, PositionInput(variant="volledig"), None
        )
        submitted = make_project(f"Ingediend {n}-{i}", theme=theme, lead=zwijndrecht)
        c = positions.record_position(
            official_zwijndrecht, submitted, zwijndrecht, PositionInput(variant="geen"), None
        )
        positions.change_status(official_zwijndrecht, c, "ingediend", c.version)
        _action(programme_office, past_meeting, zwijndrecht, today() - DAY, f"Actie {n}-{i}")
        meeting = meetings.plan_meeting(
            programme_office, past_meeting.table, date=today() + (20 + i) * DAY
        )
        item = meetings.add_agenda_item(programme_office, meeting, title="Punt")
        meetings.add_paper(programme_office, item, pdf())


@pytest.mark.parametrize("page", ["overview", "summary"])
def test_the_number_of_queries_does_not_grow_with_the_projects(
    world,
    page,
    programme_office,
    official_zwijndrecht,
    past_meeting,
    django_assert_max_num_queries,
):
    url = (
        reverse("following:waiting-summary")
        if page == "summary"
        else reverse("following:waiting-overview", args=["zwijndrecht"])
    )
    client = client_for(programme_office)
    client.get(url)
    # Session and user, the municipalities with their coordinators, the counts (one query over
    # the municipalities for projects without a position and coming meetings and papers, the
    # actions, the positions awaiting confirmation, the open council steps): seven; the
    # overview adds one per list (actions, projects, concepts, submitted ones, meetings).
    bound = 12 if page == "overview" else 7
    with django_assert_max_num_queries(bound) as few:
        client.get(url)
    _grow(world, programme_office, official_zwijndrecht, past_meeting, 12)
    with django_assert_max_num_queries(bound) as many:
        text = _text(client.get(url).content.decode())
    assert len(many.captured_queries) == len(few.captured_queries)
    if page == "overview":
        assert "Nog geen positie (13)" in text and "Acties uit besluitenlijsten (14)" in text


# -- The coordinator's page -----------------------------------------------------------------------


def _edit_url(slug="zwijndrecht"):
    return reverse("following:coordinator-edit", args=[slug])


def test_the_secretary_sets_the_coordinator_on_the_page(
    zwijndrecht, secretary_zwijndrecht, official_zwijndrecht
):
    client = client_for(secretary_zwijndrecht)
    page = client.get(_edit_url()).content.decode()
    assert 'name="version" value="0"' in page and "Nog geen coördinator vastgelegd." in page
    deputy = second_official(zwijndrecht)
    response = client.post(
        _edit_url(),
        {
            "coordinator": official_zwijndrecht.pk,
            "deputy": deputy.pk,
            "valid_from": "2026-03-01",
            "version": "0",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("following:waiting-overview", args=["zwijndrecht"])
    saved = Coordination.objects.get(organisation=zwijndrecht)
    assert (saved.coordinator, saved.deputy, saved.valid_from) == (
        official_zwijndrecht,
        deputy,
        datetime.date(2026, 3, 1),
    )
    assert saved.history.get().history_user == secretary_zwijndrecht
    page = client.get(response["Location"]).content.decode()
    assert "ambtenaar-zwijndrecht is vastgelegd als coördinator van Zwijndrecht." in page
    # The history on the page names who did it.
    assert "secretaris-zwijndrecht · aangemaakt" in _text(client.get(_edit_url()).text)


def test_invalid_input_is_answered_in_dutch_with_the_input_kept(
    zwijndrecht, dordrecht, secretary_zwijndrecht, official_zwijndrecht, official_dordrecht
):
    client = client_for(secretary_zwijndrecht)
    response = client.post(_edit_url(), {"valid_from": "2026-03-01", "version": "0"})
    assert response.status_code == 200
    assert "Kies de coördinator." in response.text
    assert 'value="2026-03-01"' in response.text
    # Someone of another municipality is not on the list.
    response = client.post(
        _edit_url(),
        {"coordinator": official_dordrecht.pk, "valid_from": "2026-03-01", "version": "0"},
    )
    assert "staat niet (meer) in de lijst" in response.text
    response = client.post(
        _edit_url(),
        {
            "coordinator": official_zwijndrecht.pk,
            "deputy": official_zwijndrecht.pk,
            "valid_from": "2026-03-01",
            "version": "0",
        },
    )
    assert "iemand anders dan de coördinator" in response.text
    response = client.post(
        _edit_url(),
        {"coordinator": official_zwijndrecht.pk, "valid_from": "1800-01-01", "version": "0"},
    )
    assert response.status_code == 200 and "Coördinator sinds" in response.text
    assert not Coordination.objects.exists()


def test_a_stale_form_shows_what_is_stored_now(
    zwijndrecht, secretary_zwijndrecht, official_zwijndrecht, programme_office
):
    _coordinate(programme_office, zwijndrecht, official_zwijndrecht)
    response = client_for(secretary_zwijndrecht).post(
        _edit_url(),
        {
            "coordinator": second_official(zwijndrecht).pk,
            "valid_from": "2026-03-01",
            "version": "0",
        },
    )
    assert response.status_code == 200
    assert "intussen gewijzigd door programmabureau" in response.text
    assert "Nu opgeslagen: coördinator ambtenaar-zwijndrecht, sinds 1 januari 2026." in (
        response.text
    )
    # Saving again is now a deliberate choice over the other change.
    assert 'name="version" value="1"' in response.text
    assert Coordination.objects.get().coordinator == official_zwijndrecht


def test_the_page_answers_other_methods_other_people_and_other_organisations(
    zwijndrecht, gorinchem, secretary_zwijndrecht, official_zwijndrecht, secretary_dordrecht
):
    assert client_for(secretary_zwijndrecht).put(_edit_url()).status_code == 405
    for refused in (official_zwijndrecht, secretary_dordrecht):
        client = client_for(refused)
        assert client.get(_edit_url()).status_code == 403
        data = {"coordinator": official_zwijndrecht.pk, "valid_from": "2026-03-01", "version": 0}
        assert client.post(_edit_url(), data).status_code == 403
    assert client_for(secretary_zwijndrecht).get(_edit_url("gorinchem")).status_code == 404
    assert not Coordination.objects.exists()


def test_the_dashboard_leads_to_the_overview_and_the_summary(
    zwijndrecht, official_zwijndrecht, programme_office, councillor_dordrecht
):
    own = reverse("following:waiting-overview", args=["zwijndrecht"])
    summary = reverse("following:waiting-summary")
    page = client_for(official_zwijndrecht).get("/").text
    assert f'href="{own}"' in page and f'href="{summary}"' not in page
    page = client_for(programme_office).get("/").text
    assert f'href="{summary}"' in page
    assert "Wat wacht op de gemeenten" not in client_for(councillor_dordrecht).get("/").text


# -- The coordinator's digest ---------------------------------------------------------------------


@pytest.fixture
def portal_url(settings):
    settings.PORTAL_URL = PORTAL


def _send(user, period="wekelijks"):
    until = timezone.now()
    return digest.send(user.pk, period, digest.period_key(period, until), until)


def test_the_coordinators_digest_tells_what_waits_with_a_full_link(
    world, portal_url, official_zwijndrecht, mailoutbox, run_queued_tasks
):
    official_zwijndrecht.email = "coordinator@example.org"
    official_zwijndrecht.save()
    # Nothing followed, nothing changed: what waits is reason enough, weekly by default.
    assert _send(official_zwijndrecht) == "Samenvatting met 0 wijzigingen in de wachtrij."
    run_queued_tasks()
    (mail,) = mailoutbox
    assert mail.subject == "Uw wekelijkse samenvatting: 6 zaken wachten op Zwijndrecht"
    assert "== Wat wacht op Zwijndrecht (u bent coördinator) ==" in mail.body
    url = f"{PORTAL}/gemeenten/zwijndrecht/wat-wacht/"
    assert url in mail.body.splitlines()
    for line in (
        "- Open acties uit besluitenlijsten: 2, waarvan 1 te laat",
        "- Projecten zonder positie van Zwijndrecht: 1",
        "- Posities in voorbereiding: 1",
        "- Posities die wachten op een tweede bevestiging: 1",
        "- Stukken voor de komende vergaderingen van de tafels: 1",
        "- Over de termijn: 2",
    ):
        assert line in mail.body.splitlines(), line
    for link in links(mail.body):
        assert link.startswith(PORTAL + "/"), link
        assert resolve(link.removeprefix(PORTAL).rstrip(".,)")), link


def test_the_deputy_gets_it_too_and_changes_come_after_it(
    world, portal_url, project, programme_office, mailoutbox, run_queued_tasks
):
    deputy = world["deputy"]
    deputy.email = "plv@example.org"
    deputy.save()
    follows.follow(deputy, project)
    positions.record_position(
        programme_office,
        project,
        Organisation.objects.get(slug="dordrecht"),
        PositionInput("geen"),
        None,
    )
    positions.change_status(
        programme_office,
        project.positions.get(organisation__slug="dordrecht"),
        "ingediend",
        1,
    )
    _send(deputy)
    run_queued_tasks()
    (mail,) = mailoutbox
    # Dordrecht's position (the project was made before the deputy followed it: issue 30),
    # then what waits.
    assert mail.subject == "Uw wekelijkse samenvatting: 1 wijziging; 6 zaken wachten op Zwijndrecht"
    body = mail.body
    assert "== Wat wacht op Zwijndrecht (u bent plaatsvervangend coördinator) ==" in body
    assert body.index("Wat wacht op Zwijndrecht") < body.index("== Project MBO-aanpak ==")


def test_no_digest_when_nothing_waits_and_nothing_changed_and_none_for_others(
    zwijndrecht,
    secretary_zwijndrecht,
    official_zwijndrecht,
    councillor_dordrecht,
    project,
    mailoutbox,
):
    # Zwijndrecht states its position on the one project: nothing waits on it.
    c = positions.record_position(
        official_zwijndrecht, project, zwijndrecht, PositionInput(variant="geen"), None
    )
    positions.change_status(official_zwijndrecht, c, "ingediend", c.version)
    positions.change_status(
        second_official(zwijndrecht),
        c,
        "bevestigd",
        c.version + 1,
        "B-1",
        datetime.date(2026, 1, 5),
    )
    _coordinate(secretary_zwijndrecht, zwijndrecht, official_zwijndrecht)
    later = timezone.now() + 8 * DAY
    key = digest.period_key("wekelijks", later)
    assert digest.send(official_zwijndrecht.pk, "wekelijks", key, later) == (
        "Niets gewijzigd; niets verstuurd."
    )
    assert mailoutbox == []
    # A follower who coordinates nothing reads no such part.
    assert digest.waiting.for_digest(councillor_dordrecht, today()) == []


def test_the_command_queues_a_coordinator_who_never_chose_weekly_only(
    world, official_zwijndrecht, councillor_dordrecht
):
    from django_tasks_db.models import DBTaskResult

    official_zwijndrecht.email = "coordinator@example.org"
    official_zwijndrecht.save()
    make_user("zonder-alles", world["zwijndrecht"], is_official=True, email="z@example.org")
    call_command("send_digests", period="daily", stdout=open("/dev/null", "w"))
    assert not DBTaskResult.objects.exists()
    call_command("send_digests", period="weekly", stdout=open("/dev/null", "w"))
    queued = [r.args_kwargs["args"][0] for r in DBTaskResult.objects.all()]
    assert queued == [official_zwijndrecht.pk]  # the deputy has no mail address
