"""The parties and people of the collaboration: organisations, their inhabitants, users and roles."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Concat, Now, NullIf, Trim
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from .history import HistoryKeepingQuerySet
from .validators import validate_date_range, validate_public_source
from .versioning import Versioned


class OrganisationKind(models.TextChoices):
    CORE = "kern", "Kerngemeente"
    NEIGHBOUR = "buur", "Buurgemeente"
    PARTNER = "partner", "Triple-helixpartner"
    PROGRAMME = "programma", "Programmabureau"


class HelixKind(models.TextChoices):
    GOVERNMENT = "overheid", "Overheid"
    EDUCATION = "onderwijs", "Onderwijs"
    BUSINESS = "ondernemers", "Ondernemers"


class OrganisationQuerySet(HistoryKeepingQuerySet):
    def core(self):
        return self.filter(kind=OrganisationKind.CORE)

    def municipalities(self):
        return self.filter(kind__in=[OrganisationKind.CORE, OrganisationKind.NEIGHBOUR])

    def participants(self):
        """Organisations that can take part in projects (everyone but the programme office)."""
        return self.exclude(kind=OrganisationKind.PROGRAMME)


class Organisation(Versioned):
    name = models.CharField("naam", max_length=120, unique=True)
    slug = models.SlugField("slug", max_length=120, unique=True)
    kind = models.CharField("soort", max_length=10, choices=OrganisationKind.choices)
    helix_kind = models.CharField(
        "triple-helix", max_length=12, choices=HelixKind.choices, blank=True
    )
    cbs_code = models.CharField("CBS-gemeentecode", max_length=6, blank=True)
    # Versioned's fields with a database default as well: other apps' migrations write
    # organisations from a state of this table before it had them.
    version = models.PositiveIntegerField("versie", default=1, db_default=1)
    updated_at = models.DateTimeField("gewijzigd op", default=timezone.now, db_default=Now())

    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "organisatie"
        verbose_name_plural = "organisaties"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_core(self) -> bool:
        return self.kind == OrganisationKind.CORE


class InhabitantCount(Versioned):
    """Number of inhabitants on a reference date (CBS), with where the figure was read."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="inhabitant_counts",
        verbose_name="organisatie",
    )
    reference_date = models.DateField("peildatum", validators=[validate_date_range])
    inhabitants = models.PositiveIntegerField("inwoners")
    source = models.CharField("bron", max_length=300, validators=[validate_public_source])
    # Versioned's fields with a database default as well: other apps' migrations write counts
    # from a state of this table before it had them.
    version = models.PositiveIntegerField("versie", default=1, db_default=1)
    updated_at = models.DateTimeField("gewijzigd op", default=timezone.now, db_default=Now())

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "inwonertal"
        verbose_name_plural = "inwonertallen"
        ordering = ["organisation__name", "-reference_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference_date"], name="one_count_per_reference_date"
            ),
            models.CheckConstraint(condition=Q(inhabitants__gt=0), name="inhabitants_positive"),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.inhabitants} op {self.reference_date:%d-%m-%Y}"


class Role(models.TextChoices):
    OFFICIAL = "ambtenaar", "Ambtenaar"
    COUNCILLOR = "raadslid", "Raadslid"
    AMBTELIJKE_REGIEKAMER = "ambtelijke_regiekamer", "Lid ambtelijke regiekamer"
    BESTUURLIJKE_REGIEKAMER = "bestuurlijke_regiekamer", "Lid bestuurlijke regiekamer"
    PROGRAMME_OFFICE = "programmabureau", "Programmabureau"
    ADMINISTRATOR = "beheerder", "Beheerder"


# Role -> the boolean field on User that holds it. Booleans keep role checks free of queries
# and let the history show every role change.
ROLE_FIELDS = {
    Role.OFFICIAL: "is_official",
    Role.COUNCILLOR: "is_councillor",
    Role.AMBTELIJKE_REGIEKAMER: "is_ambtelijke_regiekamer",
    Role.BESTUURLIJKE_REGIEKAMER: "is_bestuurlijke_regiekamer",
    Role.PROGRAMME_OFFICE: "is_programme_office",
    Role.ADMINISTRATOR: "is_superuser",
}


class User(AbstractUser, Versioned):
    """An account. Invited, changed and deactivated in the portal through
    `smartdelta.accounts` (issue 30), which stamps the version and the acting user."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name="organisatie",
        null=True,
        blank=True,
    )
    is_official = models.BooleanField("ambtenaar", default=False)
    is_councillor = models.BooleanField("raadslid", default=False)
    is_ambtelijke_regiekamer = models.BooleanField("lid ambtelijke regiekamer", default=False)
    is_bestuurlijke_regiekamer = models.BooleanField("lid bestuurlijke regiekamer", default=False)
    is_programme_office = models.BooleanField("programmabureau", default=False)
    # Versioned's fields with a database default as well: other apps' migrations write users
    # from a state of this table before it had them (tests/portfolio/test_*_migration.py).
    version = models.PositiveIntegerField("versie", default=1, db_default=1)
    updated_at = models.DateTimeField("gewijzigd op", default=timezone.now, db_default=Now())

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = "gebruiker"
        verbose_name_plural = "gebruikers"
        ordering = ["username"]

    def __str__(self):
        return self.get_full_name() or self.username

    @staticmethod
    def name_at(path: str):
        """What `str()` says of the user at `path` ("owner", "reporter"), as an SQL expression.

        For a list that shows a name per row without loading the users: the full name, or
        the username when there is none (None when there is no user).
        """
        full = Trim(Concat(F(f"{path}__first_name"), Value(" "), F(f"{path}__last_name")))
        return Coalesce(NullIf(full, Value("")), F(f"{path}__username"))

    @cached_property
    def roles(self) -> list[Role]:
        return [role for role, field in ROLE_FIELDS.items() if getattr(self, field)]

    def role_labels(self) -> str:
        return ", ".join(role.label for role in self.roles)

    def has_role(self, role: Role) -> bool:
        return bool(getattr(self, ROLE_FIELDS[role]))


class EnrolmentCode(models.Model):
    """A one-time code from beheer that lets one user link an authenticator app (issue 17).

    A password alone must not bind an app: whoever learned it first would own the account's
    second factor. The code itself is never stored, only a keyed hash (smartdelta.twofactor).
    """

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="enrolment_codes",
        verbose_name="gebruiker",
    )
    code_hash = models.CharField("controlewaarde", max_length=64, unique=True)
    issued_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="uitgegeven door",
    )
    issued_at = models.DateTimeField("uitgegeven op", auto_now_add=True)
    valid_until = models.DateTimeField("geldig tot")
    used_at = models.DateTimeField("gebruikt op", null=True, blank=True)

    class Meta:
        verbose_name = "koppelcode"
        verbose_name_plural = "koppelcodes"
        ordering = ["-issued_at", "-pk"]

    def __str__(self):
        return f"Koppelcode voor {self.user} ({self.issued_at:%d-%m-%Y %H:%M})"


class CoordinationQuerySet(HistoryKeepingQuerySet):
    def of(self, user):
        """The municipalities `user` coordinates for, or deputises in."""
        return self.filter(Q(coordinator=user) | Q(deputy=user))


class Coordination(Versioned):
    """Who coordinates the collaboration within a core municipality, since when, and who
    deputises. Written only by `smartdelta.coordinators.set_coordinator`; earlier coordinators
    live in the history.

    Seed 004, advice 4: "Per individuele gemeente is er ten minste 1 ambtenaar die een
    coördinerende rol vervult binnen zijn/haar gemeente en de verbinding is naar de regionale
    werkorganisatie."
    """

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="coordination",
        verbose_name="gemeente",
        limit_choices_to={"kind": OrganisationKind.CORE},
    )
    coordinator = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="coordinations", verbose_name="coördinator"
    )
    deputy = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="deputy_coordinations",
        verbose_name="plaatsvervanger",
        null=True,
        blank=True,
    )
    valid_from = models.DateField("coördinator sinds", validators=[validate_date_range])

    history = HistoricalRecords()
    objects = CoordinationQuerySet.as_manager()

    class Meta:
        verbose_name = "gemeentelijke coördinator"
        verbose_name_plural = "gemeentelijke coördinatoren"
        ordering = ["organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deputy__isnull=True) | ~Q(deputy=F("coordinator")),
                name="deputy_is_not_the_coordinator",
            ),
        ]

    def __str__(self):
        return f"Coördinator van {self.organisation}: {self.coordinator}"


class MailOutcome(models.TextChoices):
    RETRIED = "opnieuw", "Opnieuw verstuurd"
    DROPPED = "vervallen", "Laten vallen"


class MailHandling(models.Model):
    """What the programme office did with a mail that failed for good (smartdelta.mail): sent
    it again or let it drop, who and when. One per failed task row (the queue's row carries no
    person); the subject and recipients are copied so the record reads on its own."""

    task_id = models.UUIDField("taak", unique=True)
    subject = models.CharField("onderwerp", max_length=300)
    recipients = models.CharField("ontvangers", max_length=1000)
    outcome = models.CharField("afhandeling", max_length=10, choices=MailOutcome.choices)
    handled_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="afgehandeld door",
    )
    handled_at = models.DateTimeField("afgehandeld op", auto_now_add=True)

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "afgehandelde mail"
        verbose_name_plural = "afgehandelde mails"
        ordering = ["-handled_at", "-pk"]

    def __str__(self):
        return f"{self.subject} ({self.get_outcome_display().lower()})"
