"""A bar chart of contributions as plain SVG geometry, drawn by a template.

No JavaScript and no chart library: the same SVG shows in the browser and in the PDF letter.
Each bar is one municipality, stacked by component; the numbers are in the table beside it.
"""

from dataclasses import dataclass
from decimal import Decimal

LABEL_WIDTH = 190
BAR_AREA = 420
ROW_HEIGHT = 30
BAR_HEIGHT = 18
TOP = 10
# Colours with at least 3:1 contrast on white (WCAG 1.4.11), told apart by the legend too.
COLOURS = {1: "#1d4f91", 2: "#0f7a5c", 3: "#a14a00"}


@dataclass
class Segment:
    component: int
    x: float
    width: float
    colour: str


@dataclass
class Bar:
    label: str
    y: int
    total: Decimal
    segments: list[Segment]
    highlight: bool
    end: float


def contribution_bars(rows, highlight: int | None = None) -> dict:
    """`rows` are contributions.MunicipalityRow; returns the geometry for the template."""
    largest = max((row.total for row in rows), default=Decimal(0))
    scale = float(BAR_AREA) / float(largest) if largest else 0.0
    bars = []
    for index, row in enumerate(rows):
        x = float(LABEL_WIDTH)
        segments = []
        for component, amount in ((1, row.c1), (2, row.c2), (3, row.c3)):
            width = float(amount) * scale
            if width > 0:
                segments.append(
                    Segment(component, round(x, 1), round(width, 1), COLOURS[component])
                )
                x += width
        bars.append(
            Bar(
                label=row.organisation.name,
                y=TOP + index * ROW_HEIGHT,
                total=row.total,
                segments=segments,
                highlight=row.organisation.pk == highlight,
                end=round(x + 6, 1),
            )
        )
    return {
        "bars": bars,
        "width": LABEL_WIDTH + BAR_AREA + 110,
        "height": TOP * 2 + len(bars) * ROW_HEIGHT,
        "bar_height": BAR_HEIGHT,
        "label_x": LABEL_WIDTH - 8,
        "colours": COLOURS,
        "legend": [(c, COLOURS[c]) for c in (1, 2, 3)],
    }
