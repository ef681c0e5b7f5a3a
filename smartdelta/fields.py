"""Form fields for Dutch input."""

import re
from decimal import Decimal

from django import forms

from smartdelta.formatting import format_dutch_number

DUTCH_AMOUNT = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$|^-?\d+(,\d+)?$")


class DutchDecimalField(forms.DecimalField):
    """A number typed the Dutch way (`1.234,56`, `12,5`) or the plain way (`1234.56`).

    NaN, infinity and absurd magnitudes are refused with a Dutch message instead of reaching
    the database.
    """

    default_error_messages = {"invalid": "Vul een getal in, bijvoorbeeld 12,5."}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.input_type = "text"
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.pop("step", None)

    def to_python(self, value):
        if isinstance(value, str):
            text = (
                value.strip()
                .replace("€", "")
                .replace("%", "")
                .replace("\u00a0", "")
                .replace(" ", "")
            )
            if DUTCH_AMOUNT.match(text):
                text = text.replace(".", "").replace(",", ".")
            value = text
        result = super().to_python(value)
        if result is not None and not result.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return result

    def prepare_value(self, value):
        """Show a stored number the Dutch way (`307.500,00`, `2,5`); typed text stays as typed."""
        if isinstance(value, Decimal) and value.is_finite():
            return format_dutch_number(value)
        return value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.pop("min", None)
        attrs.pop("max", None)
        return attrs


def normalise_text(value: str) -> str:
    """Strip NUL bytes (PostgreSQL refuses them) and surrounding whitespace."""
    return value.replace("\x00", "").strip()


class AmountField(DutchDecimalField):
    """A euro amount: never negative, at most two decimals (`€ 1.234,56` is fine)."""

    default_error_messages = {"invalid": "Vul een bedrag in euro's in, bijvoorbeeld 1.234,56."}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 13)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        super().__init__(**kwargs)
