"""A meeting's besluitenlijst: the only writer of `Decision` and `Action`.

Each decision is its own record, numbered 1, 2, 3, … within its meeting; a decision can ask
actions of organisations, each with a deadline and a status. Seed 004 (IST): "Ook hebben we te
weinig gesprek over de voortgang in de samenwerking en spreken we elkaar er niet op aan als we
afwijken van onze afspraken." – so every agreement gets an owner and a date that the owner's
dashboard shows, and an overdue one stands out.

Every write follows `smartdelta.versioning`: the acting user first, the version the user saw,
one transaction, the permission re-checked here (`can_record_decisions`, `can_update_action`),
the row locked and its version checked, and the acting user stamped for the history.

A list is a concept until it is adopted (`adopt_decisions`); from then on its decisions and
actions stay as adopted, under the meeting's row lock, so no write can slip in beside the
adoption. Only an action's status still moves: the owner reports what it did. At a regiekamer
the programme office writes a decision down on behalf of the chair (`recorded_for`).
"""

import datetime

from django.db import models, transaction
from django.db.models import Max, Prefetch
from django.utils import timezone

from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.fields import normalise_text
from smartdelta.formatting import format_date as datum
from smartdelta.models import Organisation, User
from smartdelta.validators import DESCRIPTION_MAX, REASON_MAX
from smartdelta.versioning import check_version, lock, stamp

from .meetings import meeting_url
from .models import Action, ActionStatus, AgendaItem, Decision, Meeting

REFUSED_DECISIONS = "Alleen wie deze vergadering voorbereidt, houdt de besluitenlijst bij."
REFUSED_ACTION = (
    "Alleen de organisatie die de actie uitvoert en wie de besluitenlijst bijhoudt, wijzigen "
    "de status van deze actie."
)


def _open_list(meeting: Meeting) -> Meeting:
    """The meeting's row, locked, while its list is still a concept; refused once adopted."""
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if current.decisions_adopted_at is not None:
        raise DomainError(
            f"De besluitenlijst is vastgesteld op {datum(timezone.localdate(current.decisions_adopted_at))}; "
            "besluiten en acties blijven zoals zij zijn vastgesteld."
        )
    return current


def recorded_for(user: User, meeting: Meeting) -> User | None:
    """On whose behalf `user` writes a decision of `meeting` down: the chair of the regiekamer
    on the meeting's date when the programme office does ("namens de voorzitter"), else no one.

    Seed 004, advice 3: "Regie op de bestuurlijke samenwerking tussen zeven gemeenten is de
    verantwoordelijkheid van de zeven samenwerkende gemeenten": the programme office prepares
    and writes down what the regiekamer decided; the decision stays the regiekamer's.
    """
    regiekamer = meeting.regiekamer
    if regiekamer is None or permissions.is_member_of(user, regiekamer):
        return None
    chair = regiekamer.chair_on(meeting.date)
    if chair is None:
        raise DomainError(
            f"De besluiten van de {regiekamer} legt het programmabureau vast namens de "
            f"voorzitter, en de {regiekamer} heeft op {datum(meeting.date)} geen voorzitter: "
            "de leden kiezen eerst een voorzitter."
        )
    return chair


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
    escalation: models.Model | None = None,
) -> Decision:
    """Add a decision to the meeting's list, with the next number."""
    if not permissions.can_record_decisions(user, meeting):
        raise DomainError(REFUSED_DECISIONS)
    text = _text(text, DESCRIPTION_MAX, "Schrijf het besluit op: het mag niet leeg zijn.")
    _check_links(meeting, agenda_item, escalation)
    on_behalf_of = recorded_for(user, meeting)
    with transaction.atomic():
        # The meeting row serialises numbering: two secretaries never get the same number.
        _open_list(meeting)
        last = meeting.decisions.aggregate(last=Max("number"))["last"] or 0
        decision = Decision(
            meeting=meeting,
            number=last + 1,
            text=text,
            agenda_item=agenda_item,
            project=project,
            escalation=escalation,
            on_behalf_of=on_behalf_of,
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
    escalation: models.Model | None = None,
    seen_version: int | None,
) -> Decision:
    meeting = decision.meeting
    if not permissions.can_record_decisions(user, meeting):
        raise DomainError(REFUSED_DECISIONS)
    on_behalf_of = recorded_for(user, meeting)
    with transaction.atomic():
        _open_list(meeting)
        current = lock(Decision.objects, decision.pk, seen_version, f"Besluit {decision.number}")
        text = _text(text, DESCRIPTION_MAX, "Schrijf het besluit op: het mag niet leeg zijn.")
        _check_links(meeting, agenda_item, escalation)
        current.on_behalf_of = on_behalf_of
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
        _open_list(meeting)
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


def adopt_decisions(user: User, meeting: Meeting, *, seen_version: int | None) -> Meeting:
    """Adopt the meeting's besluitenlijst: from now on it stays as it is (`_open_list`).

    Who adopts: `permissions.can_adopt_decisions` (a regiekamer's members; the secretariat for
    a board table; the shareholders' representatives for Smart Delta & Partners). A list is adopted after its meeting, never before: the decisions are taken
    at it.
    """
    if not permissions.can_adopt_decisions(user, meeting):
        if meeting.regiekamer_id is not None:
            raise DomainError(
                f"De besluitenlijst van de {meeting.regiekamer} stellen haar leden vast; het "
                "programmabureau bereidt haar voor."
            )
        if meeting.general_meeting_id is not None:
            raise DomainError(
                f"De besluitenlijst van de {meeting.general_meeting} stellen de vertegenwoordigers "
                "van de aandeelhouders vast; het programmabureau bereidt haar voor."
            )
        raise DomainError("Alleen het secretariaat van de tafel legt de vaststelling vast.")
    if meeting.date > timezone.localdate():
        raise DomainError(
            f"De vergadering is op {datum(meeting.date)}: de besluitenlijst stelt u daarna vast."
        )
    with transaction.atomic():
        current = _open_list(meeting)
        check_version(current, seen_version, "Deze vergadering")
        current.decisions_adopted_at = timezone.now()
        current.decisions_adopted_by = user
        stamp(current, user)
        current.save()
    return current


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
        _open_list(decision.meeting)
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
        _open_list(decision.meeting)
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


# -- Reading a decision list ---------------------------------------------------------------------


def decision_list(meeting: Meeting, user) -> dict:
    """The decisions of `meeting` with their actions, and what `user` may do with them.

    The meeting's own decisions only: an escalation's decision belongs to the meeting that
    took it, never to a later meeting (of another regiekamer) that has the escalation on its
    agenda. (The free text at agenda items from before decisions were records became decisions
    of their meeting: migration 0003.)

    Three queries: the decisions (with agenda item, project and escalation), their actions
    (with owner), and the chair term when the user is no programme office.
    """
    rows = list(
        meeting.decisions.select_related(
            "agenda_item", "project", "escalation", "on_behalf_of"
        ).prefetch_related(
            Prefetch("actions", queryset=Action.objects.select_related("owner").order_by("pk"))
        )
    )
    adopted = meeting.decisions_adopted_at is not None
    # An adopted list stays as adopted: nobody records on it any more.
    can_record = not adopted and permissions.can_record_decisions(user, meeting)
    for decision in rows:
        decision.edit_url = meeting_url(meeting, "decision-edit", decision.pk)
        decision.action_create_url = meeting_url(meeting, "action-create", decision.pk)
    return {
        "meeting": meeting,
        "decisions": rows,
        "can_record": can_record,
        "adopted": adopted,
        "can_adopt": not adopted
        and meeting.date <= timezone.localdate()
        and permissions.can_adopt_decisions(user, meeting),
        "adopt_url": meeting_url(meeting, "decisions-adopt"),
        "create_url": meeting_url(meeting, "decision-create"),
        "pdf_url": meeting_url(meeting, "decision-pdf"),
        "meeting_url": meeting_url(meeting),
        "today": timezone.localdate(),
    }
