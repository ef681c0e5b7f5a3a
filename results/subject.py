"""The results of one subject, a theme or a project, as a council reads them beside a proposal
about it (issue 27: "The raadsprocedure page (wensen en bedenkingen) shows the same results for
the subject it is about").

The rows are those of the report's "Wat het oplevert" (`results.delivers`): each indicator with
its latest measurement, how it moved since the one before, the reader's municipality's part
where the figure is made of parts, the target ahead and whether it is behind schedule
(`results.summary`, `results.trajectory`). A proposal is read now, not for a budget year, so
the target is the first one from today (else the last). A theme's results are its own
indicators and those of its projects, as the results overview groups them. Read in three
queries whatever the number of indicators or measurements (the indicators with their projects,
their targets, their measurements with the part), none without a subject. Other apps call this (councils); it imports none of them.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from portfolio.models import Project, Theme
from smartdelta.models import Organisation

from .models import Indicator, Measurement, MeasurementPart
from .summary import result_row, with_latest


@dataclass
class SubjectResults:
    theme: Theme | None
    project: Project | None
    theme_rows: list[dict] = field(default_factory=list)  # the theme's own indicators
    project_rows: list[dict] = field(default_factory=list)  # the project's indicators
    # The other projects of the theme with indicators: {"project": …, "rows": […]}, by name.
    theme_projects: list[dict] = field(default_factory=list)

    @property
    def has_subject(self) -> bool:
        return self.theme is not None or self.project is not None

    @property
    def measured(self) -> bool:
        blocks = [self.theme_rows, self.project_rows, *(p["rows"] for p in self.theme_projects)]
        return any(row["latest"] for rows in blocks for row in rows)


def results_of(
    theme: Theme | None = None,
    project: Project | None = None,
    organisation: Organisation | None = None,
    today: datetime.date | None = None,
    theme_projects=None,
) -> SubjectResults:
    """The indicators of `theme` (its own, and those of its projects, as the results overview
    groups them) and of `project`; either may be None. Each row has `organisation`'s part of
    the latest measurement when it has one. `theme_projects` (ids) limits the theme's projects
    to those a page shows (a theme may have hundreds)."""
    result = SubjectResults(theme=theme, project=project)
    if not result.has_subject:
        return result
    today = today or timezone.localdate()
    measurements = Measurement.objects.all()
    if organisation is not None:
        own_part = MeasurementPart.objects.filter(
            measurement=OuterRef("pk"), organisation=organisation
        ).values("value")[:1]
        measurements = measurements.annotate(own_part=Subquery(own_part))
    # Never `Q(theme=None)`: that would be every project's indicator.
    subject = Q()
    if theme is not None:
        of_projects = Q(project__theme=theme)
        if theme_projects is not None:
            of_projects &= Q(project__in=theme_projects)
        subject |= Q(theme=theme) | of_projects
    if project is not None:
        subject |= Q(project=project)
    indicators = with_latest(Indicator.objects.filter(subject), measurements).order_by(
        "project__name", "project_id", "name", "pk"
    )
    others: dict[int, dict] = {}
    for indicator in indicators:
        row = result_row(indicator, today, target_from=today)
        if indicator.project_id is None:
            result.theme_rows.append(row)
        elif project is not None and indicator.project_id == project.pk:
            result.project_rows.append(row)
        else:
            block = others.setdefault(
                indicator.project_id, {"project": indicator.project, "rows": []}
            )
            block["rows"].append(row)
    result.theme_projects = list(others.values())
    return result
