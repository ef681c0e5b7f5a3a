"""The portfolio's panel on the dashboard: what this user should do next."""

from django.db.models import Count, Q

from smartdelta import permissions
from smartdelta.models import Organisation, OrganisationKind

from . import counts
from .models import PositionStatus, Theme
from .queries import positions_awaiting_confirmation, projects_awaiting_position

# How many projects each list shows; a link leads to all of them.
SHOWN = 8


def panel(user):
    organisation = user.organisation
    if user.is_official and organisation is not None:
        # How many of each, as kept (portfolio.counts): one row, whatever the numbers.
        without, concepts, submitted = counts.kept([organisation.pk])[organisation.pk]
        awaiting = projects_awaiting_position(organisation, SHOWN) if organisation.is_core else []
        # Concepts and submitted positions apart: a concept waits on its own official (to be
        # submitted), a submitted one on a second person; one count over both lists read as
        # missing rows (issue 30).
        waiting = positions_awaiting_confirmation(organisation).select_related("project")
        to_submit = waiting.filter(status=PositionStatus.CONCEPT)
        to_confirm = waiting.filter(status=PositionStatus.SUBMITTED)
        return {
            "role": "official",
            "organisation": organisation,
            "awaiting": awaiting,
            "awaiting_count": without if organisation.is_core else 0,
            "to_submit": list(to_submit[:SHOWN]),
            "to_submit_count": concepts,
            "to_confirm": list(to_confirm[:SHOWN]),
            "to_confirm_count": submitted,
        }
    if permissions.is_programme_office(user) or user.is_councillor:
        core_count = Organisation.objects.core().count()
        themes = Theme.objects.annotate(
            project_count=Count("projects", distinct=True),
            stated=Count(
                "projects__positions",
                filter=Q(projects__positions__organisation__kind=OrganisationKind.CORE),
            ),
        )
        rows = [
            {
                "theme": theme,
                "cells": theme.project_count * core_count,
                "open": theme.project_count * core_count - theme.stated,
            }
            for theme in themes
        ]
        return {"role": "overview", "themes": rows, "organisation": organisation}
    return None
