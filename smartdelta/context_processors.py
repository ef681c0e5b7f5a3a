from django.utils import timezone

from . import permissions


def portal(request):
    """Navigation flags for the base layout, derived once from the permissions module."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "today": timezone.localdate(),
        "nav_sees_escalations": permissions.has_collaboration_role(user),
        "nav_is_programme_office": permissions.is_programme_office(user),
        # The regiekamers and the programme office: the cycle across tables.
        "nav_oversees": permissions.sees_all_escalations(user),
    }
