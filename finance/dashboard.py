"""The budget's panel on the dashboard: a councillor's or official's own report first.

One query (the latest budget year); the figures themselves are on the report page.
"""

from .models import BudgetYear


def panel(user):
    latest = BudgetYear.objects.order_by("-year").only("year", "status").first()
    if latest is None:
        return None
    organisation = user.organisation if user.organisation and user.organisation.is_core else None
    return {
        "year": latest.year,
        "status": latest.get_status_display(),
        "organisation": organisation,
    }
