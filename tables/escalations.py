"""Raising and handling escalations: the only writers of `Escalation` and its events.

An escalation starts at the ambtelijke regiekamer (the first escalation level) and may be raised
to the bestuurlijke regiekamer, where it goes through the same states. `TRANSITIONS` is the one
list of what may follow what; anything else is refused with a Dutch `DomainError` and changes
nothing. Every change follows `smartdelta.versioning`: it takes the acting user first and the
version the user saw, runs in one transaction, locks the row, re-checks the permission, checks
the version, records who/when/why in `EscalationEvent`, and stamps the acting user. Mail is
queued in the same transaction and sent by the worker after the commit (smartdelta/mail.py): none
for a change that rolled back, and a failed send is retried there without touching the
escalation.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.formatting import format_date as datum
from smartdelta.mail import absolute_url, queue_mail
from smartdelta.models import User
from smartdelta.versioning import check_version, stamp

from .models import (
    BoardTable,
    Escalation,
    EscalationComment,
    EscalationEvent,
    EscalationState,
    Regiekamer,
    RegiekamerKind,
)

logger = logging.getLogger(__name__)

S = EscalationState
DEFAULT_RESPONSE_DAYS = 28


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset
    target: str
    ambtelijk_only: bool = False
    needs_reason: bool = False
    needs_decision: bool = False
    # A decision of the regiekamer itself, not preparation (`permissions.can_decide_escalation`).
    decides: bool = False


# The whole state machine. `escalate` moves the escalation to the bestuurlijke regiekamer and
# starts it there as `ingediend`; `reopen` brings a closed one back into handling.
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition("take_up", "In behandeling nemen", frozenset({S.SUBMITTED}), S.IN_PROGRESS),
        Transition(
            "decide",
            "Besluit vastleggen",
            frozenset({S.IN_PROGRESS}),
            S.DECIDED,
            needs_decision=True,
            decides=True,
        ),
        Transition("close", "Afhandelen", frozenset({S.DECIDED}), S.CLOSED),
        Transition(
            "escalate",
            "Opschalen naar de bestuurlijke regiekamer",
            frozenset({S.SUBMITTED, S.IN_PROGRESS}),
            S.SUBMITTED,
            ambtelijk_only=True,
            needs_reason=True,
            decides=True,
        ),
        Transition(
            "reopen",
            "Heropenen",
            frozenset({S.CLOSED}),
            S.IN_PROGRESS,
            needs_reason=True,
            decides=True,
        ),
    ]
}
# Labels of the events in the timeline (the first one has no transition).
EVENT_LABELS = {"raise": "Ingediend"} | {
    "take_up": "In behandeling genomen",
    "decide": "Besloten",
    "close": "Afgehandeld",
    "escalate": "Opgeschaald naar de bestuurlijke regiekamer",
    "reopen": "Heropend",
}


def is_allowed(escalation: Escalation, transition: Transition) -> bool:
    if escalation.state not in transition.sources:
        return False
    return not (transition.ambtelijk_only and not escalation.regiekamer.is_ambtelijk)


def allowed_transitions(escalation: Escalation) -> list[Transition]:
    """The transitions that make sense from the escalation's current state and regiekamer."""
    return [t for t in TRANSITIONS.values() if is_allowed(escalation, t)]


def chair_on(regiekamer: Regiekamer, on: datetime.date) -> User | None:
    """Who chairs `regiekamer` on `on` by its chair schedule, if a member does."""
    return regiekamer.chair_on(on)


def on_behalf_of(user: User, escalation: Escalation, on: datetime.date) -> User | None:
    """For a decision on `escalation`: None when `user` decides as a member of the regiekamer
    that holds it; the chair when the programme office records it on the chair's behalf
    ("namens de voorzitter"). Refused otherwise, with the reason.

    Seed 004 (advice 3) gives the direction to the seven: "Regie op de bestuurlijke
    samenwerking tussen zeven gemeenten is de verantwoordelijkheid van de zeven samenwerkende
    gemeenten". The programme office prepares and writes down; it never decides.
    """
    if permissions.can_decide_escalation(user, escalation):
        return None
    regiekamer = escalation.regiekamer
    if permissions.is_programme_office(user):
        chair = chair_on(regiekamer, on)
        if chair is not None:
            return chair
        raise DomainError(
            f"Dit besluit neemt de {regiekamer}. Het programmabureau legt het alleen vast namens "
            f"de voorzitter, en de {regiekamer} heeft op {datum(on)} geen voorzitter: een lid "
            "legt het besluit vast, of de leden kiezen eerst een voorzitter."
        )
    raise DomainError(f"Dit besluit nemen alleen de leden van de {regiekamer}.")


def default_deadline(regiekamer: Regiekamer, today: datetime.date | None = None) -> datetime.date:
    """The regiekamer's next meeting, or four weeks from today when none is planned."""
    today = today or timezone.localdate()
    meeting = regiekamer.next_meeting(today)
    return meeting.date if meeting else today + datetime.timedelta(days=DEFAULT_RESPONSE_DAYS)


def raise_escalation(
    user: User,
    *,
    title: str,
    description: str,
    category: str,
    urgency: str,
    project=None,
    table: BoardTable | None = None,
    notify: bool = True,
) -> Escalation:
    """Report an escalation to the ambtelijke regiekamer, the first escalation level."""
    if not permissions.can_raise_escalation(user):
        raise DomainError(
            "Alleen wie een rol in de samenwerking heeft, kan een escalatie indienen."
        )
    with transaction.atomic():
        regiekamer = Regiekamer.objects.get(kind=RegiekamerKind.AMBTELIJK)
        now = timezone.now()
        escalation = Escalation(
            title=title,
            description=description,
            category=category,
            urgency=urgency,
            project=project,
            table=table,
            regiekamer=regiekamer,
            reporter=user,
            deadline=default_deadline(regiekamer),
            created_at=now,
        )
        stamp(escalation, user)
        escalation.save()
        EscalationEvent.objects.create(
            escalation=escalation,
            actor=user,
            at=now,
            action="raise",
            to_state=escalation.state,
            to_regiekamer=regiekamer,
        )
        if notify:
            _notify_regiekamer(escalation, "Nieuwe escalatie")
    return escalation


def take_up(
    user: User,
    escalation: Escalation,
    *,
    seen_version: int,
    meeting: Meeting | None = None,
    reason: str = "",
) -> Escalation:
    """The acting member becomes the owner; optionally put it on a meeting's agenda."""
    return _transition(user, escalation, "take_up", seen_version, reason=reason, meeting=meeting)


def decide(
    user: User,
    escalation: Escalation,
    *,
    seen_version: int,
    decision: str,
    reason: str = "",
    notify: bool = True,
) -> Escalation:
    """Record the regiekamer's decision; the reporter is told by mail."""
    return _transition(
        user, escalation, "decide", seen_version, reason=reason, decision=decision, notify=notify
    )


def close(user: User, escalation: Escalation, *, seen_version: int, reason: str = "") -> Escalation:
    return _transition(user, escalation, "close", seen_version, reason=reason)


def escalate_to_bestuurlijk(
    user: User, escalation: Escalation, *, seen_version: int, reason: str, notify: bool = True
) -> Escalation:
    """Raise it to the bestuurlijke regiekamer, where it starts again as `ingediend`."""
    return _transition(user, escalation, "escalate", seen_version, reason=reason, notify=notify)


def reopen(user: User, escalation: Escalation, *, seen_version: int, reason: str) -> Escalation:
    return _transition(user, escalation, "reopen", seen_version, reason=reason)


def perform(user: User, escalation: Escalation, action: str, *, seen_version: int, **data):
    """Dispatch a transition by its name (what the view receives from a button)."""
    if action not in TRANSITIONS:
        raise DomainError("Deze handeling bestaat niet.")
    return _transition(user, escalation, action, seen_version, **data)


def add_comment(user: User, escalation: Escalation, text: str) -> EscalationComment:
    if not permissions.can_comment_escalation(user, escalation):
        raise DomainError("U kunt bij deze escalatie geen reactie plaatsen.")
    text = text.strip()
    if not text:
        raise DomainError("Een reactie mag niet leeg zijn.")
    with transaction.atomic():
        comment = EscalationComment(escalation=escalation, author=user, text=text)
        stamp(comment, user)
        comment.save()
    return comment


def _transition(
    user: User,
    escalation: Escalation,
    action: str,
    seen_version: int,
    *,
    reason: str = "",
    decision: str = "",
    meeting: Meeting | None = None,
    notify: bool = True,
) -> Escalation:
    transition = TRANSITIONS[action]
    reason = (reason or "").strip()
    decision = (decision or "").strip()
    with transaction.atomic():
        current = (
            # Lock only the escalation row: PostgreSQL refuses FOR UPDATE on the nullable
            # side of the outer join to updated_by.
            Escalation.objects.select_for_update(of=("self",))
            .select_related("regiekamer", "updated_by", "reporter")
            .get(pk=escalation.pk)
        )
        if not permissions.can_handle_escalation(user, current):
            raise DomainError(
                f"Alleen leden van de {current.regiekamer} en het programmabureau behandelen "
                "deze escalatie."
            )
        check_version(current, seen_version, "Deze escalatie")
        today = timezone.localdate()
        chair = on_behalf_of(user, current, today) if transition.decides else None
        if not is_allowed(current, transition):
            raise DomainError(_refusal(current, transition))
        if transition.needs_reason and not reason:
            raise DomainError(f"Geef een toelichting bij ‘{transition.label.lower()}’.")
        if transition.needs_decision and not decision:
            raise DomainError("Leg het besluit vast: het besluit mag niet leeg zijn.")

        from_state, from_regiekamer = current.state, current.regiekamer
        if action == "take_up":
            if meeting is not None and meeting.regiekamer_id != current.regiekamer_id:
                raise DomainError(f"Kies een vergadering van de {current.regiekamer}.")
            current.owner = user
            current.meeting = meeting
            if meeting is not None:
                current.deadline = meeting.date
        elif action == "decide":
            current.decision = decision
        elif action == "escalate":
            current.regiekamer = Regiekamer.objects.get(kind=RegiekamerKind.BESTUURLIJK)
            current.owner = None
            current.meeting = None
            current.deadline = default_deadline(current.regiekamer, today)
        elif action == "reopen":
            current.owner = user
            current.deadline = default_deadline(current.regiekamer, today)
        current.state = transition.target
        stamp(current, user)
        current.save()
        EscalationEvent.objects.create(
            escalation=current,
            actor=user,
            on_behalf_of=chair,
            at=current.updated_at,
            action=action,
            from_state=from_state,
            to_state=current.state,
            from_regiekamer=from_regiekamer,
            to_regiekamer=current.regiekamer,
            reason=decision if action == "decide" and not reason else reason,
        )
        if notify and action == "escalate":
            _notify_regiekamer(current, "Escalatie opgeschaald naar uw regiekamer")
        elif notify and action == "decide":
            _notify_reporter(current)
    return current


def _refusal(escalation: Escalation, transition: Transition) -> str:
    state = escalation.get_state_display().lower()
    if transition.ambtelijk_only and not escalation.regiekamer.is_ambtelijk:
        return "Deze escalatie ligt al bij de bestuurlijke regiekamer; hoger opschalen kan niet."
    return f"‘{transition.label}’ kan niet bij een escalatie met status ‘{state}’."


def regiekamer_recipients(regiekamer: Regiekamer) -> list[str]:
    role = (
        "is_ambtelijke_regiekamer"
        if regiekamer.kind == RegiekamerKind.AMBTELIJK
        else "is_bestuurlijke_regiekamer"
    )
    return list(
        User.objects.filter(is_active=True, **{role: True})
        .exclude(email="")
        .order_by("username")
        .values_list("email", flat=True)
    )


def _notify_regiekamer(escalation: Escalation, subject: str) -> None:
    body = (
        f"{subject} bij de {escalation.regiekamer}: {escalation.title}\n\n"
        f"Ingediend door {escalation.reporter}. Reactie gevraagd vóór "
        f"{datum(escalation.deadline)}.\n\n{_url(escalation)}"
    )
    _send(f"{subject}: {escalation.title}", body, regiekamer_recipients(escalation.regiekamer))


def _notify_reporter(escalation: Escalation) -> None:
    if not escalation.reporter.email:
        return
    body = (
        f"Over uw escalatie ‘{escalation.title}’ heeft de {escalation.regiekamer} besloten:\n\n"
        f"{escalation.decision}\n\n{_url(escalation)}"
    )
    _send(f"Besluit over uw escalatie: {escalation.title}", body, [escalation.reporter.email])


def _url(escalation: Escalation) -> str:
    return absolute_url(reverse("regiekamer:escalation-detail", args=[escalation.pk]))


def _send(subject: str, body: str, recipients: list[str]) -> None:
    # Called inside the change's transaction: the mail is queued with the change and sent by the
    # worker after the commit, retried there when the mail server fails (smartdelta/mail.py).
    queue_mail(subject, body, recipients)
