"""The collaboration's structure kept in the portal (issue 30): themes with their board table,
and the triple-helix tables linked to a board table. The only writer of `Theme`, `BoardTable`
and `TripleHelixTable` outside /beheer/.

A theme has exactly one board table (`BoardTable.theme` is one-to-one; seed 004 calls them "de
bestuurlijke thematafels"), so both are made in one transaction. A theme's slug is chosen once, when it is made: it is in the
addresses of its table, its sorteerbak, its public page, follows and calendar feeds, so a
bookmark or a link in an earlier mail keeps working. Every write follows
`smartdelta.versioning`: the acting user, the version the user saw, the permission re-checked.
"""

from django.db import transaction
from django.utils.text import slugify

from portfolio.models import Theme
from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.models import User
from smartdelta.versioning import lock, stamp

from .models import BoardTable, TripleHelixTable

REFUSED = "Alleen het programmabureau houdt thema's en tafels bij."
# Path segments under /tafels/ and /projecten/sorteerbak/ that a theme's slug would shadow.
RESERVED_SLUGS = {"cyclus", "agenda", "vergaderingen", "structuur", "nieuw", "export"}


def _check(user: User) -> None:
    if not permissions.can_manage_tables(user):
        raise DomainError(REFUSED)


def _theme_fields(name: str, order: int) -> str:
    name = " ".join(name.split())
    if not name:
        raise DomainError("Vul de naam van het thema in.")
    if order is None or order < 0:
        raise DomainError("Vul een volgorde van nul of meer in.")
    return name


@transaction.atomic
def create_theme(
    user: User,
    *,
    name: str,
    slug: str = "",
    order: int = 0,
    description: str = "",
    table_description: str = "",
) -> Theme:
    """A new theme and its board table. Without a slug, it is made from the name."""
    _check(user)
    name = _theme_fields(name, order)
    slug = slugify(slug or name)[:100]
    if not slug:
        raise DomainError("Kies een webadres (slug) van letters, cijfers en streepjes.")
    if slug in RESERVED_SLUGS:
        raise DomainError(f"Het webadres ‘{slug}’ is al in gebruik in het portaal; kies een ander.")
    if Theme.objects.filter(slug=slug).exists():
        raise DomainError(f"Er is al een thema met het webadres ‘{slug}’.")
    if Theme.objects.filter(name__iexact=name).exists():
        raise DomainError("Er is al een thema met deze naam.")
    theme = Theme(name=name, slug=slug, order=order, description=description.strip())
    stamp(theme, user)
    theme.save()
    table = BoardTable(theme=theme, description=table_description.strip())
    table._history_user = user
    table.save()
    return theme


@transaction.atomic
def change_theme(
    user: User,
    theme: Theme,
    *,
    name: str,
    order: int,
    description: str,
    table_description: str,
    seen_version: int | None,
) -> Theme:
    """Change the theme's name, order and description and its table's description; never its
    slug."""
    _check(user)
    name = _theme_fields(name, order)
    current = lock(Theme.objects, theme.pk, seen_version, "Dit thema")
    if Theme.objects.filter(name__iexact=name).exclude(pk=current.pk).exists():
        raise DomainError("Er is al een ander thema met deze naam.")
    current.name = name
    current.order = order
    current.description = description.strip()
    stamp(current, user)
    current.save()
    table, _created = BoardTable.objects.get_or_create(theme=current)
    if table.description != table_description.strip():
        table.description = table_description.strip()
        table._history_user = user
        table.save()
    return current


def _helix_fields(board_table, name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise DomainError("Vul de naam van de triple-helixtafel in.")
    if board_table is None:
        raise DomainError("Kies de bestuurlijke tafel (het thema) waar deze tafel bij hoort.")
    return name


@transaction.atomic
def add_helix_table(
    user: User, *, board_table: BoardTable, name: str, description: str = ""
) -> TripleHelixTable:
    _check(user)
    name = _helix_fields(board_table, name)
    if TripleHelixTable.objects.filter(board_table=board_table, name__iexact=name).exists():
        raise DomainError(f"{board_table} heeft al een triple-helixtafel met deze naam.")
    helix = TripleHelixTable(board_table=board_table, name=name, description=description.strip())
    stamp(helix, user)
    helix.save()
    return helix


@transaction.atomic
def change_helix_table(
    user: User,
    helix: TripleHelixTable,
    *,
    board_table: BoardTable,
    name: str,
    description: str,
    seen_version: int | None,
) -> TripleHelixTable:
    _check(user)
    name = _helix_fields(board_table, name)
    current = lock(TripleHelixTable.objects, helix.pk, seen_version, "Deze triple-helixtafel")
    duplicate = TripleHelixTable.objects.filter(board_table=board_table, name__iexact=name)
    if duplicate.exclude(pk=current.pk).exists():
        raise DomainError(f"{board_table} heeft al een triple-helixtafel met deze naam.")
    current.board_table = board_table
    current.name = name
    current.description = description.strip()
    stamp(current, user)
    current.save()
    return current
