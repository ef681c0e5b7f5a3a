from django import forms

from portfolio.models import Project
from smartdelta.fields import normalise_text
from smartdelta.formatting import format_date as datum
from smartdelta.forms import DateInput, PortalFormMixin
from smartdelta.models import User
from smartdelta.validators import DESCRIPTION_MAX, REASON_MAX, MaxTextLength

from .models import BoardTable, Category, Meeting, ProcessState, Regiekamer, Urgency


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
    chair = forms.ModelChoiceField(
        label="Voorzitter",
        queryset=User.objects.filter(is_ambtelijke_regiekamer=True).select_related("organisation"),
    )
    valid_from = forms.DateField(label="Vanaf", widget=DateInput())
    valid_until = forms.DateField(label="Tot en met", widget=DateInput())

    def __init__(self, *args, regiekamer: Regiekamer | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.regiekamer = regiekamer


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
