"""Forms of Smart Delta & Partners: the year's assignment and a supervision report, as the
programme office writes them down after the shareholders' meeting (`tables.company`)."""

from django import forms

from meetings.models import Meeting
from smartdelta.formatting import format_date
from smartdelta.forms import DateInput, PortalFormMixin
from smartdelta.validators import DESCRIPTION_MAX, MaxTextLength


class _MeetingChoice(forms.ModelChoiceField):
    def label_from_instance(self, meeting: Meeting) -> str:
        return f"Vergadering van {format_date(meeting.date)}"


class AssignmentForm(PortalFormMixin, forms.Form):
    year = forms.IntegerField(label="Jaar", min_value=2000, max_value=2100)
    description = forms.CharField(
        label="Opdracht",
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[MaxTextLength(DESCRIPTION_MAX)],
        help_text="Wat de aandeelhouders Smart Delta & Partners voor dit jaar opdragen.",
    )
    meeting = _MeetingChoice(
        label="Verstrekt in",
        queryset=Meeting.objects.none(),
        empty_label="Kies de vergadering",
        help_text="De vergadering van de aandeelhouders die de opdracht verstrekte.",
    )

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meetings is not None:  # the company's own; without them, none to choose
            self.fields["meeting"].queryset = meetings


class SupervisionReportForm(PortalFormMixin, forms.Form):
    date = forms.DateField(label="Datum", widget=DateInput())
    title = forms.CharField(label="Titel", max_length=200)
    document_reference = forms.CharField(
        label="Kenmerk van het document", max_length=200, required=False
    )
    document_url = forms.URLField(
        label="Link naar het document",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="Het adres waar de aandeelhouders de rapportage lezen, beginnend met https://.",
    )
    meeting = _MeetingChoice(
        label="Besproken in",
        queryset=Meeting.objects.none(),
        required=False,
        empty_label="Nog niet besproken",
    )

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meetings is not None:  # the company's own; without them, none to choose
            self.fields["meeting"].queryset = meetings
