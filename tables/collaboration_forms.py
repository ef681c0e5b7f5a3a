from django import forms

from smartdelta.forms import DateInput, PortalFormMixin
from smartdelta.models import Organisation
from smartdelta.validators import REASON_MAX, MaxTextLength

from .models import MilestoneStatus


class CollaborationMilestoneForm(PortalFormMixin, forms.Form):
    title = forms.CharField(label="Mijlpaal", max_length=200)
    due_date = forms.DateField(label="Uiterlijk", widget=DateInput())
    owner = forms.ModelChoiceField(
        label="Eigenaar",
        queryset=Organisation.objects.order_by("kind", "name"),
        help_text="De organisatie die de mijlpaal trekt.",
    )
    status = forms.ChoiceField(label="Stand", choices=MilestoneStatus.choices)
    note = forms.CharField(
        label="Toelichting",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[MaxTextLength(REASON_MAX)],
    )
    # Not required here: a missing version is refused by the service with the one message.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
