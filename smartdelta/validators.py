"""Checks shared by models and forms of several apps."""

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
