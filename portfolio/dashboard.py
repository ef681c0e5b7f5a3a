"""The portfolio's panel on the dashboard: what this user should do next."""

from django.db.models import Count, Q

from smartdelta import permissions
from smartdelta.models import Organisation, OrganisationKind

from .models import Commitment, Theme
from .queries import projects_awaiting_position


def panel(user):
    organisation = user.organisation
    if user.is_official and organisation is not None:
        awaiting = projects_awaiting_position(organisation) if organisation.is_core else None
        to_confirm = (
            Commitment.objects.awaiting_confirmation()
            .filter(organisation=organisation)
            .select_related("project")
            .order_by("project__name")
        )
        return {
            "role": "official",
            "organisation": organisation,
            "awaiting": list(awaiting[:8]) if awaiting is not None else [],
            "awaiting_count": awaiting.count() if awaiting is not None else 0,
            "to_confirm": list(to_confirm[:8]),
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
