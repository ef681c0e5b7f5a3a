"""Demo data of the parties and people: organisations, CBS inhabitants and demo users.

Idempotent: only creates what is missing, so running it twice changes nothing.
"""

import csv
import datetime
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from . import coordinators
from .history import acting_as
from .models import InhabitantCount, Organisation, User

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DEMO_PASSWORD = "smartdelta-demo"
PROGRAMME_OFFICE_SLUG = "smart-delta-drechtsteden"


def load_organisations() -> int:
    created = 0
    for row in json.loads((FIXTURES / "organisations.json").read_text()):
        _, was_created = Organisation.objects.get_or_create(
            name=row["name"],
            defaults={
                "slug": row.get("slug") or slugify(row["name"]),
                "kind": row["kind"],
                "helix_kind": row.get("helix_kind", ""),
                "cbs_code": row.get("cbs_code", ""),
            },
        )
        created += was_created
    return created


def load_inhabitants() -> int:
    created = 0
    with (FIXTURES / "inhabitants.csv").open(newline="") as f:
        for row in csv.DictReader(f):
            organisation = Organisation.objects.get(cbs_code=row["cbs_code"])
            _, was_created = InhabitantCount.objects.get_or_create(
                organisation=organisation,
                reference_date=datetime.date.fromisoformat(row["reference_date"]),
                defaults={
                    "inhabitants": int(row["inhabitants"]),
                    "source": row["source"],
                },
            )
            created += was_created
    return created


def demo_user_specs():
    """(username, organisation slug, full name, role fields) of every demo user."""
    yield (
        "beheer",
        PROGRAMME_OFFICE_SLUG,
        "Beheerder portaal",
        {"is_superuser": True, "is_staff": True},
    )
    yield (
        "programmabureau",
        PROGRAMME_OFFICE_SLUG,
        "Manager Smart Delta",
        {"is_programme_office": True},
    )
    for org in Organisation.objects.core():
        yield f"ambtenaar-{org.slug}", org.slug, f"Ambtenaar {org.name}", {"is_official": True}
        # Confirming a position takes a second person of the municipality (four-eyes).
        yield (
            f"tweede-ambtenaar-{org.slug}",
            org.slug,
            f"Collega-ambtenaar {org.name}",
            {"is_official": True},
        )
        yield f"raadslid-{org.slug}", org.slug, f"Raadslid {org.name}", {"is_councillor": True}
        yield (
            f"secretaris-{org.slug}",
            org.slug,
            f"Gemeentesecretaris {org.name}",
            {"is_ambtelijke_regiekamer": True},
        )
        yield (
            f"burgemeester-{org.slug}",
            org.slug,
            f"Burgemeester {org.name}",
            {"is_bestuurlijke_regiekamer": True},
        )
    yield "ambtenaar-gorinchem", "gorinchem", "Ambtenaar Gorinchem", {"is_official": True}


def load_users() -> int:
    created = 0
    organisations = {o.slug: o for o in Organisation.objects.all()}
    # Hash once: every demo user has the same password, and hashing costs ~0.3 s a time.
    password = make_password(DEMO_PASSWORD)
    for username, org_slug, full_name, roles in demo_user_specs():
        if User.objects.filter(username=username).exists():
            continue
        first, _, last = full_name.partition(" ")
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            organisation=organisations[org_slug],
            email=f"{username}@demo.smartdelta.example",
            **roles,
        )
        user.password = password
        user.save()
        created += 1
    return created


def load_admin() -> tuple[User, int]:
    """The demo's administrator, created first so that every other demo row names its creator.

    Its own creation names itself; it joins the programme office once that organisation exists.
    """
    admin = User.objects.filter(username="beheer").first()
    if admin is not None:
        return admin, 0
    username, _, full_name, roles = next(demo_user_specs())
    first, _, last = full_name.partition(" ")
    admin = User(
        username=username,
        first_name=first,
        last_name=last,
        email=f"{username}@demo.smartdelta.example",
        password=make_password(DEMO_PASSWORD),
        **roles,
    )
    admin._history_user = admin
    admin.save()
    return admin, 1


# Seed 004 (29 May 2024), advice 4: "Per individuele gemeente is er ten minste 1 ambtenaar die
# een coördinerende rol vervult binnen zijn/haar gemeente". In the demo each municipality's
# secretary records its official as coordinator, with the second official as deputy.
COORDINATORS_FROM = datetime.date(2024, 7, 1)


def load_coordinators() -> int:
    created = 0
    for org in Organisation.objects.core().filter(coordination__isnull=True):
        users = {u.username: u for u in User.objects.filter(organisation=org)}
        coordinators.set_coordinator(
            users[f"secretaris-{org.slug}"],
            org,
            coordinator=users[f"ambtenaar-{org.slug}"],
            deputy=users[f"tweede-ambtenaar-{org.slug}"],
            valid_from=COORDINATORS_FROM,
            seen_version=0,
        )
        created += 1
    return created


def load() -> dict[str, int]:
    admin, created = load_admin()
    with acting_as(admin):
        counts = {
            "organisaties": load_organisations(),
            "inwonertallen": load_inhabitants(),
            "gebruikers": created + load_users(),
        }
        counts["coördinatoren"] = load_coordinators()
        if admin.organisation_id is None:
            admin.organisation = Organisation.objects.get(slug=PROGRAMME_OFFICE_SLUG)
            admin.save()
    return counts
