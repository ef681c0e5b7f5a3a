"""A meeting's besluitenlijst: the only writer of `Decision` and `Action`.

Each decision is its own record, numbered 1, 2, 3, … within its meeting; a decision can ask
actions of organisations, each with a deadline and a status. Seed 004 (IST): "Ook hebben we te
weinig gesprek over de voortgang in de samenwerking en spreken we elkaar er niet op aan als we
afwijken van onze afspraken." – so every agreement gets an owner and a date that the owner's
dashboard shows, and an overdue one stands out.

Every write follows `smartdelta.versioning`: the acting user first, the version the user saw,
one transaction, the permission re-checked here (`can_record_decisions`, `can_update_action`),
the row locked and its version checked, and the acting user stamped for the history.
"""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.fields import normalise_text
from smartdelta.formatting import format_date as datum
from smartdelta.models import Organisation, User
from smartdelta.validators import DESCRIPTION_MAX, REASON_MAX
from smartdelta.versioning import check_version, lock, stamp

from .models import Action, ActionStatus, AgendaItem, Decision, Escalation, Meeting

REFUSED_DECISIONS = "Alleen wie deze vergadering voorbereidt, houdt de besluitenlijst bij."
REFUSED_ACTION = (
    "Alleen de organisatie die de actie uitvoert en wie de besluitenlijst bijhoudt, wijzigen "
    "de status van deze actie."
)


def _text(value: str, maximum: int, empty: str) -> str:
    value = normalise_text(value or "")
    if not value:
        raise DomainError(empty)
    if len(value) > maximum:
        raise DomainError(f"Deze tekst is te lang: hooguit {maximum:,} tekens.".replace(",", "."))
    return value


def _check_links(meeting: Meeting, agenda_item, escalation) -> None:
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise DomainError("Kies een agendapunt van deze vergadering.")
    if escalation is not None:
        if meeting.regiekamer_id is None:
            raise DomainError("Alleen een besluit van een regiekamer hoort bij een escalatie.")
        if (
            escalation.regiekamer_id != meeting.regiekamer_id
            and escalation.meeting_id != meeting.pk
        ):
            raise DomainError(f"Kies een escalatie van de {meeting.regiekamer}.")


def record_decision(
    user: User,
    meeting: Meeting,
    *,
    text: str,
    agenda_item: AgendaItem | None = None,
    project=None,
    escalation: Escalation | None = None,
) -> Decision:
    """Add a decision to the meeting's list, with the next number."""
    if not permissions.can_record_decisions(user, meeting):
        raise DomainError(REFUSED_DECISIONS)
    text = _text(text, DESCRIPTION_MAX, "Schrijf het besluit op: het mag niet leeg zijn.")
    _check_links(meeting, agenda_item, escalation)
    with transaction.atomic():
        # The meeting row serialises numbering: two secretaries never get the same number.
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        last = meeting.decisions.aggregate(last=Max("number"))["last"] or 0
        decision = Decision(
            meeting=meeting,
            number=last + 1,
            text=text,
            agenda_item=agenda_item,
            project=project,
            escalation=escalation,
        )
        stamp(decision, user)
        decision.save()
    return decision


def update_decision(
    user: User,
    decision: Decision,
    *,
    text: str,
    agenda_item: AgendaItem | None = None,
    project=None,
    escalation: Escalation | None = None,
    seen_version: int | None,
) -> Decision:
    meeting = decision.meeting
    if not permissions.can_record_decisions(user, meeting):
        raise DomainError(REFUSED_DECISIONS)
    with transaction.atomic():
        current = lock(Decision.objects, decision.pk, seen_version, f"Besluit {decision.number}")
        text = _text(text, DESCRIPTION_MAX, "Schrijf het besluit op: het mag niet leeg zijn.")
        _check_links(meeting, agenda_item, escalation)
        current.text = text
        current.agenda_item = agenda_item
        current.project = project
        current.escalation = escalation
        stamp(current, user)
        current.save()
    return current


def remove_decision(user: User, decision: Decision, *, seen_version: int | None) -> None:
    """Take a decision off the list with its actions; the ones after it move up a number.

    The history keeps the removed decision and actions (who removed them, and when).
    """
    meeting = decision.meeting
    if not permissions.can_record_decisions(user, meeting):
        raise DomainError(REFUSED_DECISIONS)
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        current = lock(Decision.objects, decision.pk, seen_version, f"Besluit {decision.number}")
        for action in current.actions.all():
            action._history_user = user
            action.delete()
        current._history_user = user
        number = current.number
        current.delete()
        for later in meeting.decisions.filter(number__gt=number).order_by("number"):
            later.number -= 1
            stamp(later, user)
            later.save()


def _check_action(decision: Decision, description: str, owner, deadline) -> str:
    description = _text(description, REASON_MAX, "Beschrijf de actie: zij mag niet leeg zijn.")
    if owner is None:
        raise DomainError("Kies de organisatie die de actie uitvoert.")
    if deadline is None:
        raise DomainError("Geef aan wanneer de actie uiterlijk klaar is.")
    if deadline < decision.meeting.date:
        raise DomainError(
            f"De uiterste datum ligt vóór de vergadering ({datum(decision.meeting.date)})."
        )
    return description


def add_action(
    user: User,
    decision: Decision,
    *,
    description: str,
    owner: Organisation,
    deadline: datetime.date,
    note: str = "",
) -> Action:
    if not permissions.can_record_decisions(user, decision.meeting):
        raise DomainError(REFUSED_DECISIONS)
    description = _check_action(decision, description, owner, deadline)
    with transaction.atomic():
        action = Action(
            decision=decision,
            description=description,
            owner=owner,
            deadline=deadline,
            note=normalise_text(note or ""),
        )
        stamp(action, user)
        action.save()
    return action


def update_action(
    user: User,
    action: Action,
    *,
    description: str,
    owner: Organisation,
    deadline: datetime.date,
    seen_version: int | None,
) -> Action:
    """Change what an action asks, of whom and by when: whoever keeps the decision list."""
    decision = action.decision
    if not permissions.can_record_decisions(user, decision.meeting):
        raise DomainError(REFUSED_DECISIONS)
    with transaction.atomic():
        current = lock(Action.objects, action.pk, seen_version, "Deze actie")
        current.description = _check_action(decision, description, owner, deadline)
        current.owner = owner
        current.deadline = deadline
        stamp(current, user)
        current.save()
    return current


def set_action_status(
    user: User,
    action: Action,
    status: str,
    *,
    note: str = "",
    seen_version: int | None,
) -> Action:
    """Mark an action done, reopen it, or (only whoever keeps the list) let it lapse.

    Who changed the status and when is kept on the action and in its history.
    """
    if status not in ActionStatus.values:
        raise DomainError("Kies een bestaande status.")
    with transaction.atomic():
        current = (
            Action.objects.select_for_update(of=("self",))
            .select_related("decision__meeting", "updated_by")
            .get(pk=action.pk)
        )
        if not permissions.can_update_action(user, current):
            raise DomainError(REFUSED_ACTION)
        check_version(current, seen_version, "Deze actie")
        planner = permissions.can_record_decisions(user, current.decision.meeting)
        cancelling = ActionStatus.CANCELLED in (status, current.status)
        if cancelling and status != current.status and not planner:
            raise DomainError(
                "Een actie laten vervallen (of weer openen na vervallen) is aan de vergadering: "
                "vraag het wie de besluitenlijst bijhoudt."
            )
        note = normalise_text(note or "")
        if len(note) > REASON_MAX:
            raise DomainError("De toelichting is te lang: hooguit 2.000 tekens.")
        if status != current.status:
            current.status = status
            current.status_changed_by = user
            current.status_changed_at = timezone.now()
        current.note = note
        stamp(current, user)
        current.save()
    return current


def complete_action(user: User, action: Action, *, note: str = "", seen_version: int | None):
    return set_action_status(user, action, ActionStatus.DONE, note=note, seen_version=seen_version)
