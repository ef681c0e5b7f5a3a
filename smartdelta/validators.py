"""Checks shared by models and forms of several apps."""

import datetime
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible

from .formatting import format_dutch_number

# Maxima of typed text (issue 17: a description took 2.4 MB). A description or decision is
# a few paragraphs; a reason or note explains one step.
DESCRIPTION_MAX = 4000
REASON_MAX = 2000


@deconstructible
class MaxTextLength(MaxLengthValidator):
    """At most `limit_value` characters, refused with a Dutch message that gives both counts."""

    message = "Deze tekst is te lang: hooguit %(limit)s tekens, nu %(length)s."

    def __call__(self, value):
        length = len(value)
        if length > self.limit_value:
            raise ValidationError(
                self.message,
                code="max_length",
                params={
                    "limit": format_dutch_number(Decimal(self.limit_value)),
                    "length": format_dutch_number(Decimal(length)),
                },
            )


# Text written for the team, not for councillors: the demo once printed "no 2024 figure was
# found: replace with ..." as the source of Alblasserdam's inhabitants in every letter.
TEAM_NOTE = re.compile(
    r"\b(replace|todo|fixme|xxx|seed|wikipedia|not found|was found|when available)\b", re.I
)


def validate_public_source(value: str) -> None:
    """A source line is shown in reports and letters: it names the source, nothing else."""
    if TEAM_NOTE.search(value or ""):
        raise ValidationError(
            "De bron wordt getoond in rapporten en raadsbrieven: noem alleen de bron en de "
            "peildatum (bijvoorbeeld ‘CBS, bevolking op 1 januari 2024’), geen notities.",
            code="team_note",
        )


# Dates a person enters (meetings, agendas, seats, deadlines, milestones, decisions, reference
# dates) lie in the years of the collaboration. Python's dates end at 0001-01-01 and 9999-12-31,
# so a stored 9999-12-31 made "the day after" (calendar feeds, a seat's next term) overflow and
# answer 500 (issue 32); a century either way is ample and leaves room for such arithmetic.
DATE_MIN = datetime.date(2000, 1, 1)
DATE_MAX = datetime.date(2100, 12, 31)
DATE_RANGE_MESSAGE = "Kies een datum tussen 1 januari 2000 en 31 december 2100."


def is_plausible_date(value: datetime.date | None) -> bool:
    """Whether a (stored) date lies in the range people may enter; None counts as plausible."""
    if value is None:
        return True
    if isinstance(value, datetime.datetime):
        value = value.date()
    return DATE_MIN <= value <= DATE_MAX


def validate_date_range(value: datetime.date | None) -> None:
    """The one range check of entered dates, on model fields and (via PortalFormMixin) forms."""
    if not is_plausible_date(value):
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_range")


# A single-line field (a location, a title, a name) is shown as one line in mails, the digest
# and calendars; a typed line break would start a line of its own there ("Klik: https://…").
LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")
ONE_LINE_MESSAGE = "Dit veld is één regel: haal de regeleinden weg."


def validate_one_line(value: str | None) -> None:
    """Refuse line breaks (any Unicode line separator) in a single-line text."""
    if value and LINE_BREAKS.search(value):
        raise ValidationError(ONE_LINE_MESSAGE, code="line_break")
