"""The local uitvoeringsagenda of each core municipality: the only writer of `AgendaItem`.

Seed 001 ("Lokale uitvoering van regionale ambities"): "Middels een lokale uitvoeringsagenda
die aansluit bij de (nog op te stellen) Smart Delta Agenda kunt u in uw raad het gesprek voeren
over de wijze waarop uw gemeente bijdraagt aan regionale ambities en hoe regionale uitvoering
landt in uw gemeente."

So each of the seven keeps what it does itself towards each regional ambition (issue 27): its
officials edit the items (`permissions.can_edit_agenda`), its secretary or the programme office
publishes an item to its council (`permissions.can_publish_agenda_item`), and until then the
item stays with the municipality (`permissions.visible_agenda_items`). A published item stays
published when it is changed later: the council reads the current text, the history keeps the
earlier ones.

Each function follows `smartdelta.versioning`: the acting user first, one transaction, the
permission re-checked here, the version checked for rows that change, the user stamped.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from portfolio.models import Project, Theme
from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.models import Organisation, User
from smartdelta.versioning import lock, stamp

from .models import AgendaItem

EDITS = "Alleen de ambtenaren van {gemeente} en het programmabureau werken deze agenda bij."
PUBLISHES = (
    "Alleen de secretaris van {gemeente} (ambtelijke regiekamer) en het programmabureau "
    "publiceren een agendapunt voor de raad."
)
# The fields a person fills in; the organisation comes from the agenda, publishing has its verb.
FIELDS = ("title", "theme", "description", "status", "start_date", "end_date", "own_budget")


def _validate(item: AgendaItem) -> None:
    try:
        item.full_clean(exclude=["updated_by", "published_by"])
    except ValidationError as error:
        raise DomainError(" ".join(m for ms in error.message_dict.values() for m in ms)) from error


def _check_edit(user: User, organisation: Organisation) -> None:
    if not organisation.is_core:
        raise DomainError("Alleen de zeven kerngemeenten houden een uitvoeringsagenda.")
    if not permissions.can_edit_agenda(user, organisation):
        raise DomainError(EDITS.format(gemeente=organisation.name))


@transaction.atomic
def add_item(
    user: User,
    organisation: Organisation,
    *,
    title: str,
    theme: Theme,
    start_date: datetime.date,
    end_date: datetime.date,
    status: str = "gepland",
    description: str = "",
    own_budget: Decimal | None = None,
    project: Project | None = None,
    is_demo: bool = False,
) -> AgendaItem:
    """A new item of `organisation`'s agenda, as a concept (not yet published)."""
    _check_edit(user, organisation)
    item = AgendaItem(
        organisation=organisation,
        title=title,
        theme=theme,
        description=description,
        status=status,
        start_date=start_date,
        end_date=end_date,
        own_budget=own_budget,
        project=project,
        is_demo=is_demo,
    )
    _validate(item)
    stamp(item, user)
    item.save()
    return item


@transaction.atomic
def update_item(
    user: User, item: AgendaItem, changes: dict, seen_version: int | None
) -> AgendaItem:
    """Change an item's fields (`FIELDS` and `project`), refused when someone else changed it
    since the user saw it."""
    _check_edit(user, item.organisation)
    current = lock(AgendaItem.objects, item.pk, seen_version, "Dit agendapunt")
    for field, value in changes.items():
        if field not in (*FIELDS, "project"):
            raise DomainError(f"Het veld ‘{field}’ wijzigt u hier niet.")
        setattr(current, field, value)
    _validate(current)
    stamp(current, user)
    current.save()
    return current


@transaction.atomic
def publish_item(user: User, item: AgendaItem, seen_version: int | None) -> AgendaItem:
    """Publish the item to the municipality's council: from now on councillors and the other
    municipalities read it."""
    if not permissions.can_publish_agenda_item(user, item):
        raise DomainError(PUBLISHES.format(gemeente=item.organisation.name))
    current = lock(AgendaItem.objects, item.pk, seen_version, "Dit agendapunt")
    if current.published:
        raise DomainError(f"‘{current.title}’ is al gepubliceerd voor de raad.")
    current.published = True
    current.published_on = timezone.now()
    current.published_by = user
    stamp(current, user)
    current.save()
    return current


def published_for(organisation: Organisation) -> QuerySet[AgendaItem]:
    """The items of `organisation`'s agenda its council reads (for the council report)."""
    return (
        AgendaItem.objects.published()
        .filter(organisation=organisation)
        .select_related("theme", "project")
        .order_by("theme__order", "start_date", "pk")
    )
