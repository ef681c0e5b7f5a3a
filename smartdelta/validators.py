"""Checks on text that users read, shared by models and forms."""

import re

from django.core.exceptions import ValidationError

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
