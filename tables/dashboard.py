"""The dashboard panel: escalations waiting for a regiekamer member or the programme office."""

from django.utils import timezone

from smartdelta import permissions

from .models import Escalation, RegiekamerKind

SHOWN = 8


def panel(user) -> dict | None:
    if permissions.is_programme_office(user):
        waiting, scope = Escalation.objects.open(), "de regiekamers"
    elif user.is_ambtelijke_regiekamer:
        waiting = Escalation.objects.open().filter(regiekamer__kind=RegiekamerKind.AMBTELIJK)
        scope = "de ambtelijke regiekamer"
    elif user.is_bestuurlijke_regiekamer:
        waiting = Escalation.objects.open().filter(regiekamer__kind=RegiekamerKind.BESTUURLIJK)
        scope = "de bestuurlijke regiekamer"
    else:
        return None
    today = timezone.localdate()
    return {
        "scope": scope,
        "waiting": list(waiting.select_related("regiekamer").order_by("deadline", "pk")[:SHOWN]),
        "waiting_count": waiting.count(),
        "overdue_count": waiting.filter(deadline__lt=today).count(),
    }
