"""The dashboard panel: escalations waiting for a regiekamer member or the programme office,
and the open actions of the user's own organisation ("Mijn acties")."""

from django.utils import timezone

from meetings.models import Action
from smartdelta import permissions

from .models import Escalation, RegiekamerKind

SHOWN = 8


def panel(user) -> dict | None:
    context = _escalations(user) | _actions(user)
    return context or None


def _escalations(user) -> dict:
    if permissions.is_programme_office(user):
        waiting, scope = Escalation.objects.open(), "de regiekamers"
    elif user.is_ambtelijke_regiekamer:
        waiting = Escalation.objects.open().filter(regiekamer__kind=RegiekamerKind.AMBTELIJK)
        scope = "de ambtelijke regiekamer"
    elif user.is_bestuurlijke_regiekamer:
        waiting = Escalation.objects.open().filter(regiekamer__kind=RegiekamerKind.BESTUURLIJK)
        scope = "de bestuurlijke regiekamer"
    else:
        return {}
    today = timezone.localdate()
    return {
        "scope": scope,
        "waiting": list(waiting.select_related("regiekamer").order_by("deadline", "pk")[:SHOWN]),
        "waiting_count": waiting.count(),
        "overdue_count": waiting.filter(deadline__lt=today).count(),
    }


def _actions(user) -> dict:
    """The open actions its organisation owns, nearest deadline (so every overdue one) first.

    Two queries whatever the number of actions: the first SHOWN, and the counts.
    """
    if not (permissions.has_collaboration_role(user) and user.organisation_id):
        return {}
    mine = Action.objects.open().filter(owner_id=user.organisation_id)
    counts = mine.counts_by_owner().get(user.organisation_id, {"total": 0, "overdue": 0})
    return {
        "actions": list(mine.order_by("deadline", "pk")[:SHOWN]),
        "actions_count": counts["total"],
        "actions_overdue": counts["overdue"],
    }
