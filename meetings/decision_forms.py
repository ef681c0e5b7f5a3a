"""Forms of the besluitenlijst: a decision, an action, its status, and the action filters."""

from django import forms

from portfolio.models import Project
from smartdelta.fields import normalise_text
from smartdelta.forms import DateInput, PortalFormMixin, list_filter
from smartdelta.models import Organisation
from smartdelta.validators import DESCRIPTION_MAX, REASON_MAX, MaxTextLength

from .models import ActionStatus, AgendaItem, Decision, Meeting, related


class _Versioned(forms.Form):
    # Not required here: a missing version is refused by the service with the one message.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class DecisionForm(PortalFormMixin, _Versioned):
    text = forms.CharField(
        label="Besluit",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Wat de vergadering besloot, zoals het in de besluitenlijst komt. "
        "Hooguit 4.000 tekens.",
        validators=[MaxTextLength(DESCRIPTION_MAX)],
    )
    agenda_item = forms.ModelChoiceField(
        label="Agendapunt",
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label="— geen agendapunt —",
    )
    project = forms.ModelChoiceField(
        label="Project",
        queryset=Project.objects.order_by("name"),
        required=False,
        empty_label="— geen project —",
    )
    escalation = forms.ModelChoiceField(
        label="Escalatie",
        queryset=related(Decision, "escalation").objects.none(),
        required=False,
        empty_label="— geen escalatie —",
    )
    field_order = ["text", "agenda_item", "project", "escalation", "version"]

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting is not None:
            self.fields["agenda_item"].queryset = meeting.agenda_items.all()
        if meeting is None or meeting.regiekamer_id is None:
            # A table's decision list is read by everyone: no escalation is named in it.
            del self.fields["escalation"]
        else:
            self.fields["escalation"].queryset = (
                related(Decision, "escalation")
                .objects.filter(regiekamer_id=meeting.regiekamer_id)
                .order_by("-created_at")
            )

    def clean_text(self):
        return normalise_text(self.cleaned_data["text"])


class DecisionRemoveForm(PortalFormMixin, _Versioned):
    """Taking a decision off the list: only the version the planner saw."""


class AdoptForm(PortalFormMixin, _Versioned):
    """Adopting the decision list: only the version of the meeting the member saw."""


class ActionForm(PortalFormMixin, _Versioned):
    description = forms.CharField(
        label="Actie",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Wat er moet gebeuren. Hooguit 2.000 tekens.",
        validators=[MaxTextLength(REASON_MAX)],
    )
    owner = forms.ModelChoiceField(
        label="Eigenaar (organisatie)",
        queryset=Organisation.objects.order_by("name"),
        empty_label="— kies een organisatie —",
    )
    deadline = forms.DateField(label="Uiterlijk klaar op", widget=DateInput())

    def clean_description(self):
        return normalise_text(self.cleaned_data["description"])


class ActionStatusForm(PortalFormMixin, _Versioned):
    status = forms.ChoiceField(label="Status", choices=ActionStatus.choices)
    note = forms.CharField(
        label="Toelichting",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Bijvoorbeeld wat er is opgeleverd of waarom het later wordt.",
        validators=[MaxTextLength(REASON_MAX)],
    )

    def __init__(self, *args, allow_cancel: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_cancel:
            self.fields["status"].choices = [
                (value, label)
                for value, label in ActionStatus.choices
                if value != ActionStatus.CANCELLED
            ]

    def clean_note(self):
        return normalise_text(self.cleaned_data["note"])


OVERDUE = "te_laat"
REGIEKAMERS = {
    # Regiekamer.kind (tables.models.RegiekamerKind), by the slug the filter keeps in the URL.
    "ambtelijke-regiekamer": "ambtelijk",
    "bestuurlijke-regiekamer": "bestuurlijk",
}


class ActionFilterForm(PortalFormMixin, forms.Form):
    """The filters of the action list; every value stays in the URL."""

    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Alle"), *ActionStatus.choices, (OVERDUE, "Te laat")],
    )
    organisatie = list_filter(
        "Eigenaar", Organisation.objects.order_by("name"), "Alle organisaties"
    )
    tafel = forms.ChoiceField(label="Tafel of regiekamer", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tafel"].choices = [
            ("", "Alle tafels en regiekamers"),
            *((t.slug, str(t)) for t in related(Meeting, "table").objects.select_related("theme")),
            ("ambtelijke-regiekamer", "Ambtelijke regiekamer"),
            ("bestuurlijke-regiekamer", "Bestuurlijke regiekamer"),
        ]
