from django import forms

from meetings.models import Meeting
from portfolio.models import Project
from smartdelta.fields import normalise_text
from smartdelta.formatting import format_date as datum
from smartdelta.forms import DateInput, PortalFormMixin, Select, mark_required
from smartdelta.models import Organisation, User
from smartdelta.validators import DESCRIPTION_MAX, REASON_MAX, MaxTextLength

from .escalations import TRANSITIONS
from .models import BoardTable, Category, ProcessState, Regiekamer, Urgency


class EscalationForm(PortalFormMixin, forms.Form):
    title = forms.CharField(label="Titel", max_length=200)
    description = forms.CharField(
        label="Omschrijving",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Wat is er aan de hand, wat is al geprobeerd en wat vraagt u van de regiekamer? "
        "Hooguit 4.000 tekens.",
        validators=[MaxTextLength(DESCRIPTION_MAX)],
    )
    category = forms.ChoiceField(label="Categorie", choices=Category.choices)
    urgency = forms.ChoiceField(label="Urgentie", choices=Urgency.choices, initial=Urgency.NORMAL)
    table = forms.ModelChoiceField(
        label="Tafel",
        queryset=BoardTable.objects.select_related("theme"),
        required=False,
        empty_label="— geen tafel —",
    )
    project = forms.ModelChoiceField(
        label="Project",
        queryset=Project.objects.order_by("name"),
        required=False,
        empty_label="— geen project —",
    )

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())


class TransitionForm(PortalFormMixin, forms.Form):
    """What a transition button posts; which fields matter depends on the transition."""

    # Not required here: a missing version is refused by the service with the one message.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    reason = forms.CharField(
        label="Toelichting",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[MaxTextLength(REASON_MAX)],
    )
    decision = forms.CharField(
        label="Besluit",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[MaxTextLength(DESCRIPTION_MAX)],
    )
    meeting = forms.ModelChoiceField(
        label="Agenderen voor vergadering",
        queryset=Meeting.objects.none(),
        required=False,
        empty_label="— nog niet agenderen —",
    )

    def __init__(self, *args, action: str = "", meetings=None, **kwargs):
        # Several of these forms stand on one page: the action keeps their ids apart.
        super().__init__(*args, auto_id=f"id_{action}_%s", **kwargs)
        self.action = action
        # What the transition needs is refused by the service when empty; the labels say it first.
        transition = TRANSITIONS.get(action)
        if transition is not None and transition.needs_decision:
            mark_required(self.fields["decision"])
        if transition is not None and transition.needs_reason:
            mark_required(self.fields["reason"])
        if meetings is not None:
            self.fields["meeting"].queryset = meetings
        # The regiekamer is known from the escalation; the date (and place) tell meetings apart.
        self.fields["meeting"].label_from_instance = lambda m: " – ".join(
            filter(None, [datum(m.date), m.location])
        )


class CommentForm(PortalFormMixin, forms.Form):
    text = forms.CharField(
        label="Reactie",
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[MaxTextLength(DESCRIPTION_MAX)],
    )


class ChairTermForm(PortalFormMixin, forms.Form):
    """A chair term of one regiekamer: the chair is chosen among its active members."""

    chair = forms.ModelChoiceField(label="Voorzitter", queryset=User.objects.none())
    valid_from = forms.DateField(label="Vanaf", widget=DateInput())
    valid_until = forms.DateField(label="Tot en met", widget=DateInput())

    def __init__(self, *args, regiekamer: Regiekamer | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.regiekamer = regiekamer
        # The ambtelijke regiekamer's members when no regiekamer is named (as the page does).
        bestuurlijk = regiekamer is not None and not regiekamer.is_ambtelijk
        flag = "is_bestuurlijke_regiekamer" if bestuurlijk else "is_ambtelijke_regiekamer"
        self.fields["chair"].queryset = (
            User.objects.filter(is_active=True, **{flag: True})
            .select_related("organisation")
            .order_by("organisation__name", "username")
        )


class SeatDateForm(PortalFormMixin, forms.Form):
    datum = forms.DateField(label="Zetels op datum", required=False, widget=DateInput())


class ProcessStepForm(PortalFormMixin, forms.Form):
    """The state and note of one process step, and the version of the step the user saw."""

    state = forms.ChoiceField(label="Stand", choices=ProcessState.choices)
    note = forms.CharField(label="Toelichting", required=False, max_length=500)
    # Not required here: a missing version is refused by the service with the one message.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    @classmethod
    def for_step(cls, step, data=None):
        initial = {"state": step.state, "note": step.note, "version": step.version}
        form = cls(data, initial=initial, auto_id=f"id_stap{step.pk}_%s")
        # Opened in place by htmx, the form takes the focus from the link that opened it.
        form.fields["state"].widget.attrs["autofocus"] = True
        return form

    def clean_note(self):
        return normalise_text(self.cleaned_data["note"])


# -- Seats (issue 15) ---------------------------------------------------------------------------


class OfficialChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        name = user.get_full_name() or user.username
        return f"{name} ({user.organisation})" if user.organisation_id else name


class SeatForm(PortalFormMixin, forms.Form):
    """A seat's term at a table: new (with the organisation and start) or changed.

    For a core municipality the admission fields are not asked; for a partner outside the seven
    they are required (`Seat.clean`: the decision of all seven).
    """

    organisation = forms.ModelChoiceField(
        label="Organisatie", queryset=Organisation.objects.participants(), empty_label="Kies"
    )
    valid_from = forms.DateField(label="Vanaf", widget=DateInput())
    takes_part = forms.TypedChoiceField(
        label="Deelname",
        choices=[("ja", "Neemt deel"), ("nee", "Neemt niet deel")],
        coerce=lambda value: value == "ja",
        widget=Select,
        initial="ja",
    )
    reason = forms.CharField(
        label="Reden (bij niet deelnemen)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Verplicht als de organisatie niet aan deze tafel deelneemt.",
    )
    administrator = forms.CharField(label="Bestuurder (wethouder)", required=False, max_length=120)
    official = OfficialChoiceField(
        label="Ondersteunend ambtenaar",
        queryset=User.objects.none(),
        required=False,
        empty_label="— geen —",
        help_text="Een ambtenaar van de organisatie zelf.",
    )
    admission_date = forms.DateField(
        label="Datum besluit toelating (alle 7)",
        required=False,
        widget=DateInput(),
        help_text="Alleen voor een partner buiten de zeven gemeenten: de datum van het besluit "
        "van alle zeven.",
    )
    admission_reference = forms.CharField(
        label="Kenmerk besluit toelating", required=False, max_length=100
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, seat=None, organisation=None, **kwargs):
        if seat is not None:
            kwargs.setdefault(
                "initial",
                {
                    "takes_part": "ja" if seat.takes_part else "nee",
                    "reason": seat.reason,
                    "administrator": seat.administrator,
                    "official": seat.official_id,
                    "admission_date": seat.admission_date,
                    "admission_reference": seat.admission_reference,
                    "version": seat.version,
                },
            )
        elif organisation is not None:
            kwargs.setdefault("initial", {"organisation": organisation.pk, "takes_part": "ja"})
        super().__init__(*args, **kwargs)
        self.seat = seat
        users = User.objects.filter(is_active=True).select_related("organisation")
        if seat is not None:
            # The term is known: its organisation and start stay as they are.
            del self.fields["organisation"], self.fields["valid_from"]
            self.fields["official"].queryset = users.filter(organisation=seat.organisation_id)
            if seat.organisation.is_core:
                del self.fields["admission_date"], self.fields["admission_reference"]
        else:
            self.fields["official"].queryset = users.filter(
                organisation__in=Organisation.objects.participants(), is_official=True
            ).order_by("organisation__name", "username")

    def clean_reason(self):
        return normalise_text(self.cleaned_data["reason"])

    def clean_administrator(self):
        return normalise_text(self.cleaned_data["administrator"])

    def clean_admission_reference(self):
        return normalise_text(self.cleaned_data["admission_reference"])

    def clean(self):
        data = super().clean()
        if data.get("takes_part") is False and not data.get("reason"):
            self.add_error(
                "reason", "Geef de reden waarom deze organisatie niet aan deze tafel deelneemt."
            )
        organisation = self.seat.organisation if self.seat else data.get("organisation")
        official = data.get("official")
        if organisation is not None and official is not None:
            if official.organisation_id != organisation.pk:
                self.add_error("official", f"Kies een ambtenaar van {organisation}.")
        if organisation is not None and not organisation.is_core:
            if not (data.get("admission_date") and data.get("admission_reference")):
                self.add_error(
                    "admission_reference",
                    "Een partner buiten de 7 neemt pas plaats na een besluit van alle 7: vul "
                    "de datum en het kenmerk van dat besluit in.",
                )
        return data

    def term_fields(self) -> dict:
        """The cleaned values for `tables.seats` (TERM_FIELDS present in this form)."""
        names = [
            "takes_part",
            "reason",
            "administrator",
            "official",
            "admission_date",
            "admission_reference",
        ]
        data = {name: self.cleaned_data[name] for name in names if name in self.fields}
        data.setdefault("admission_date", None)
        data.setdefault("admission_reference", "")
        return data


class SeatEndForm(PortalFormMixin, forms.Form):
    valid_until = forms.DateField(label="Tot en met", widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


# -- Themes, board tables and triple-helix tables (issue 30, tables/structure.py) --------------


class ThemeForm(PortalFormMixin, forms.Form):
    """A theme and its board table. The slug is asked only for a new theme (`with_slug`)."""

    name = forms.CharField(label="Naam van het thema", max_length=100)
    slug = forms.SlugField(
        label="Webadres",
        max_length=100,
        required=False,
        help_text="Kleine letters, cijfers en streepjes, bijvoorbeeld werken-en-economie. Leeg "
        "laten: het portaal maakt het uit de naam. Na het opslaan ligt het vast.",
        error_messages={"invalid": "Gebruik alleen kleine letters, cijfers en streepjes."},
    )
    order = forms.IntegerField(
        label="Volgorde",
        min_value=0,
        max_value=32767,
        initial=0,
        help_text="Thema's staan op volgorde van dit getal, het kleinste eerst.",
    )
    description = forms.CharField(
        label="Omschrijving van het thema",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[MaxTextLength(DESCRIPTION_MAX)],
    )
    table_description = forms.CharField(
        label="Omschrijving van de bestuurlijke tafel",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[MaxTextLength(DESCRIPTION_MAX)],
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, with_slug=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_slug:
            del self.fields["slug"]

    def clean_description(self):
        return normalise_text(self.cleaned_data["description"])

    def clean_table_description(self):
        return normalise_text(self.cleaned_data["table_description"])


class HelixTableForm(PortalFormMixin, forms.Form):
    """A triple-helix table and the board table (theme) it belongs to."""

    board_table = forms.ModelChoiceField(
        label="Hoort bij de bestuurlijke tafel",
        queryset=BoardTable.objects.select_related("theme"),
        widget=Select,
        empty_label="Kies een tafel",
        error_messages={
            "required": "Kies de bestuurlijke tafel waar deze tafel bij hoort.",
            "invalid_choice": "Kies een tafel uit de lijst.",
        },
    )
    name = forms.CharField(label="Naam", max_length=120)
    description = forms.CharField(label="Omschrijving", max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class CycleForm(PortalFormMixin, forms.Form):
    """The year of a table's new process cycle (tables.process.open_cycle)."""

    year = forms.IntegerField(
        label="Jaar van de nieuwe cyclus",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "Vul het jaar van de nieuwe cyclus in.",
            "min_value": "Kies een jaar vanaf 2000.",
            "max_value": "Kies een jaar tot en met 2100.",
            "invalid": "Vul een jaar in, bijvoorbeeld 2027.",
        },
    )
