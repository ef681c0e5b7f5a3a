"""Decision lists (besluitenlijsten): decisions as records, actions with an owner and a date.

Services refuse with a Dutch DomainError; pages answer 200 with the form and the user's input
when refused; an action's status is set by its owner's officials and the list keeper only.
"""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meetings import decisions
from meetings.models import Action, AgendaItem, Decision, Meeting
from smartdelta import pdf
from smartdelta.errors import ConflictError, DomainError
from smartdelta.versioning import MISSING_VERSION
from tables import escalations
from tables.models import ChairTerm, RegiekamerKind
from tests.conftest import client_for, make_user
from tests.tables.conftest import make_escalation

pytestmark = pytest.mark.django_db


def today():
    """Read per test: a run that passes midnight must not compare with the date it started on."""
    return timezone.localdate()


DAY = datetime.timedelta(days=1)


@pytest.fixture
def meeting(board_table):
    meeting = Meeting.objects.create(
        table=board_table,
        date=today() - 30 * DAY,
        location="Huis van de Stad",
        attendance="Wethouder Dordrecht\nWethouder Zwijndrecht",
    )
    AgendaItem.objects.create(meeting=meeting, order=1, title="Ambitie")
    return meeting


@pytest.fixture
def regiekamer_meeting(ambtelijk, secretary_zwijndrecht, programme_office):
    ChairTerm.objects.create(
        regiekamer=ambtelijk,
        user=secretary_zwijndrecht,
        valid_from=today() - 100 * DAY,
        valid_until=today() + 100 * DAY,
    )
    return Meeting.objects.create(regiekamer=ambtelijk, date=today(), location="Stadskantoor")


def _url(meeting, name="meeting-detail", *extra):
    return reverse(f"meetings:{name}", args=[meeting.pk, *extra])


def _action(office, meeting, owner, deadline=None, text="Besluit"):
    decision = decisions.record_decision(office, meeting, text=text)
    return decisions.add_action(
        office, decision, description="Doen", owner=owner, deadline=deadline or today() + DAY
    )


# -- services ------------------------------------------------------------------------------------


def test_decisions_are_numbered_within_their_meeting(meeting, programme_office, board_table):
    other = Meeting.objects.create(table=board_table, date=today())
    numbers = [
        decisions.record_decision(programme_office, m, text=f"Besluit {i}").number
        for i, m in enumerate([meeting, meeting, other, meeting])
    ]
    assert numbers == [1, 2, 1, 3]


def test_only_the_planner_records_decisions(
    meeting,
    regiekamer_meeting,
    official_dordrecht,
    secretary_zwijndrecht,
    mayor_dordrecht,
    ambtelijk,
):
    with pytest.raises(DomainError, match="besluitenlijst bij"):
        decisions.record_decision(official_dordrecht, meeting, text="Eigen besluit")
    # The chair of the day keeps the regiekamer's list; at a board table they do not.
    assert (
        decisions.record_decision(secretary_zwijndrecht, regiekamer_meeting, text="Ja").number == 1
    )
    with pytest.raises(DomainError):
        decisions.record_decision(secretary_zwijndrecht, meeting, text="Ja")
    # Not a member who does not chair that day, nor the chair on a meeting outside the term.
    other = make_user(
        "secretaris-x", official_dordrecht.organisation, is_ambtelijke_regiekamer=True
    )
    later = Meeting.objects.create(regiekamer=ambtelijk, date=today() + 200 * DAY)
    for user, m in [(other, regiekamer_meeting), (mayor_dordrecht, regiekamer_meeting)]:
        with pytest.raises(DomainError):
            decisions.record_decision(user, m, text="Nee")
    with pytest.raises(DomainError):
        decisions.record_decision(secretary_zwijndrecht, later, text="Nee")
    assert Decision.objects.count() == 1


def test_a_decision_links_only_what_belongs_to_its_meeting(
    meeting, regiekamer_meeting, programme_office, board_table, official_zwijndrecht
):
    other_item = AgendaItem.objects.create(
        meeting=Meeting.objects.create(table=board_table, date=today()), title="Elders"
    )
    with pytest.raises(DomainError, match="agendapunt van deze vergadering"):
        decisions.record_decision(programme_office, meeting, text="X", agenda_item=other_item)
    escalation = make_escalation(official_zwijndrecht)
    with pytest.raises(DomainError, match="regiekamer"):
        decisions.record_decision(programme_office, meeting, text="X", escalation=escalation)
    linked = decisions.record_decision(
        programme_office, regiekamer_meeting, text="X", escalation=escalation
    )
    assert linked.escalation == escalation
    with pytest.raises(DomainError, match="niet leeg"):
        decisions.record_decision(programme_office, meeting, text="  \x00 ")


def test_an_old_version_is_refused_with_who_and_nothing_is_overwritten(meeting, programme_office):
    decision = decisions.record_decision(programme_office, meeting, text="Eerste")
    decisions.update_decision(programme_office, decision, text="Tweede", seen_version=1)
    with pytest.raises(ConflictError, match="intussen gewijzigd door") as error:
        decisions.update_decision(programme_office, decision, text="Derde", seen_version=1)
    assert error.value.current.text == "Tweede"
    with pytest.raises(ConflictError) as missing:
        decisions.update_decision(programme_office, decision, text="Derde", seen_version=None)
    assert str(missing.value) == MISSING_VERSION
    decision.refresh_from_db()
    assert (decision.text, decision.version) == ("Tweede", 2)


def test_removing_a_decision_moves_the_later_ones_up_and_keeps_history(
    meeting, programme_office, zwijndrecht
):
    first, second, third = (
        decisions.record_decision(programme_office, meeting, text=t) for t in "ABC"
    )
    decisions.add_action(
        programme_office, second, description="Weg", owner=zwijndrecht, deadline=today()
    )
    decisions.remove_decision(programme_office, second, seen_version=1)
    assert list(meeting.decisions.values_list("text", "number")) == [("A", 1), ("C", 2)]
    assert not Action.objects.exists()
    gone = Decision.history.filter(history_type="-").get()
    assert (gone.text, gone.history_user) == ("B", programme_office)
    assert Action.history.filter(history_type="-").get().history_user == programme_office
    third.refresh_from_db()
    assert third.version == 2 and third.updated_by == programme_office


def test_an_action_needs_an_owner_and_a_date_not_before_the_meeting(
    meeting, programme_office, zwijndrecht
):
    decision = decisions.record_decision(programme_office, meeting, text="A")
    with pytest.raises(DomainError, match="vóór de vergadering"):
        decisions.add_action(
            programme_office,
            decision,
            description="Te vroeg",
            owner=zwijndrecht,
            deadline=meeting.date - DAY,
        )
    with pytest.raises(DomainError, match="organisatie"):
        decisions.add_action(
            programme_office, decision, description="Wie?", owner=None, deadline=today()
        )
    assert not Action.objects.exists()


def test_the_owner_marks_its_action_done_and_no_other_organisation_can(
    meeting,
    programme_office,
    zwijndrecht,
    official_zwijndrecht,
    official_dordrecht,
    secretary_zwijndrecht,
    councillor_dordrecht,
):
    action = _action(programme_office, meeting, zwijndrecht)
    for outsider in (official_dordrecht, councillor_dordrecht):
        with pytest.raises(DomainError, match="organisatie die de actie uitvoert"):
            decisions.complete_action(outsider, action, seen_version=1)
    done = decisions.complete_action(official_zwijndrecht, action, note="Klaar", seen_version=1)
    assert (done.status, done.status_changed_by, done.note) == (
        "gereed",
        official_zwijndrecht,
        "Klaar",
    )
    assert done.status_changed_at is not None
    # The owner reopens; letting it lapse is the meeting's call.
    reopened = decisions.set_action_status(secretary_zwijndrecht, done, "open", seen_version=2)
    with pytest.raises(DomainError, match="vervallen"):
        decisions.set_action_status(official_zwijndrecht, reopened, "vervallen", seen_version=3)
    lapsed = decisions.set_action_status(programme_office, reopened, "vervallen", seen_version=3)
    assert lapsed.status_changed_by == programme_office
    with pytest.raises(ConflictError, match="intussen gewijzigd door"):
        decisions.set_action_status(programme_office, lapsed, "open", seen_version=3)


# -- pages ---------------------------------------------------------------------------------------


def test_the_meeting_page_shows_decisions_actions_and_overdue_ones(
    meeting, programme_office, zwijndrecht, councillor_dordrecht
):
    _action(programme_office, meeting, zwijndrecht, deadline=today() - DAY, text="Te laat besluit")
    body = client_for(councillor_dordrecht).get(_url(meeting)).content.decode()
    assert "Besluit 1" in body and "Te laat besluit" in body
    assert 'badge--overdue">Te laat' in body
    assert "Besluit toevoegen" not in body  # a reader, not the planner
    office_body = client_for(programme_office).get(_url(meeting)).content.decode()
    assert _url(meeting, "decision-create") in office_body


def test_an_invalid_or_refused_decision_comes_back_with_the_typed_text(
    meeting, programme_office, board_table
):
    client = client_for(programme_office)
    url = _url(meeting, "decision-create")
    empty = client.post(url, {"text": "   "})
    assert empty.status_code == 200 and "Besluit:" in empty.text
    foreign = AgendaItem.objects.create(
        meeting=Meeting.objects.create(table=board_table, date=today()), title="Elders"
    )
    # A forged agenda item of another meeting: not a choice of this form.
    refused = client.post(url, {"text": "Mijn lange tekst 81c", "agenda_item": foreign.pk})
    assert refused.status_code == 200 and "Mijn lange tekst 81c" in refused.text
    assert not Decision.objects.exists()
    done = client.post(url, {"text": "Vastgesteld"})
    assert done.status_code == 302 and done["Location"].endswith("#besluit-1")


def test_a_conflicting_edit_keeps_the_input_and_names_the_stored_text(meeting, programme_office):
    decision = decisions.record_decision(programme_office, meeting, text="Origineel")
    decisions.update_decision(programme_office, decision, text="Van een ander", seen_version=1)
    url = _url(meeting, "decision-edit", decision.pk)
    response = client_for(programme_office).post(url, {"text": "Mijn versie", "version": "1"})
    assert response.status_code == 200
    assert "intussen gewijzigd" in response.text
    assert "Mijn versie" in response.text and "Huidige tekst: Van een ander" in response.text
    assert 'name="version" value="2"' in response.text
    decision.refresh_from_db()
    assert decision.text == "Van een ander"


def test_an_action_added_with_a_date_before_the_meeting_is_refused_on_the_page(
    meeting, programme_office, zwijndrecht
):
    decision = decisions.record_decision(programme_office, meeting, text="A")
    url = _url(meeting, "action-create", decision.pk)
    data = {
        "description": "Notitie 77d",
        "owner": zwijndrecht.pk,
        "deadline": (meeting.date - DAY).isoformat(),
    }
    response = client_for(programme_office).post(url, data)
    assert response.status_code == 200
    assert "vóór de vergadering" in response.text and "Notitie 77d" in response.text
    assert not Action.objects.exists()


def test_another_organisation_gets_403_on_the_status_and_the_owner_gets_through(
    meeting, programme_office, zwijndrecht, official_dordrecht, official_zwijndrecht
):
    action = _action(programme_office, meeting, zwijndrecht)
    url = reverse("tables:action-status", args=[action.pk])
    data = {"status": "gereed", "note": "", "version": "1"}
    assert client_for(official_dordrecht).post(url, data).status_code == 403
    detail = client_for(official_dordrecht).get(reverse("tables:action-detail", args=[action.pk]))
    assert detail.status_code == 200 and "Status bijwerken" not in detail.text
    # Under htmx the owner gets the updated region, without the whole page.
    done = client_for(official_zwijndrecht).post(url, data, HTTP_HX_REQUEST="true")
    assert done.status_code == 200 and done.text.lstrip().startswith('<div id="action"')
    assert "Gereed" in done.text and "door" in done.text
    action.refresh_from_db()
    assert action.status == "gereed"
    # An old version: 200 with the form, nothing changed.
    again = client_for(official_zwijndrecht).post(url, {**data, "status": "open"})
    assert again.status_code == 200 and "intussen gewijzigd" in again.text
    action.refresh_from_db()
    assert action.status == "gereed"
    history = client_for(official_dordrecht).get(reverse("tables:action-detail", args=[action.pk]))
    assert "Status: Open → Gereed" in history.text


def test_a_regiekamer_action_is_seen_by_its_owner_but_not_its_meeting(
    regiekamer_meeting, programme_office, zwijndrecht, official_zwijndrecht, official_dordrecht
):
    action = _action(programme_office, regiekamer_meeting, zwijndrecht, text="Kamerbesluit 4f")
    detail = reverse("tables:action-detail", args=[action.pk])
    page = client_for(official_zwijndrecht).get(detail)
    assert page.status_code == 200 and "Kamerbesluit 4f" in page.text
    assert _url(regiekamer_meeting) not in page.text  # the meeting itself is the regiekamers'
    assert client_for(official_dordrecht).get(detail).status_code == 404
    pdf_url = _url(regiekamer_meeting, "decision-pdf")
    assert client_for(official_zwijndrecht).get(pdf_url).status_code == 404


def test_the_action_list_filters_by_status_owner_and_table(
    meeting,
    regiekamer_meeting,
    programme_office,
    zwijndrecht,
    dordrecht,
    official_zwijndrecht,
    secretary_zwijndrecht,
):
    mine = _action(programme_office, meeting, zwijndrecht, text="B1")
    theirs = _action(programme_office, meeting, dordrecht, text="B2")
    regiekamer = _action(programme_office, regiekamer_meeting, zwijndrecht, text="B3")
    decisions.complete_action(programme_office, theirs, seen_version=1)
    url = reverse("tables:action-list")

    def listed(user, query=""):
        body = client_for(user).get(url + query).content.decode()
        return {pk for pk in map(int, re.findall(r"/tafels/acties/(\d+)/", body))}

    # Without filters: the open actions of one's own organisation.
    assert listed(official_zwijndrecht) == {mine.pk, regiekamer.pk}
    assert listed(official_zwijndrecht, "?status=gereed") == {theirs.pk}
    assert listed(official_zwijndrecht, f"?tafel={meeting.table.slug}") == {mine.pk, theirs.pk}
    assert listed(secretary_zwijndrecht, "?tafel=ambtelijke-regiekamer") == {regiekamer.pk}
    assert listed(secretary_zwijndrecht, "?organisatie=dordrecht") == {theirs.pk}
    assert listed(official_zwijndrecht, "?status=te_laat") == set()


def _decision_lists(html: str) -> int:
    """How many decision lists a page shows: headings that start with "Besluiten"."""
    return len(re.findall(r"<h2[^>]*>\s*Besluiten", html))


def test_a_table_meeting_page_shows_one_decision_list(
    meeting, programme_office, councillor_dordrecht
):
    decisions.record_decision(programme_office, meeting, text="De ambitie is vastgesteld.")
    html = client_for(councillor_dordrecht).get(_url(meeting)).content.decode()
    assert _decision_lists(html) == 1
    assert "De ambitie is vastgesteld." in html


def test_a_bestuurlijk_meeting_not_yet_held_lists_no_earlier_ambtelijk_decision(
    ambtelijk, bestuurlijk, official_zwijndrecht, secretary_zwijndrecht, programme_office
):
    held = Meeting.objects.create(regiekamer=ambtelijk, date=today() - 20 * DAY)
    upcoming = Meeting.objects.create(regiekamer=bestuurlijk, date=today() + 10 * DAY)
    # The programme office writes the ambtelijke decision down on behalf of its chair.
    ChairTerm.objects.create(
        regiekamer=ambtelijk,
        user=secretary_zwijndrecht,
        valid_from=held.date,
        valid_until=held.date,
    )
    e = make_escalation(official_zwijndrecht, "afgehandeld", handler=secretary_zwijndrecht)
    decisions.record_decision(programme_office, held, text="Ambtelijk besloten.", escalation=e)
    e.refresh_from_db()
    e = escalations.reopen(secretary_zwijndrecht, e, seen_version=e.version, reason="Nieuw feit.")
    e = escalations.escalate_to_bestuurlijk(
        secretary_zwijndrecht, e, seen_version=e.version, reason="Bestuurlijk.", notify=False
    )
    html = client_for(programme_office).get(_url(upcoming)).content.decode()
    assert e.title in html  # on the agenda, as an open escalation
    assert "Besloten: zo." not in html and "Ambtelijk besloten." not in html
    assert "genoteerd" not in html
    assert _decision_lists(html) == 1
    assert "Er zijn nog geen besluiten vastgelegd." in html
    # The ambtelijke meeting keeps its own decision.
    held_html = client_for(programme_office).get(_url(held)).content.decode()
    assert "Ambtelijk besloten." in held_html and _decision_lists(held_html) == 1


def test_the_dashboard_shows_my_open_actions_and_overdue_ones_stand_out(
    meeting, programme_office, zwijndrecht, dordrecht, official_zwijndrecht, councillor_dordrecht
):
    _action(programme_office, meeting, zwijndrecht, deadline=today() - 2 * DAY, text="X")
    _action(programme_office, meeting, dordrecht, text="Y")
    body = client_for(official_zwijndrecht).get("/").content.decode()
    assert "Mijn acties" in body
    assert "1 open actie van Zwijndrecht" in body
    assert 'badge--overdue">1 te laat' in body
    assert "Mijn acties" not in client_for(councillor_dordrecht).get("/").content.decode()


def test_the_dashboard_query_count_stays_the_same_with_more_actions(
    meeting, programme_office, zwijndrecht, official_zwijndrecht, django_assert_max_num_queries
):
    client = client_for(official_zwijndrecht)
    _action(programme_office, meeting, zwijndrecht)
    client.get("/")
    with django_assert_max_num_queries(15) as few:
        client.get("/")
    for i in range(15):
        _action(programme_office, meeting, zwijndrecht, deadline=today() - i * DAY)
    with django_assert_max_num_queries(15) as many:
        body = client.get("/").content.decode()
    assert "16 open acties" in body
    assert len(many.captured_queries) == len(few.captured_queries)


# -- the PDF -------------------------------------------------------------------------------------


def _text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    # Words joined by single spaces: a narrow table cell wraps its text over lines.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_decision_list_pdf_names_meeting_attendance_decisions_and_actions(
    meeting, programme_office, zwijndrecht, councillor_dordrecht
):
    item = meeting.agenda_items.get()
    first = decisions.record_decision(
        programme_office, meeting, text="De ambitie is vastgesteld.", agenda_item=item
    )
    decisions.add_action(
        programme_office,
        first,
        description="Collegevoorstel",
        owner=zwijndrecht,
        deadline=today() - DAY,
    )
    decisions.record_decision(programme_office, meeting, text="Volgende keer terugkoppelen.")
    response = client_for(councillor_dordrecht).get(_url(meeting, "decision-pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "besluitenlijst-" in response["Content-Disposition"]
    text = _text(response)
    for expected in (
        "Besluitenlijst",
        str(meeting.table),
        "Huis van de Stad",
        "Wethouder Dordrecht, Wethouder Zwijndrecht",
        "Besluit 1: Ambitie",
        "De ambitie is vastgesteld.",
        "Collegevoorstel",
        "Zwijndrecht",
        "Open (te laat)",
        "Besluit 2",
        "Pagina 1 van",
    ):
        assert expected in text, expected
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title.startswith(f"Besluitenlijst {meeting.table}")
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def _pdf_html(client, meeting, monkeypatch) -> str:
    """The HTML the decision list PDF is made from (the renderer itself is left out)."""
    seen = []
    monkeypatch.setattr(pdf, "render_pdf", lambda html: seen.append(html) or b"%PDF-1.7")
    assert client.get(_url(meeting, "decision-pdf")).status_code == 200
    (html,) = seen
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _record(office, meeting, presence: dict[str, str]):
    """Record attendance for every organisation expected: `presence` by name, else present."""
    from meetings import meetings

    rows = {
        org.pk: (
            presence.get(org.name, "aanwezig"),
            f"Wethouder {org.name}" if org.name == "Dordrecht" else "",
        )
        for org in meetings.attendance_organisations(meeting)
    }
    meeting.refresh_from_db()
    meetings.record_attendance(office, meeting, rows, seen_version=meeting.version)


@pytest.fixture
def edb(board_table):
    from smartdelta.models import OrganisationKind
    from tables.models import Seat
    from tests.conftest import make_organisation

    org = make_organisation("EDB Drechtsteden", kind=OrganisationKind.PARTNER)
    Seat.objects.create(table=board_table, organisation=org, valid_from=today() - 400 * DAY)
    return org


def test_the_decision_list_prints_the_recorded_attendance_over_the_old_free_text(
    meeting, programme_office, councillor_dordrecht, core_municipalities, edb, monkeypatch
):
    # The meeting also has the free text of before (two aldermen): the record wins.
    _record(
        programme_office,
        meeting,
        {"Hardinxveld-Giessendam": "afgemeld", "EDB Drechtsteden": "afwezig"},
    )
    text = _pdf_html(client_for(councillor_dordrecht), meeting, monkeypatch)
    present = sorted(set(core_municipalities) - {"Hardinxveld-Giessendam"})
    present[present.index("Dordrecht")] = "Dordrecht (Wethouder Dordrecht)"
    assert "Aanwezig " + ", ".join(present) in text
    assert "Afwezig met kennisgeving Hardinxveld-Giessendam" in text
    assert "Afwezig EDB Drechtsteden" in text
    assert "Wethouder Zwijndrecht" not in text
    assert "niet vastgelegd" not in text.lower()


def test_the_decision_list_says_when_attendance_is_not_recorded(
    board_table, programme_office, councillor_dordrecht, core_municipalities, monkeypatch
):
    new = Meeting.objects.create(table=board_table, date=today() - DAY)
    text = _pdf_html(client_for(councillor_dordrecht), new, monkeypatch)
    assert "Aanwezigheid niet vastgelegd" in text
    assert "Aanwezig " not in text.replace("Aanwezigheid", "")


def test_the_decision_list_keeps_old_free_text_when_nothing_is_recorded(
    meeting, councillor_dordrecht, monkeypatch
):
    text = _pdf_html(client_for(councillor_dordrecht), meeting, monkeypatch)
    assert "Aanwezig Wethouder Dordrecht, Wethouder Zwijndrecht" in text
    assert "niet vastgelegd" not in text.lower()


def test_the_decision_list_pdf_shows_recorded_attendance(
    meeting, programme_office, councillor_dordrecht, core_municipalities, edb
):
    _record(
        programme_office,
        meeting,
        {"Hardinxveld-Giessendam": "afgemeld", "EDB Drechtsteden": "afwezig"},
    )
    text = _text(client_for(councillor_dordrecht).get(_url(meeting, "decision-pdf")))
    assert "Afwezig met kennisgeving Hardinxveld-Giessendam" in text
    assert "Afwezig EDB Drechtsteden" in text


def test_typed_text_reaches_the_pdf_escaped_and_fetches_nothing(
    meeting, programme_office, zwijndrecht, councillor_dordrecht, monkeypatch
):
    hostile = '<img src="file:///etc/passwd"> {{ settings.SECRET_KEY }} <b>vet</b>'
    decision = decisions.record_decision(programme_office, meeting, text=hostile)
    decisions.add_action(
        programme_office,
        decision,
        description='<link rel="stylesheet" href="http://127.0.0.1:9/x.css">',
        owner=zwijndrecht,
        deadline=today(),
    )
    asked = []
    original = pdf._static_path

    def spy(url):
        asked.append(url)
        return original(url)

    monkeypatch.setattr(pdf, "_static_path", spy)
    response = client_for(councillor_dordrecht).get(_url(meeting, "decision-pdf"))
    assert response.status_code == 200
    assert asked and all(
        url.startswith(
            (
                "https://portaal.invalid/static/meetings/",
                "https://portaal.invalid/static/vendor/noto-sans/",
            )
        )
        for url in asked
    ), asked
    text = _text(response)
    assert "file:///etc/passwd" in text and "{{ settings.SECRET_KEY }}" in text
    assert "<b>vet</b>" in text
    assert "http://127.0.0.1:9/x.css" in text.replace(" ", "")  # shown, wrapped in its cell
    assert b"root:x:0:0" not in response.content


def test_the_regiekamer_list_is_kept_by_its_chair_of_the_day(
    regiekamer_meeting, secretary_zwijndrecht, ambtelijk
):
    client = client_for(secretary_zwijndrecht)
    response = client.post(_url(regiekamer_meeting, "decision-create"), {"text": "Kamerbesluit"})
    assert response.status_code == 302
    assert regiekamer_meeting.decisions.get().updated_by == secretary_zwijndrecht
    assert ambtelijk.kind == RegiekamerKind.AMBTELIJK
    page = client.get(reverse("meetings:meeting-detail", args=[regiekamer_meeting.pk]))
    assert "Kamerbesluit" in page.text and _url(regiekamer_meeting, "decision-pdf") in page.text
