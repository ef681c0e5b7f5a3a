"""The organisations of the collaboration kept in the portal (issue 30): the only writer of
`Organisation` outside the demo loader (read-only in /beheer/).

The programme office adds a neighbour municipality or a triple-helix partner (a company, a
school, a knowledge institution) and changes an organisation's name, kind details and CBS code.
Its rules:

- The seven core municipalities are fixed: no organisation becomes one and none stops being one.
  They are the seven whose inhabitants divide the money (DOMAIN.md: "They pay the common budget
  by number of inhabitants (*inwonerbijdrage*)"; seed 004: "Regie op de bestuurlijke
  samenwerking tussen zeven gemeenten is de verantwoordelijkheid van de zeven"). The programme
  office is one organisation of its own kind, as fixed.
- The slug is chosen once: it is in the addresses of the organisation's pages (positions,
  inhabitants, council letters), so a bookmark or a link in an earlier mail keeps working.
- A municipality's CBS code is `GM` and four digits, unique: it becomes the municipality's TOOI
  identifier in the DiWoo records (`openbaar.diwoo.organisation_term`), so only municipalities
  have one, and each of the seven must.
- Nothing is deleted here: positions, counts, letters and history refer to the organisation.

Saving an organisation lets `finance.shares` and `portfolio.counts` follow (their signals); a
partner or neighbour moves no money, as only the seven pay by inhabitants.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.text import slugify

from . import permissions
from .errors import DomainError
from .models import HelixKind, Organisation, OrganisationKind, User
from .versioning import lock, stamp

REFUSED = "Alleen het programmabureau houdt de organisaties bij."
CBS_CODE = re.compile(r"GM\d{4}")
# What the programme office may add, and what an organisation of such a kind may become.
ADDABLE = (OrganisationKind.NEIGHBOUR, OrganisationKind.PARTNER)
MUNICIPALITIES = (OrganisationKind.CORE, OrganisationKind.NEIGHBOUR)


def _clean(
    name: str, kind: str, helix_kind: str, cbs_code: str, exclude_pk=None
) -> tuple[str, str, str]:
    """The name, triple-helix kind and CBS code to store, or a Dutch refusal."""
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("Vul de naam van de organisatie in.")
    if len(name) > 120:
        raise DomainError("Gebruik voor de naam ten hoogste 120 tekens.")
    others = Organisation.objects.exclude(pk=exclude_pk)
    if others.filter(name__iexact=name).exists():
        raise DomainError(f"Er is al een organisatie met de naam ‘{name}’.")
    cbs_code = (cbs_code or "").strip().upper()
    if kind in MUNICIPALITIES:
        # A municipality is government in the triple helix.
        helix_kind = HelixKind.GOVERNMENT
        if cbs_code and not CBS_CODE.fullmatch(cbs_code):
            raise DomainError("Een CBS-gemeentecode is GM met vier cijfers, bijvoorbeeld GM0505.")
        if kind == OrganisationKind.CORE and not cbs_code:
            raise DomainError("Een Drechtstedengemeente heeft een CBS-gemeentecode.")
        if cbs_code and others.filter(cbs_code__iexact=cbs_code).exists():
            holder = others.get(cbs_code__iexact=cbs_code)
            raise DomainError(f"De CBS-gemeentecode {cbs_code} is al van {holder}.")
    elif cbs_code:
        raise DomainError("Alleen een gemeente heeft een CBS-gemeentecode; laat het veld leeg.")
    if helix_kind not in HelixKind.values:
        raise DomainError("Kies of de organisatie overheid, onderwijs of ondernemers is.")
    return name, helix_kind, cbs_code


@transaction.atomic
def add_organisation(
    user: User,
    *,
    name: str,
    kind: str,
    helix_kind: str = "",
    cbs_code: str = "",
    slug: str = "",
) -> Organisation:
    """A new neighbour municipality or triple-helix partner. Without a slug, it is made from
    the name."""
    if not permissions.can_keep_organisations(user):
        raise DomainError(REFUSED)
    if kind == OrganisationKind.CORE:
        raise DomainError(
            "De zeven Drechtstedengemeenten liggen vast: hun inwoners verdelen het geld. "
            "Voeg een buurgemeente of een partner toe."
        )
    if kind not in ADDABLE:
        raise DomainError("Kies of het een buurgemeente of een triple-helixpartner is.")
    name, helix_kind, cbs_code = _clean(name, kind, helix_kind, cbs_code)
    slug = slugify(slug or name)[:120]
    if not slug:
        raise DomainError("Kies een webadres (slug) van letters, cijfers en streepjes.")
    if Organisation.objects.filter(slug=slug).exists():
        raise DomainError(f"Er is al een organisatie met het webadres ‘{slug}’.")
    organisation = Organisation(
        name=name, slug=slug, kind=kind, helix_kind=helix_kind, cbs_code=cbs_code
    )
    stamp(organisation, user)
    organisation.save()
    return organisation


@transaction.atomic
def change_organisation(
    user: User,
    organisation: Organisation,
    *,
    name: str,
    kind: str,
    helix_kind: str = "",
    cbs_code: str = "",
    seen_version: int | None,
) -> Organisation:
    """Change an organisation's name, kind details and CBS code; never its slug. A core
    municipality stays one, and nothing becomes one (or the programme office)."""
    if not permissions.can_keep_organisations(user):
        raise DomainError(REFUSED)
    current = lock(Organisation.objects, organisation.pk, seen_version, "Deze organisatie")
    if kind != current.kind:
        if current.kind == OrganisationKind.CORE:
            raise DomainError(
                f"{current} is een van de zeven Drechtstedengemeenten en blijft dat: hun "
                "inwoners verdelen het geld."
            )
        if kind == OrganisationKind.CORE:
            raise DomainError(
                "De zeven Drechtstedengemeenten liggen vast: een andere organisatie wordt er "
                "geen van."
            )
        if OrganisationKind.PROGRAMME in (kind, current.kind):
            raise DomainError("Het programmabureau blijft het programmabureau.")
        if kind not in ADDABLE:
            raise DomainError("Kies of het een buurgemeente of een triple-helixpartner is.")
    name, helix_kind, cbs_code = _clean(name, kind, helix_kind, cbs_code, exclude_pk=current.pk)
    current.name = name
    current.kind = kind
    current.helix_kind = helix_kind
    current.cbs_code = cbs_code
    stamp(current, user)
    current.save()
    return current
