from django import forms

from smartdelta.forms import DateInput, PortalFormMixin
from smartdelta.models import OrganisationKind, User

from .memberships import REFERENCE_MAX
from .models import Regiekamer


class AppointForm(PortalFormMixin, forms.Form):
    """A new member of one regiekamer: a person of the seven (ambtelijk: or of Smart Delta)."""

    member = forms.ModelChoiceField(label="Lid", queryset=User.objects.none())
    capacity = forms.CharField(
        label="Hoedanigheid",
        required=False,
        max_length=120,
        help_text="Bijvoorbeeld burgemeester of gemeentesecretaris.",
    )
    valid_from = forms.DateField(
        label="Lid vanaf", widget=DateInput(), help_text="Vandaag of eerder."
    )
    decision = forms.CharField(
        label="Kenmerk besluit",
        max_length=REFERENCE_MAX,
        help_text="Het besluit waarmee de gemeente dit lid afvaardigt.",
    )

    def __init__(self, *args, regiekamer: Regiekamer, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [OrganisationKind.CORE]
        if regiekamer.is_ambtelijk:
            kinds.append(OrganisationKind.PROGRAMME)
        self.fields["member"].queryset = (
            User.objects.filter(is_active=True, organisation__kind__in=kinds)
            .select_related("organisation")
            .order_by("organisation__name", "last_name", "username")
        )
        self.fields["member"].label_from_instance = lambda u: f"{u} ({u.organisation})"


class EndForm(PortalFormMixin, forms.Form):
    valid_until = forms.DateField(
        label="Lid tot en met", widget=DateInput(), help_text="Vandaag of eerder."
    )
    decision = forms.CharField(label="Kenmerk besluit", max_length=REFERENCE_MAX)
