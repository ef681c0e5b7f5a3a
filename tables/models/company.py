"""Smart Delta & Partners (issue 29, seed 000): the company, its shareholders and their
general meeting, the assignments it receives and its supervision reports."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from smartdelta.history import HistoryKeepingQuerySet
from smartdelta.models import Organisation, User
from smartdelta.validators import DESCRIPTION_MAX, MaxTextLength, validate_date_range
from smartdelta.versioning import Versioned

# -- Smart Delta & Partners (issue 29, seed 000) --------------------------------------------------


class Company(Versioned):
    """The uitvoeringsorganisatie Smart Delta & Partners that the seven found (seed 000).

    Seed 000: "Q1 2026 oprichting Uitvoeringsorganisatie Smart Delta en Partners", "BV als
    wenselijke organisatievorm". Its exploitation is read by the meerjarenraming
    (`finance.figures`): seed 000, "Exploitatie: Via Smart Delta Begroting werken en economie
    (inwonerbijdrage); Dekking Exploitatielast (personeel, huisvesting etc.) 390.000;
    Structurele inbreng van €40.000 vanuit Regionaal Werkcentrum". Kept by `tables.company`.
    """

    name = models.CharField("naam", max_length=120, unique=True)
    legal_form = models.CharField("rechtsvorm", max_length=60, blank=True)
    founded_on = models.DateField(
        "oprichtingsdatum", null=True, blank=True, validators=[validate_date_range]
    )
    founding_decision = models.CharField("kenmerk oprichtingsbesluit", max_length=200, blank=True)
    operating_cost = models.DecimalField(
        "dekking exploitatielast per jaar", max_digits=13, decimal_places=2, default=0
    )
    work_centre_contribution = models.DecimalField(
        "structurele inbreng Regionaal Werkcentrum per jaar",
        max_digits=13,
        decimal_places=2,
        default=0,
    )
    exploitation_from = models.PositiveSmallIntegerField("exploitatie vanaf jaar")
    # The budget line the exploitation is paid from (seed 000: "Via Smart Delta Begroting
    # werken en economie (inwonerbijdrage)"): a line's name, so the raming finds it each year.
    budget_line_name = models.CharField("betaald uit begrotingsregel", max_length=200, blank=True)
    is_demo = models.BooleanField("demodata", default=False)

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "uitvoeringsorganisatie"
        verbose_name_plural = "uitvoeringsorganisaties"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(work_centre_contribution__lte=F("operating_cost")),
                name="company_work_centre_within_cost",
            ),
            models.CheckConstraint(
                condition=Q(operating_cost__gte=0) & Q(work_centre_contribution__gte=0),
                name="company_exploitation_not_negative",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def inwonerbijdrage_part(self):
        """What the seven's inwonerbijdrage covers of the exploitation each year."""
        return self.operating_cost - self.work_centre_contribution


class GeneralMeeting(models.Model):
    """The aandeelhoudersvergadering of a company: a body with meetings, like a board table
    or a regiekamer (`Meeting.general_meeting`). Seed 000: "Opdrachtverstrekking en toezicht op
    uitvoering via aandeelhoudersvergadering"."""

    company = models.OneToOneField(
        Company,
        on_delete=models.CASCADE,
        related_name="general_meeting",
        verbose_name="uitvoeringsorganisatie",
    )

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "aandeelhoudersvergadering"
        verbose_name_plural = "aandeelhoudersvergaderingen"

    def __str__(self):
        return f"Aandeelhoudersvergadering {self.company.name}"

    # -- As a body that meets (see BoardTable) ---------------------------------------------------

    meeting_field = "general_meeting"

    @classmethod
    def paper_recipients(cls, pk: int, on: datetime.date):
        """Who gets a meeting's papers: the shareholders' representatives and the programme
        office that prepares."""
        representatives = Shareholding.objects.filter(company__general_meeting=pk).values(
            "representative"
        )
        return User.objects.filter(pk__in=representatives) | User.objects.filter(
            is_programme_office=True
        )

    @classmethod
    def attending_organisations(cls, pk: int, on: datetime.date):
        """The shareholders' meeting records the seven and no one else."""
        return None

    def meeting_page(self, meeting, on: datetime.date) -> dict:
        """What this body adds to its meeting's page: nothing beyond every meeting's."""
        return {}


class Shareholding(Versioned):
    """One of the seven as shareholder: its inleg, its shares and who represents it.

    Seed 000: "Deelname door de Drechtsteden gemeenten; Inleg symbolisch bedrag van €1; Gelijke
    verdeling van eigenaarschap en zeggenschap". Each holds the same number of shares, so each
    share is that number over the total (`tables.company.share_of`), adding up to 100 %. The
    representative casts the shareholder's vote at the shareholders' meeting and adopts its
    decision list (`permissions.can_adopt_decisions`). Written by `tables.company` only.
    """

    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="shareholdings",
        verbose_name="uitvoeringsorganisatie",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="shareholdings",
        verbose_name="aandeelhouder",
    )
    deposit = models.DecimalField("inleg", max_digits=13, decimal_places=2)
    shares = models.PositiveSmallIntegerField("aantal aandelen", default=1)
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shareholder_representations",
        verbose_name="vertegenwoordiger in de aandeelhoudersvergadering",
    )

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "aandeelhouderschap"
        verbose_name_plural = "aandeelhouders"
        ordering = ["company", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "organisation"], name="one_shareholding_per_organisation"
            ),
            models.CheckConstraint(condition=Q(shares__gte=1), name="shareholding_has_shares"),
            models.CheckConstraint(condition=Q(deposit__gte=0), name="shareholding_deposit"),
        ]

    def __str__(self):
        return f"{self.organisation} in {self.company}"


class Assignment(Versioned):
    """The yearly assignment (opdrachtverstrekking) the shareholders give the company, decided at
    a meeting of its shareholders' meeting. Seed 000: "Opdrachtverstrekking en toezicht op
    uitvoering via aandeelhoudersvergadering". Written by `tables.company` only."""

    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name="uitvoeringsorganisatie",
    )
    year = models.PositiveSmallIntegerField("jaar")
    description = models.TextField("opdracht", validators=[MaxTextLength(DESCRIPTION_MAX)])
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name="verstrekt in de vergadering van",
    )

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "opdrachtverstrekking"
        verbose_name_plural = "opdrachtverstrekkingen"
        ordering = ["company", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["company", "year"], name="one_assignment_per_year"),
        ]

    def __str__(self):
        return f"Opdracht {self.year} aan {self.company}"


class SupervisionReport(Versioned):
    """A report the shareholders' meeting receives on how the company carries out its
    assignment (toezicht op uitvoering, seed 000). Written by `tables.company` only."""

    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="supervision_reports",
        verbose_name="uitvoeringsorganisatie",
    )
    date = models.DateField("datum", validators=[validate_date_range])
    title = models.CharField("titel", max_length=200)
    document_reference = models.CharField("kenmerk document", max_length=200, blank=True)
    document_url = models.URLField("link naar het document", max_length=500, blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervision_reports",
        verbose_name="besproken in de vergadering van",
    )

    history = HistoricalRecords()
    objects = HistoryKeepingQuerySet.as_manager()

    class Meta:
        verbose_name = "toezichtsrapportage"
        verbose_name_plural = "toezichtsrapportages"
        ordering = ["company", "-date", "-pk"]

    def __str__(self):
        return self.title
