from django import forms
from django.utils import timezone

from portfolio.forms import theme_filter
from smartdelta.fields import normalise_text
from smartdelta.forms import PortalFormMixin, Select, municipality_filter
from tables.models import RegiekamerKind

from .models import DigestPeriod

# The portal's records start with the 2023 programme (seed 002); a year later than this one has
# no closed escalations or past meetings yet.
FIRST_YEAR = 2023


class DigestForm(PortalFormMixin, forms.Form):
    period = forms.ChoiceField(
        label="Samenvatting per e-mail",
        choices=DigestPeriod.choices,
        # The --html-input class styles the native :checked state (NL Design System).
        widget=forms.RadioSelect(
            attrs={"class": "utrecht-radio-button utrecht-radio-button--html-input"}
        ),
        error_messages={
            "required": "Kies hoe vaak u een samenvatting wilt krijgen.",
            "invalid_choice": "Kies geen, een dagelijkse of een wekelijkse samenvatting.",
        },
    )
    # The version the user saw (smartdelta/versioning.py); the service refuses an old one.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)


def _years():
    this_year = timezone.localdate().year
    return [("", "Alle jaren")] + [(str(y), str(y)) for y in range(this_year, FIRST_YEAR - 1, -1)]


class SearchForm(PortalFormMixin, forms.Form):
    q = forms.CharField(label="Zoeken naar", required=False, max_length=100)
    theme = theme_filter()
    regiekamer = forms.ChoiceField(
        label="Regiekamer",
        required=False,
        choices=[("", "Alle tafels en regiekamers"), *RegiekamerKind.choices],
        widget=Select,
    )
    municipality = municipality_filter()
    year = forms.TypedChoiceField(
        label="Jaar", required=False, coerce=int, empty_value=None, choices=_years, widget=Select
    )

    def __init__(self, *args, sees_regiekamers: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not sees_regiekamers:
            # Nothing of a regiekamer is there for them to find (permissions.readable_meetings).
            del self.fields["regiekamer"]

    def clean_q(self):
        return normalise_text(self.cleaned_data["q"])
