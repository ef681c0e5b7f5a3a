"""What the API shows of each public thing: Dutch lowerCamelCase names (ADR), dates as
`date`, moments as `date-time` with their offset, money in whole eurocents (integers: no
rounding in a reader's floating point), and HAL `_links` to the thing itself and what it
refers to. The objects come from `openbaar.gate` (views.py); nothing here decides what is public.
"""

from decimal import Decimal

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from openbaar import diwoo
from portfolio.models import ProjectStatus, Variant
from smartdelta.models import OrganisationKind

CENTS = "Bedrag in eurocenten (geheel getal): 123456 is € 1.234,56."


def cents(amount: Decimal) -> int:
    """Euros with cents as whole cents, exactly: an amount with a fraction of a cent is an
    error upstream (money is kept to the cent), never rounded here."""
    value = Decimal(amount) * 100
    if value != value.to_integral_value():
        raise ValueError(f"Bedrag {amount} is niet in hele centen.")
    return int(value)


def href(request, name: str, *args, query: str = "") -> dict:
    url = request.build_absolute_uri(reverse(f"api:{name}", args=args))
    return {"href": f"{url}?{query}" if query else url}


LINK = {
    "type": "object",
    "properties": {"href": {"type": "string", "format": "uri"}},
    "required": ["href"],
}


def links_schema(*names: str, optional: tuple[str, ...] = ()) -> dict:
    return {
        "type": "object",
        "description": "Links (HAL) naar dit object en wat het noemt.",
        "properties": {name: LINK for name in (*names, *optional)},
        "required": list(names),
    }


class _Links(serializers.Field):
    links = None

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, label="Links", **kwargs)

    def to_representation(self, obj):
        found = type(self).links(self.context["request"], obj)
        return {name: link for name, link in found.items() if link is not None}


def Links(links, schema: dict):  # noqa: N802  (used as a field class)
    """`_links` of an object: `links(request, obj)` gives name -> {href} (None left out), and
    `schema` describes them in the OpenAPI document."""
    field = type("Links", (_Links,), {"links": staticmethod(links)})
    return extend_schema_field(schema)(field)()


class Cents(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(read_only=True, help_text=CENTS, **kwargs)

    def to_representation(self, value):
        return cents(value)


extend_schema_field(OpenApiTypes.INT64)(Cents)


# --- Organisations, themes, projects, positions -------------------------------------------------


def _organisation_links(request, org):
    return {"self": href(request, "organisatie", org.slug)}


class Organisatie(serializers.Serializer):
    identificatie = serializers.CharField(source="slug", help_text="Vaste naam in de adressen.")
    naam = serializers.CharField(source="name")
    soort = serializers.ChoiceField(source="kind", choices=OrganisationKind.choices)
    cbsCode = serializers.CharField(
        source="cbs_code", help_text="De CBS-code van een gemeente (GM0505); anders leeg."
    )
    tooi = serializers.SerializerMethodField(
        help_text="De TOOI-identifier van een gemeente (identifier.overheid.nl); anders null."
    )
    _links = Links(_organisation_links, links_schema("self"))

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_tooi(self, org):
        term = diwoo.organisation_term(org)
        return term.uri if term else None


def _theme_links(request, theme):
    return {
        "self": href(request, "thema", theme.slug),
        "projecten": href(request, "projecten", query=f"thema={theme.slug}"),
    }


class Thema(serializers.Serializer):
    identificatie = serializers.CharField(source="slug")
    naam = serializers.CharField(source="name")
    omschrijving = serializers.CharField(source="description")
    _links = Links(_theme_links, links_schema("self", "projecten"))


def _project_links(request, project):
    return {
        "self": href(request, "project", project.pk),
        "thema": href(request, "thema", project.theme.slug),
        "trekker": href(request, "organisatie", project.lead.slug) if project.lead else None,
        "deelnames": href(request, "deelnames", query=f"project={project.pk}"),
    }


class Project(serializers.Serializer):
    identificatie = serializers.IntegerField(source="pk")
    naam = serializers.CharField(source="name")
    status = serializers.ChoiceField(choices=ProjectStatus.choices)
    doel = serializers.CharField(source="goal")
    startdatum = serializers.DateField(source="start_date", allow_null=True)
    einddatum = serializers.DateField(source="end_date", allow_null=True)
    coalitieGeslotenOp = serializers.DateField(
        source="coalition_closed_on",
        allow_null=True,
        help_text="Sinds wanneer de deelnemers vaststaan; null zolang de coalitie open is.",
    )
    coalitieBesluit = serializers.CharField(source="coalition_reference")
    _links = Links(
        _project_links, links_schema("self", "thema", "deelnames", optional=("trekker",))
    )


def _position_links(request, position):
    return {
        "self": href(request, "deelname", position.pk),
        "project": href(request, "project", position.project_id),
        "organisatie": href(request, "organisatie", position.organisation.slug),
    }


class Deelname(serializers.Serializer):
    """A municipality's confirmed position in force on a project: only the `in_force_*`
    fields, never a change that waits beside it as concept or submitted."""

    identificatie = serializers.IntegerField(source="pk")
    variant = serializers.ChoiceField(source="in_force_variant", choices=Variant.choices)
    besluit = serializers.CharField(
        source="in_force_reference", help_text="Het besluit van de gemeente (kenmerk)."
    )
    besluitDatum = serializers.DateField(source="in_force_date", allow_null=True)
    _links = Links(_position_links, links_schema("self", "project", "organisatie"))


# --- Budgets and contributions -------------------------------------------------------------


class Begrotingswijziging(serializers.Serializer):
    nummer = serializers.IntegerField(source="number")
    titel = serializers.CharField(source="title")
    reden = serializers.CharField(source="reason")
    besluit = serializers.CharField(source="decision_reference")
    besluitDatum = serializers.DateField(source="decision_date", allow_null=True)


class Begrotingspost(serializers.Serializer):
    naam = serializers.CharField(source="name")
    component = serializers.IntegerField(min_value=1, max_value=3)
    bedrag = Cents(source="amount")


def _budget_links(request, budget):
    return {
        "self": href(request, "begroting", budget.year),
        "bijdragen": href(request, "bijdragen", query=f"jaar={budget.year}"),
    }


class Begroting(serializers.Serializer):
    """An adopted budget with its begrotingswijzigingen: the version in force is the adopted
    budget with all of them (`versie`)."""

    jaar = serializers.IntegerField(source="year")
    versie = serializers.SerializerMethodField(
        help_text="Welke versie: vastgesteld, met wijzigingen."
    )
    vastgesteldOp = serializers.DateField(source="adopted_on", allow_null=True)
    besluit = serializers.CharField(source="decision_reference")
    peildatum = serializers.DateField(
        source="reference_date", help_text="De datum van de inwonertallen van de verdeling."
    )
    inwonerbijdrage = Cents(source="contribution")
    posten = Begrotingspost(source="lines", many=True)
    begrotingswijzigingen = Begrotingswijziging(source="amendments", many=True)
    _links = Links(_budget_links, links_schema("self", "bijdragen"))

    def get_versie(self, budget) -> str:
        return budget.version_label(len(budget.amendments.all()))


def _contribution_links(request, row):
    return {
        "begroting": href(request, "begroting", row.year),
        "organisatie": href(request, "organisatie", row.organisation.slug),
    }


class Bijdrage(serializers.Serializer):
    """What one of the seven pays in an adopted budget year, per component, in eurocents: the
    stored figures the public budget page and the council letters read (`finance.figures`), so
    they are equal to the cent."""

    jaar = serializers.IntegerField(source="year")
    component1 = Cents(source="c1")
    component2 = Cents(source="c2")
    component3 = Cents(source="c3")
    totaal = Cents(source="total")
    _links = Links(_contribution_links, links_schema("begroting", "organisatie"))


# --- Meetings, decisions, documents ------------------------------------------------------------


class Agendapunt(serializers.Serializer):
    volgorde = serializers.IntegerField(source="order")
    titel = serializers.CharField(source="title")
    omschrijving = serializers.CharField(source="description")


def _meeting_links(request, meeting):
    adopted = meeting.decisions_adopted_at is not None
    return {
        "self": href(request, "vergadering", meeting.pk),
        "thema": href(request, "thema", meeting.table.theme.slug),
        "besluiten": href(request, "besluiten", query=f"vergadering={meeting.pk}")
        if adopted
        else None,
        "documenten": href(request, "documenten", query=f"vergadering={meeting.pk}"),
    }


class Vergadering(serializers.Serializer):
    """A board table's meeting once its papers went out or its decision list was adopted."""

    identificatie = serializers.IntegerField(source="pk")
    tafel = serializers.CharField(source="table.__str__")
    datum = serializers.DateField(source="date")
    aanvang = serializers.SerializerMethodField(
        help_text="Aanvangstijd (uu:mm, Nederlandse tijd); null als die niet is vastgelegd."
    )
    locatie = serializers.CharField(source="location")
    stukkenVerstuurdOp = serializers.DateTimeField(source="papers_sent_at", allow_null=True)
    besluitenlijstVastgesteldOp = serializers.DateTimeField(
        source="decisions_adopted_at",
        allow_null=True,
        help_text="Null zolang de besluitenlijst niet is vastgesteld.",
    )
    agenda = Agendapunt(source="public_items", many=True)

    @extend_schema_field({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "nullable": True})
    def get_aanvang(self, meeting):
        return meeting.start_time.strftime("%H:%M") if meeting.start_time else None

    _links = Links(
        _meeting_links, links_schema("self", "thema", "documenten", optional=("besluiten",))
    )


def _decision_links(request, decision):
    return {
        "self": href(request, "besluit", decision.pk),
        "vergadering": href(request, "vergadering", decision.meeting_id),
        "project": href(request, "project", decision.project_id) if decision.project_id else None,
    }


class Besluit(serializers.Serializer):
    """A decision of an adopted decision list (none about an escalation)."""

    identificatie = serializers.IntegerField(source="pk")
    nummer = serializers.IntegerField(source="number")
    tekst = serializers.CharField(source="text")
    _links = Links(_decision_links, links_schema("self", "vergadering", optional=("project",)))


class Document(serializers.Serializer):
    """A public paper of a meeting or an issued council letter (views.documents builds them)."""

    identificatie = serializers.CharField(help_text="stuk-<nummer> of brief-<nummer>.")
    soort = serializers.ChoiceField(
        choices=[("vergaderstuk", "vergaderstuk"), ("raadsinformatiebrief", "raadsinformatiebrief")]
    )
    titel = serializers.CharField()
    mediatype = serializers.CharField()
    informatiecategorie = serializers.URLField(help_text="Woo-informatiecategorie (TOOI).")
    ontvangenOp = serializers.DateTimeField(
        help_text="Wanneer het stuk werd verstuurd (vergaderstuk) of de brief uitgebracht."
    )
    _links = Links(
        lambda request, doc: doc.links(request),
        links_schema(
            "self", "inhoud", optional=("vergadering", "organisatie", "begroting", "diwoo")
        ),
    )
