"""The digest: what changed on what a user follows, from the history, once per period."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from following import digest, follows
from following.models import DigestPreference, DigestSent
from meetings.models import Meeting
from portfolio import positions
from portfolio.models import Milestone, ProgressUpdate
from portfolio.positions import PositionInput
from tables import escalations
from tests.conftest import make_project, make_user, second_official

pytestmark = pytest.mark.django_db


def _confirmed(user, project, org, variant="volledig", **fields):
    c = positions.record_position(
        user, project, org, PositionInput(variant=variant, **fields), None
    )
    c = positions.change_status(user, c, "ingediend", c.version)
    # Four-eyes: a second official of the municipality confirms what `user` submitted.
    return positions.change_status(
        second_official(org), c, "bevestigd", c.version, "RB-2026-17", datetime.date(2026, 11, 2)
    )


def _week_until():
    return timezone.now()


@pytest.fixture
def non_participant(core_municipalities, project):
    """The official of Zwijndrecht, which openly does not take part (geen deelname)."""
    user = make_user(
        "ambtenaar-zwijndrecht",
        core_municipalities["Zwijndrecht"],
        is_official=True,
        email="zwijndrecht@example.org",
    )
    # Followed first: a digest tells only what happened since (issue 30).
    follows.follow(user, project)
    positions.record_position(user, project, user.organisation, PositionInput(variant="geen"), None)
    return user


def _send(user, until=None):
    until = until or _week_until()
    return digest.send(user.pk, "wekelijks", digest.period_key("wekelijks", until), until)


def test_a_non_participant_gets_a_confirmed_change_of_another_municipality_but_never_a_concept(
    non_participant, project, core_municipalities, official_dordrecht, mailoutbox, run_queued_tasks
):
    _confirmed(official_dordrecht, project, core_municipalities["Dordrecht"])
    alblasserdam = make_user(
        "ambtenaar-alblasserdam", core_municipalities["Alblasserdam"], is_official=True
    )
    positions.record_position(
        alblasserdam,
        project,
        core_municipalities["Alblasserdam"],
        PositionInput(variant="solidariteit", amount=Decimal("12345")),
        None,
    )
    result = _send(non_participant)
    assert "in de wachtrij" in result
    assert mailoutbox == []  # queued for the worker
    run_queued_tasks()
    (mail,) = mailoutbox
    assert mail.to == ["zwijndrecht@example.org"]
    assert "wekelijkse samenvatting" in mail.subject
    body = mail.body
    assert f"== Project {project.name} ==" in body
    assert "Positie Dordrecht: volledige participatie, bevestigd (besluit RB-2026-17)." in body
    assert f"/projecten/{project.pk}/" in body
    # The concept of another municipality appears nowhere, nor what it says.
    assert "Alblasserdam" not in body and "12.345" not in body and "solidariteit" not in body


def test_the_programme_office_does_see_concepts_in_its_digest(
    programme_office, project, core_municipalities
):
    follows.follow(programme_office, project)
    positions.record_position(
        programme_office, project, core_municipalities["Alblasserdam"], PositionInput("geen"), None
    )
    sections = digest.build(
        programme_office, timezone.now() - datetime.timedelta(days=1), _week_until()
    )
    texts = [e.text for s in sections for e in s.entries]
    assert "Positie Alblasserdam: geen deelname, concept." in texts


def test_progress_milestones_project_changes_escalations_and_meetings(
    non_participant, project, board_table, regiekamers, programme_office, official_dordrecht
):
    from portfolio import projects

    secretary = make_user(
        "secretaris-papendrecht",
        project.lead,
        is_ambtelijke_regiekamer=True,
        email="secretaris@example.org",
    )
    follows.follow(secretary, project)
    follows.follow(secretary, board_table)
    since = timezone.now() - datetime.timedelta(seconds=1)
    projects.update_project(programme_office, project, {"status": "lopend"}, project.version)
    ProgressUpdate.objects.create(
        project=project, date=datetime.date(2026, 11, 20), light="aandacht", text="Vertraging."
    )
    milestone = Milestone.objects.create(
        project=project, title="Aanbesteding", due_date=datetime.date(2027, 3, 1)
    )
    milestone.done_on = datetime.date(2026, 11, 25)
    milestone.save()
    escalation = escalations.raise_escalation(
        official_dordrecht,
        title="Capaciteit ontbreekt",
        description="Te weinig mensen.",
        category="capaciteit",
        urgency="normaal",
        project=project,
        notify=False,
    )
    Meeting.objects.create(table=board_table, date=datetime.date(2027, 1, 12), location="Dordrecht")
    # Stored before forms refused line breaks (issue 32): still one line in the digest.
    Meeting.objects.create(
        table=board_table,
        date=datetime.date(2027, 1, 19),
        location="Zaal 1\r\nKlik: https://x.example",
    )

    texts = [e.text for s in digest.build(secretary, since, _week_until()) for e in s.entries]
    assert "Gewijzigd: status: Idee → Lopend." in texts
    assert "Voortgang 20 november 2026: aandacht – Vertraging." in texts
    assert "Mijlpaal ‘Aanbesteding’ gepland op 1 maart 2027." in texts
    assert "Mijlpaal ‘Aanbesteding’ behaald op 25 november 2026." in texts
    assert f"Escalatie ‘{escalation.title}’ ingediend bij de Ambtelijke regiekamer." in texts
    assert "Vergadering gepland op 12 januari 2027, Dordrecht." in texts
    assert "Vergadering gepland op 19 januari 2027, Zaal 1 Klik: https://x.example." in texts
    assert not any("\n" in t or "\r" in t for t in texts)
    # The official of Zwijndrecht may not see another reporter's escalation: not in theirs.
    theirs = [
        e.text for s in digest.build(non_participant, since, _week_until()) for e in s.entries
    ]
    assert "Gewijzigd: status: Idee → Lopend." in theirs
    assert not any("Capaciteit ontbreekt" in t for t in theirs)


def test_a_theme_lists_its_projects_and_a_councillor_gets_no_escalations(
    councillor_dordrecht, project, official_dordrecht, regiekamers
):
    follows.follow(councillor_dordrecht, project.theme)
    since = timezone.now()
    new = make_project("Digital mainport", theme=project.theme, lead=project.lead)
    escalations.raise_escalation(
        official_dordrecht,
        title="Geheim knelpunt",
        description="x",
        category="overig",
        urgency="normaal",
        project=new,
        notify=False,
    )
    (section,) = digest.build(councillor_dordrecht, since, _week_until())
    assert section.title == f"Thema {project.theme.name}"
    assert [e.text for e in section.entries] == [
        "Digital mainport: Nieuw project: Digital mainport (Idee)."
    ]


def test_nothing_changed_sends_nothing_but_records_the_period(
    non_participant, mailoutbox, run_queued_tasks
):
    later = _week_until() + datetime.timedelta(days=8)
    # The position of Zwijndrecht itself was recorded more than a week before `later`.
    result = _send(non_participant, later)
    run_queued_tasks()
    assert result == "Niets gewijzigd; niets verstuurd."
    assert mailoutbox == []
    assert DigestSent.objects.get(user=non_participant).items == 0


def test_the_next_digest_starts_where_the_last_ended(
    non_participant, project, official_dordrecht, core_municipalities, mailoutbox, run_queued_tasks
):
    _send(non_participant)
    run_queued_tasks()
    assert len(mailoutbox) == 1
    ProgressUpdate.objects.create(
        project=project, date=datetime.date(2026, 12, 1), light="op_koers", text="Weer op koers."
    )
    nextweek = _week_until() + datetime.timedelta(days=7)
    _send(non_participant, nextweek)
    run_queued_tasks()
    assert len(mailoutbox) == 2
    assert "Weer op koers." in mailoutbox[1].body
    # The position of Zwijndrecht was in the first digest, not again.
    assert "Positie Zwijndrecht" in mailoutbox[0].body
    assert "Positie Zwijndrecht" not in mailoutbox[1].body


def test_the_command_queues_one_task_per_user_and_a_rerun_sends_nothing_twice(
    non_participant, councillor_dordrecht, project, run_queued_tasks, mailoutbox
):
    # A councillor who chose a daily digest is not in the weekly run; one without mail neither.
    follows.follow(councillor_dordrecht, project)
    follows.set_digest_period(councillor_dordrecht, "dagelijks", 1)
    call_command("send_digests", period="weekly", stdout=open("/dev/null", "w"))
    run_queued_tasks()
    assert [m.to for m in mailoutbox] == [["zwijndrecht@example.org"]]
    call_command("send_digests", period="weekly", stdout=open("/dev/null", "w"))
    run_queued_tasks()
    assert len(mailoutbox) == 1
    # Even a task queued twice for the same week sends once.
    key = digest.period_key("wekelijks", timezone.now())
    assert _send(non_participant, timezone.now()) == "Al verstuurd."
    assert DigestSent.objects.filter(user=non_participant, key=key).count() == 1


def test_no_digest_after_choosing_none(non_participant, mailoutbox):
    preference = DigestPreference.objects.get(user=non_participant)
    follows.set_digest_period(non_participant, "geen", preference.version)
    assert _send(non_participant) == "Deze gebruiker wil deze samenvatting niet (meer)."
    assert mailoutbox == [] and not DigestSent.objects.exists()


def _count_queries(user, since, until) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        sections = digest.build(user, since, until)
    return len(queries), sum(len(s.entries) for s in sections)


def test_the_number_of_queries_does_not_grow_with_the_changes(
    non_participant, project, board_table, programme_office, official_dordrecht, regiekamers
):
    from portfolio import projects

    secretary = make_user("secretaris-papendrecht", project.lead, is_ambtelijke_regiekamer=True)
    follows.follow(secretary, project)
    follows.follow(secretary, project.theme)
    follows.follow(secretary, board_table)
    since = timezone.now() - datetime.timedelta(seconds=1)

    def changes(n):
        for i in range(n):
            p = make_project(f"Project {n}-{i}", theme=project.theme, lead=project.lead)
            projects.update_project(programme_office, p, {"status": "lopend"}, p.version)
            ProgressUpdate.objects.create(
                project=p, date=datetime.date(2026, 11, 20), light="op_koers", text=f"Bericht {i}"
            )
            Milestone.objects.create(project=p, title=f"M{i}", due_date=datetime.date(2027, 1, 1))
            _confirmed(programme_office, p, project.lead)
            escalations.raise_escalation(
                official_dordrecht,
                title=f"E{i}",
                description="x",
                category="overig",
                urgency="normaal",
                project=p,
                table=board_table,
                notify=False,
            )
            Meeting.objects.create(table=board_table, date=datetime.date(2027, 2, i + 1))

    changes(1)
    few, few_entries = _count_queries(secretary, since, _week_until())
    changes(6)
    many, many_entries = _count_queries(secretary, since, _week_until())
    assert many_entries > few_entries + 20
    # Twelve: one more than before for the exploitation after the subsidy (issue 27,
    # seed 003: the followed projects' exploitation, for its changes and the flag).
    assert many == few <= 12


def test_the_period_is_counted_on_the_dutch_calendar():
    # 23:30 UTC on Sunday 6 December 2026 is 00:30 on Monday in the Netherlands: a new week.
    sunday_night_utc = datetime.datetime(2026, 12, 6, 23, 30, tzinfo=datetime.UTC)
    assert digest.period_key("wekelijks", sunday_night_utc) == "2026-W50"
    assert digest.period_key("dagelijks", sunday_night_utc) == "2026-12-07"
    an_hour_earlier = sunday_night_utc - datetime.timedelta(hours=1)
    assert digest.period_key("wekelijks", an_hour_earlier) == "2026-W49"
    assert digest.period_key("dagelijks", an_hour_earlier) == "2026-12-06"


def test_a_first_digest_holds_nothing_from_before_the_user_followed(
    programme_office, project, board_table, core_municipalities, mailoutbox, run_queued_tasks
):
    """Issue 30: the first weekly digest held 77 items, most from before following anything."""
    from meetings import meetings

    positions.record_position(
        programme_office, project, core_municipalities["Alblasserdam"], PositionInput("geen"), None
    )
    meetings.plan_meeting(
        programme_office, board_table, date=timezone.localdate() + datetime.timedelta(days=30)
    )
    follows.follow(programme_office, project)
    follows.follow(programme_office, board_table)
    since = timezone.now() - datetime.timedelta(days=7)
    assert digest.build(programme_office, since, _week_until()) == []
    # What happens after following is told.
    positions.record_position(
        programme_office, project, core_municipalities["Sliedrecht"], PositionInput("geen"), None
    )
    sections = digest.build(programme_office, since, _week_until())
    texts = [e.text for s in sections for e in s.entries]
    assert texts == ["Positie Sliedrecht: geen deelname, concept."]


def test_the_follow_page_previews_the_next_digest(programme_office, project, core_municipalities):
    """Issue 30: /volgen/ showed nothing of what a digest would hold."""
    from tests.conftest import client_for

    positions.record_position(
        programme_office, project, core_municipalities["Alblasserdam"], PositionInput("geen"), None
    )
    follows.follow(programme_office, project)
    page = client_for(programme_office).get("/volgen/").text
    preview = page.split('id="voorbeeld"')[1].split("</section>")[0]
    assert "Voorbeeld van uw volgende samenvatting" in page
    assert "niets veranderd" in preview and "Alblasserdam" not in preview
    positions.record_position(
        programme_office, project, core_municipalities["Sliedrecht"], PositionInput("geen"), None
    )
    page = client_for(programme_office).get("/volgen/").text
    preview = page.split('id="voorbeeld"')[1].split("</section>")[0]
    assert f"Project {project.name}" in preview
    assert "Positie Sliedrecht: geen deelname, concept." in preview
    assert "Alblasserdam" not in preview
