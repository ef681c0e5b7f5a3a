"""The escalation state machine and its services: every allowed and every refused transition."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings.models import Meeting
from smartdelta import mail
from smartdelta.errors import ConflictError, DomainError
from tables import escalations
from tables.models import ChairTerm, Escalation, EscalationEvent
from tests.conftest import make_user

from .conftest import make_escalation

ACTIONS = ["take_up", "decide", "close", "escalate", "reopen"]
# (state, regiekamer) -> {action: (state after, regiekamer after)}; anything missing is refused.
ALLOWED = {
    ("ingediend", "ambtelijk"): {
        "take_up": ("in_behandeling", "ambtelijk"),
        "escalate": ("ingediend", "bestuurlijk"),
    },
    ("in_behandeling", "ambtelijk"): {
        "decide": ("besloten", "ambtelijk"),
        "escalate": ("ingediend", "bestuurlijk"),
    },
    ("besloten", "ambtelijk"): {"close": ("afgehandeld", "ambtelijk")},
    ("afgehandeld", "ambtelijk"): {"reopen": ("in_behandeling", "ambtelijk")},
    ("ingediend", "bestuurlijk"): {"take_up": ("in_behandeling", "bestuurlijk")},
    ("in_behandeling", "bestuurlijk"): {"decide": ("besloten", "bestuurlijk")},
    ("besloten", "bestuurlijk"): {"close": ("afgehandeld", "bestuurlijk")},
    ("afgehandeld", "bestuurlijk"): {"reopen": ("in_behandeling", "bestuurlijk")},
}
DATA = {"decision": "Zo besloten.", "reason": "Omdat het moet."}


def escalation_in(state, regiekamer, reporter, members):
    """An escalation in `state` at `regiekamer`, moved there by the members of each regiekamer
    ({"ambtelijk": secretary, "bestuurlijk": mayor})."""
    if regiekamer == "ambtelijk":
        return make_escalation(reporter, state, handler=members["ambtelijk"])
    e = make_escalation(reporter, "opgeschaald", handler=members["ambtelijk"])
    steps = {"in_behandeling": ["take_up"], "besloten": ["take_up", "decide"]}
    steps["afgehandeld"] = ["take_up", "decide", "close"]
    for action in steps.get(state, []):
        e = escalations.perform(
            members["bestuurlijk"], e, action, seen_version=e.version, notify=False, **DATA
        )
    return e


def _perform_kwargs(action):
    if action == "decide":
        return {"decision": DATA["decision"]}
    if action == "take_up":
        return {}
    return {"reason": DATA["reason"]}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("start", list(ALLOWED))
def test_every_transition_is_allowed_or_refused(
    start, action, regiekamers, official_zwijndrecht, secretary_zwijndrecht, mayor_dordrecht
):
    state, regiekamer = start
    members = {"ambtelijk": secretary_zwijndrecht, "bestuurlijk": mayor_dordrecht}
    e = escalation_in(state, regiekamer, official_zwijndrecht, members)
    member = members[regiekamer]
    assert (e.state, e.regiekamer.kind) == start
    before_events = e.events.count()
    expected = ALLOWED[start].get(action)

    offered = [t.action for t in escalations.allowed_transitions(e)]
    assert (action in offered) == (expected is not None)

    if expected is None:
        with pytest.raises(DomainError) as refused:
            escalations.perform(
                member, e, action, seen_version=e.version, **_perform_kwargs(action)
            )
        assert "kan niet" in str(refused.value) or "hoger opschalen" in str(refused.value)
        fresh = Escalation.objects.get(pk=e.pk)
        assert (fresh.state, fresh.regiekamer.kind, fresh.version) == (state, regiekamer, e.version)
        assert fresh.events.count() == before_events
    else:
        after = escalations.perform(
            member,
            e,
            action,
            seen_version=e.version,
            notify=False,
            **_perform_kwargs(action),
        )
        fresh = Escalation.objects.get(pk=e.pk)
        assert (fresh.state, fresh.regiekamer.kind) == expected
        assert fresh.version == e.version + 1 == after.version
        event = fresh.events.last()
        assert (event.action, event.from_state, event.to_state) == (action, state, expected[0])
        assert event.actor == member and event.on_behalf_of is None
        assert event.from_regiekamer.kind == regiekamer and event.to_regiekamer.kind == expected[1]


def test_unknown_action_is_refused(regiekamers, official_zwijndrecht, programme_office):
    e = make_escalation(official_zwijndrecht)
    with pytest.raises(DomainError, match="bestaat niet"):
        escalations.perform(programme_office, e, "delete", seen_version=e.version)


def test_raise_starts_at_the_ambtelijke_regiekamer_with_an_event_and_history(
    regiekamers, official_zwijndrecht
):
    e = make_escalation(official_zwijndrecht)
    assert e.state == "ingediend" and e.regiekamer.is_ambtelijk
    assert e.reporter == official_zwijndrecht
    event = e.events.get()
    assert (event.action, event.to_state, event.actor) == ("raise", "ingediend", e.reporter)
    assert e.history.get().history_user == official_zwijndrecht


def test_councillor_cannot_raise(regiekamers, councillor_dordrecht):
    with pytest.raises(DomainError, match="rol in de samenwerking"):
        make_escalation(councillor_dordrecht)
    assert not Escalation.objects.exists()


def test_deadline_is_next_regiekamer_meeting_or_four_weeks(ambtelijk, official_zwijndrecht):
    today = timezone.localdate()
    assert make_escalation(official_zwijndrecht).deadline == today + datetime.timedelta(days=28)
    Meeting.objects.create(regiekamer=ambtelijk, date=today - datetime.timedelta(days=3))
    meeting = Meeting.objects.create(regiekamer=ambtelijk, date=today + datetime.timedelta(days=9))
    assert make_escalation(official_zwijndrecht).deadline == meeting.date


def test_take_up_makes_the_member_owner_and_puts_it_on_the_agenda(
    ambtelijk, bestuurlijk, official_zwijndrecht, secretary_zwijndrecht
):
    meeting = Meeting.objects.create(
        regiekamer=ambtelijk, date=timezone.localdate() + datetime.timedelta(days=3)
    )
    e = make_escalation(official_zwijndrecht)
    e = escalations.take_up(secretary_zwijndrecht, e, seen_version=1, meeting=meeting)
    assert (e.owner, e.meeting, e.deadline) == (secretary_zwijndrecht, meeting, meeting.date)
    assert e.history.first().history_user == secretary_zwijndrecht


def test_take_up_refuses_a_meeting_of_the_other_regiekamer(
    bestuurlijk, ambtelijk, official_zwijndrecht, secretary_zwijndrecht
):
    other = Meeting.objects.create(regiekamer=bestuurlijk, date=timezone.localdate())
    e = make_escalation(official_zwijndrecht)
    with pytest.raises(DomainError, match="vergadering van de Ambtelijke regiekamer"):
        escalations.take_up(secretary_zwijndrecht, e, seen_version=1, meeting=other)
    assert Escalation.objects.get(pk=e.pk).state == "ingediend"


def test_decide_needs_a_decision_and_escalate_and_reopen_a_reason(
    regiekamers, official_zwijndrecht, secretary_zwijndrecht
):
    e = make_escalation(official_zwijndrecht, "in_behandeling", handler=secretary_zwijndrecht)
    with pytest.raises(DomainError, match="besluit mag niet leeg"):
        escalations.decide(secretary_zwijndrecht, e, seen_version=e.version, decision="  ")
    with pytest.raises(DomainError, match="toelichting"):
        escalations.escalate_to_bestuurlijk(
            secretary_zwijndrecht, e, seen_version=e.version, reason=""
        )
    closed = make_escalation(official_zwijndrecht, "afgehandeld", handler=secretary_zwijndrecht)
    with pytest.raises(DomainError, match="toelichting"):
        escalations.reopen(secretary_zwijndrecht, closed, seen_version=closed.version, reason="")
    assert Escalation.objects.get(pk=e.pk).state == "in_behandeling"


def test_only_the_holding_regiekamer_and_programme_office_handle(
    regiekamers, official_zwijndrecht, secretary_zwijndrecht, mayor_dordrecht, programme_office
):
    e = make_escalation(official_zwijndrecht)
    for outsider in (mayor_dordrecht, official_zwijndrecht):
        with pytest.raises(DomainError, match="Alleen leden van de Ambtelijke regiekamer"):
            escalations.take_up(outsider, e, seen_version=1)
    raised = make_escalation(official_zwijndrecht, "opgeschaald", handler=secretary_zwijndrecht)
    with pytest.raises(DomainError, match="Bestuurlijke regiekamer"):
        escalations.take_up(secretary_zwijndrecht, raised, seen_version=raised.version)
    taken = escalations.take_up(mayor_dordrecht, raised, seen_version=raised.version)
    assert taken.owner == mayor_dordrecht
    assert escalations.take_up(programme_office, e, seen_version=1).state == "in_behandeling"


def test_stale_version_is_refused_and_nothing_is_overwritten(
    regiekamers, official_zwijndrecht, secretary_zwijndrecht, secretary_alblasserdam
):
    e = make_escalation(official_zwijndrecht, "in_behandeling", handler=secretary_zwijndrecht)
    seen = e.version
    escalations.decide(secretary_zwijndrecht, e, seen_version=seen, decision="Eerste besluit")
    with pytest.raises(ConflictError) as conflict:
        escalations.decide(secretary_alblasserdam, e, seen_version=seen, decision="Tweede besluit")
    assert "gewijzigd door secretaris-zwijndrecht op" in str(conflict.value)
    fresh = Escalation.objects.get(pk=e.pk)
    assert fresh.decision == "Eerste besluit" and fresh.version == seen + 1
    assert fresh.events.filter(action="decide").count() == 1


def test_database_refuses_decided_without_decision(regiekamers, official_zwijndrecht):
    e = make_escalation(official_zwijndrecht)
    e.state = "besloten"
    with pytest.raises(IntegrityError), transaction.atomic():
        e.save()


def test_mail_to_regiekamer_on_arrival_and_escalation_and_to_reporter_on_decision(
    regiekamers,
    mailoutbox,
    run_queued_tasks,
    official_zwijndrecht,
    secretary_zwijndrecht,
    mayor_dordrecht,
):
    official_zwijndrecht.email = "melder@example.org"
    official_zwijndrecht.save()
    secretary_zwijndrecht.email = "secretaris@example.org"
    secretary_zwijndrecht.save()
    mayor_dordrecht.email = "burgemeester@example.org"
    mayor_dordrecht.save()

    e = escalations.raise_escalation(
        official_zwijndrecht, title="T", description="D", category="overig", urgency="normaal"
    )
    assert mailoutbox == []  # queued, not sent in the request
    run_queued_tasks()
    assert [m.to for m in mailoutbox] == [["secretaris@example.org"]]
    assert "Nieuwe escalatie" in mailoutbox[0].subject
    assert f"/regiekamer/escalaties/{e.pk}/" in mailoutbox[0].body

    e = escalations.escalate_to_bestuurlijk(
        secretary_zwijndrecht, e, seen_version=e.version, reason="Bestuurlijk"
    )
    run_queued_tasks()
    assert mailoutbox[1].to == ["burgemeester@example.org"]
    e = escalations.take_up(mayor_dordrecht, e, seen_version=e.version)
    escalations.decide(mayor_dordrecht, e, seen_version=e.version, decision="Zo gaan we het doen.")
    run_queued_tasks()
    assert mailoutbox[2].to == ["melder@example.org"]
    assert "Zo gaan we het doen." in mailoutbox[2].body


def test_a_failing_mail_is_logged_and_never_loses_the_escalation(
    regiekamers, monkeypatch, caplog, run_queued_tasks, official_zwijndrecht, secretary_zwijndrecht
):
    secretary_zwijndrecht.email = "secretaris@example.org"
    secretary_zwijndrecht.save()

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(mail, "send_mail", broken)
    e = escalations.raise_escalation(
        official_zwijndrecht, title="T", description="D", category="overig", urgency="normaal"
    )
    run_queued_tasks()
    assert Escalation.objects.filter(pk=e.pk).exists()
    assert "niet verstuurd" in caplog.text


def test_comments_by_reporter_and_handlers_only(
    regiekamers, official_zwijndrecht, official_dordrecht, secretary_zwijndrecht
):
    e = make_escalation(official_zwijndrecht)
    escalations.add_comment(official_zwijndrecht, e, "Nog steeds niet geleverd.")
    escalations.add_comment(secretary_zwijndrecht, e, "We agenderen het.")
    with pytest.raises(DomainError, match="geen reactie"):
        escalations.add_comment(official_dordrecht, e, "Ik ook!")
    with pytest.raises(DomainError, match="niet leeg"):
        escalations.add_comment(official_zwijndrecht, e, "   ")
    assert list(e.comments.values_list("text", flat=True)) == [
        "Nog steeds niet geleverd.",
        "We agenderen het.",
    ]


def test_reopen_records_reason_and_new_deadline(
    regiekamers, official_zwijndrecht, secretary_zwijndrecht
):
    e = make_escalation(official_zwijndrecht, "afgehandeld", handler=secretary_zwijndrecht)
    e = escalations.reopen(
        secretary_zwijndrecht, e, seen_version=e.version, reason="Niet nagekomen"
    )
    assert e.state == "in_behandeling" and e.deadline >= timezone.localdate()
    assert e.events.last().reason == "Niet nagekomen"
    assert EscalationEvent.objects.filter(escalation=e).count() == 5  # raise … close, reopen


def test_overdue_only_for_open_escalations(
    regiekamers, official_zwijndrecht, secretary_zwijndrecht
):
    open_one = make_escalation(official_zwijndrecht)
    done = make_escalation(official_zwijndrecht, "besloten", handler=secretary_zwijndrecht)
    past = timezone.localdate() - datetime.timedelta(days=1)
    for e in (open_one, done):
        e.deadline = past
        e.save()
    assert open_one.is_overdue and not done.is_overdue
    assert list(Escalation.objects.overdue()) == [open_one]


def test_for_user_hides_escalations_from_councillors_and_other_officials(
    regiekamers, official_zwijndrecht, official_dordrecht, councillor_dordrecht, mayor_dordrecht
):
    e = make_escalation(official_zwijndrecht)
    assert list(Escalation.objects.for_user(official_zwijndrecht)) == [e]
    assert list(Escalation.objects.for_user(mayor_dordrecht)) == [e]
    assert not Escalation.objects.for_user(official_dordrecht).exists()
    assert not Escalation.objects.for_user(councillor_dordrecht).exists()
    both = make_user("raadslid-ambtenaar", official_dordrecht.organisation, is_councillor=True)
    assert not Escalation.objects.for_user(both).exists()


# -- The seven decide, the programme office prepares (issue 29, seed 004 advice 3) -------------


@pytest.mark.parametrize("action", ["decide", "escalate", "reopen"])
def test_the_programme_office_prepares_but_never_decides_on_its_own(
    action, regiekamers, official_zwijndrecht, secretary_zwijndrecht, programme_office
):
    """Seed 004: "Regie op de bestuurlijke samenwerking tussen zeven gemeenten is de
    verantwoordelijkheid van de zeven samenwerkende gemeenten." Without a chair to record it for,
    the programme office is refused every decision and nothing changes."""
    state = "afgehandeld" if action == "reopen" else "in_behandeling"
    e = make_escalation(official_zwijndrecht, state, handler=secretary_zwijndrecht)
    events = e.events.count()
    with pytest.raises(DomainError, match="alleen vast namens de voorzitter"):
        escalations.perform(
            programme_office, e, action, seen_version=e.version, notify=False, **DATA
        )
    fresh = Escalation.objects.get(pk=e.pk)
    assert (fresh.state, fresh.version, fresh.events.count()) == (state, e.version, events)
    # Preparing stays the programme office's work: intake and closing a decided escalation.
    new = make_escalation(official_zwijndrecht)
    assert escalations.take_up(programme_office, new, seen_version=1).owner == programme_office
    decided = make_escalation(official_zwijndrecht, "besloten", handler=secretary_zwijndrecht)
    closed = escalations.close(programme_office, decided, seen_version=decided.version)
    assert closed.state == "afgehandeld"


def test_the_programme_office_records_a_decision_on_behalf_of_the_chair(
    regiekamers, official_zwijndrecht, secretary_zwijndrecht, mayor_dordrecht, programme_office
):
    today = timezone.localdate()
    bestuurlijk = regiekamers["bestuurlijk"]
    ChairTerm.objects.create(
        regiekamer=bestuurlijk,
        user=mayor_dordrecht,
        valid_from=today - datetime.timedelta(days=30),
        valid_until=today + datetime.timedelta(days=300),
    )
    e = make_escalation(official_zwijndrecht, "opgeschaald", handler=secretary_zwijndrecht)
    e = escalations.take_up(programme_office, e, seen_version=e.version)
    e = escalations.decide(
        programme_office, e, seen_version=e.version, decision="Zo besloten.", notify=False
    )
    event = e.events.last()
    assert (event.action, event.actor, event.on_behalf_of) == (
        "decide",
        programme_office,
        mayor_dordrecht,
    )
    # A member decides as a member: no one on whose behalf.
    e = escalations.close(programme_office, e, seen_version=e.version)
    reopened = escalations.reopen(mayor_dordrecht, e, seen_version=e.version, reason="Nieuw feit")
    assert reopened.events.last().on_behalf_of is None
    # A chair whose membership ended is no chair: the programme office is refused again.
    mayor_dordrecht.is_bestuurlijke_regiekamer = False
    mayor_dordrecht.save()
    with pytest.raises(DomainError, match="geen voorzitter"):
        escalations.decide(
            programme_office, reopened, seen_version=reopened.version, decision="Nogmaals."
        )


def test_the_page_offers_the_programme_office_only_what_it_may_do(
    regiekamers, official_zwijndrecht, secretary_zwijndrecht, programme_office
):
    from django.urls import reverse

    from tests.conftest import client_for

    e = make_escalation(official_zwijndrecht, "in_behandeling", handler=secretary_zwijndrecht)
    client = client_for(programme_office)
    page = client.get(reverse("regiekamer:escalation-detail", args=[e.pk])).text
    assert "alleen vast namens de voorzitter" in page
    assert reverse("regiekamer:escalation-transition", args=[e.pk, "decide"]) not in page
    forged = client.post(
        reverse("regiekamer:escalation-transition", args=[e.pk, "decide"]),
        {"version": e.version, "decision": "Toch besloten.", "reason": ""},
    )
    assert forged.status_code == 200 and "alleen vast namens de voorzitter" in forged.text
    assert Escalation.objects.get(pk=e.pk).state == "in_behandeling"
    member = client_for(secretary_zwijndrecht)
    page = member.get(reverse("regiekamer:escalation-detail", args=[e.pk])).text
    assert reverse("regiekamer:escalation-transition", args=[e.pk, "decide"]) in page
