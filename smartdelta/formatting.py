"""Dutch formatting of money, numbers and dates: one home for domain code and templates alike.

Domain services (conflict messages, mails) and the template filters in
`smartdelta/templatetags/portal.py` both call these, so a message and a page never disagree
on how an amount or a moment is written. Datetimes are always shown in the portal's time
zone (Europe/Amsterdam), never in UTC.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone

NBSP = "\u00a0"
# Django's Dutch month names (django.utils.dates.MONTHS with "nl" active; the test
# test_datum_writes_what_djangos_date_format_writes holds them equal), by number. Django's are
# lazy strings, translated again for every date shown: 9 µs a date, on pages with hundreds of
# dates. The portal speaks only Dutch (LANGUAGE_CODE).
MONTHS = (
    *("", "januari", "februari", "maart", "april", "mei", "juni", "juli"),
    *("augustus", "september", "oktober", "november", "december"),
)


def format_dutch_number(value: Decimal) -> str:
    """`Decimal("307500.00")` -> `307.500,00`; `Decimal("2.50")` -> `2,50`."""
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = ".".join(groups) or "0"
    return f"{sign}{text},{fraction}" if fraction else f"{sign}{text}"


def format_measured(value) -> str:
    """A measured figure the Dutch way without trailing zeros: `960.00` -> `960`,
    `12.50` -> `12,5`, `1500` -> `1.500`."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return format_dutch_number(value)


def format_euro(value, cents: bool = True) -> str:
    """`Decimal("4750000")` -> `€ 4.750.000,00` (non-breaking space after the sign)."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    quantum = Decimal("0.01") if cents else Decimal("1")
    amount = amount.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}€{NBSP}{format_dutch_number(abs(amount))}"


def format_percentage(value) -> str:
    """A share in percent as `floatformat:"-3"` writes it: `12.500` -> `12,500`, `14` -> `14`.

    Three decimals when the value has a fraction, none when it has not; no thousands. Without
    Django's floatformat, which localises through the format machinery: 24 µs a value, once
    for each position with a share on the sorteerbak.
    """
    if value is None or value == "":
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value.quantize(Decimal('0.001'), rounding=ROUND_HALF_UP):f}".replace(".", ",")


def format_date(value) -> str:
    """`date(2026, 11, 22)` -> `22 november 2026`; an aware datetime by its Dutch date."""
    if not value:
        return ""
    if hasattr(value, "tzinfo") and timezone.is_aware(value):
        value = timezone.localtime(value)
    # What date_format(value, "j F Y") gives, without parsing the format on every call: pages
    # show up to a hundred dates.
    return f"{value.day} {MONTHS[value.month]} {value.year}"


def format_datetime(value) -> str:
    """An aware datetime in Dutch time: `30 november 2026 20:05` (never UTC)."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.day} {MONTHS[value.month]} {value.year} {value:%H:%M}"


def one_line(value: str) -> str:
    """A single-line text as one line, whatever was stored: a mail or digest line that shows a
    location or title cannot be split into lines of its own (issue 32; forms refuse breaks)."""
    return " ".join((value or "").split())
