"""Bounded URL converters: a number in a URL that no row can have answers 404, not 500.

Django's `int` converter takes any run of digits, and the database driver raises
OverflowError for one beyond 64 bits (issue 17). These converters refuse what cannot exist
before a view or the database sees it. Registered once, on import; every urls.py imports
this module.
"""

from django.urls import register_converter

# The largest value of a PostgreSQL `integer`: ids beyond it are refused even though our
# BigAutoField columns could hold them; a portal of this size will not reach two billion rows.
MAX_ID = 2_147_483_647
FIRST_YEAR, LAST_YEAR = 2000, 2100


class IdConverter:
    """A positive id of at most ten digits and at most MAX_ID."""

    regex = "[0-9]{1,10}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError("id out of range")  # Django answers 404
        return number

    def to_url(self, value) -> str:
        return str(value)


class YearConverter:
    """A budget year of four digits from FIRST_YEAR to LAST_YEAR."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError("year out of range")
        return year

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")
register_converter(YearConverter, "year")
