"""The portfolio's panel on the dashboard: what this user should do next."""

from django.db.models import Count, Q

from smartdelta import permissions
from smartdelta.models import Organisation, OrganisationKind

from .models import Theme
from .queries import positions_awaiting_confirmation, projects_awaiting_position

# How many projects each list shows; a link leads to all of them.
SHOWN = 8


def _awaiting(organisation):
    return projects_awaiting_position(organisation, SHOWN)


def panel(user):
    organisation = user.organisation
    if user.is_official and organisation is not None:
        awaiting, awaiting_count = _awaiting(organisation) if organisation.is_core else ([], 0)
        to_confirm = positions_awaiting_confirmation(organisation)
        return {
            "role": "official",
            "organisation": organisation,
            "awaiting": awaiting,
            "awaiting_count": awaiting_count,
            "to_confirm": list(to_confirm.select_related("project")[:SHOWN]),
            "to_confirm_count": to_confirm.count(),
        }
    if permissions.is_programme_office(user) or user.is_councillor:
        core_count = Organisation.objects.core().count()
        themes = Theme.objects.annotate(
            project_count=Count("projects", distinct=True),
            stated=Count(
                "projects__commitments",
                filter=Q(projects__commitments__organisation__kind=OrganisationKind.CORE),
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
