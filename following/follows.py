"""Following and unfollowing, and the digest choice: the only writers of these rows.

Each takes the acting user first, runs in one transaction, re-checks `can_follow` and names the
user in the history (`smartdelta.versioning.stamp`). Following twice or unfollowing what one
does not follow changes nothing, so a double click or a second tab does no harm.
"""

from django.db import transaction

from portfolio.models import Project, Theme
from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.models import User
from smartdelta.versioning import lock, stamp
from tables.models import BoardTable

from .models import DigestPeriod, DigestPreference, Follow

REFUSED = "Alleen wie is aangemeld met een actief account kan onderwerpen volgen."
# The kinds of subject in URLs and forms, and the field of Follow each fills.
KINDS = {"project": "project", "thema": "theme", "tafel": "table"}


# What can be followed, and the field of Follow that names it.
SUBJECT_FIELDS = {Project: "project", Theme: "theme", BoardTable: "table"}


def subject_field(subject) -> str:
    for model, field in SUBJECT_FIELDS.items():
        if isinstance(subject, model):
            return field
    raise TypeError(f"Cannot follow {type(subject).__name__}.")


def is_following(user: User, subject) -> bool:
    return Follow.objects.filter(user=user, **{subject_field(subject): subject}).exists()


@transaction.atomic
def follow(user: User, subject) -> Follow:
    """`user` follows `subject` (a project, theme or board table); their first follow also
    sets the digest to weekly, which they can change on /volgen/."""
    if not permissions.can_follow(user):
        raise DomainError(REFUSED)
    field = subject_field(subject)
    existing = Follow.objects.filter(user=user, **{field: subject}).first()
    if existing is not None:
        return existing
    row = Follow(user=user, **{field: subject})
    stamp(row, user)
    row.save()
    if not DigestPreference.objects.filter(user=user).exists():
        preference = DigestPreference(user=user, period=DigestPeriod.WEEKLY)
        stamp(preference, user)
        preference.save()
    return row


@transaction.atomic
def unfollow(user: User, subject) -> bool:
    """Stop following `subject`; True when there was something to stop."""
    if not permissions.can_follow(user):
        raise DomainError(REFUSED)
    rows = list(
        Follow.objects.select_for_update().filter(user=user, **{subject_field(subject): subject})
    )
    for row in rows:
        stamp(row, user)
        row.delete()
    return bool(rows)


@transaction.atomic
def set_digest_period(user: User, period: str, seen_version: int | None) -> DigestPreference:
    """Choose no digest, a daily or a weekly one (escalation mails stay immediate)."""
    if not permissions.can_follow(user):
        raise DomainError(REFUSED)
    if period not in DigestPeriod.values:
        raise DomainError("Kies geen, een dagelijkse of een wekelijkse samenvatting.")
    current = DigestPreference.objects.filter(user=user).first()
    if current is None:
        current = DigestPreference(user=user)
    else:
        current = lock(DigestPreference.objects, current.pk, seen_version, "Uw keuze")
    current.period = period
    stamp(current, user)
    current.save()
    return current


def preference_of(user: User) -> DigestPreference:
    """The user's choice as stored, or the default (weekly) unsaved."""
    return DigestPreference.objects.filter(user=user).first() or DigestPreference(
        user=user, version=0
    )
