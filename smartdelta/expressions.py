"""SQL expressions the ORM does not have."""

from django.db.models import F, Func, IntegerField, Subquery, Value


class Constant(Value):
    """A constant written into the SQL itself, not sent as a parameter.

    For a condition that is also a partial index's condition: PostgreSQL uses the index in a
    prepared statement's generic plan only when it can see that the query's condition is the
    index's own. With the value as a parameter it cannot, and it plans the query anew on
    every run. Only plain words (a choice's value) are allowed: nothing here is quoted.
    """

    def __init__(self, value: str, output_field=None):
        if not isinstance(value, str) or not value.isidentifier():
            raise ValueError(f"Geen eenvoudige constante: {value!r}")
        super().__init__(value, output_field)

    def as_sql(self, compiler, connection):
        return f"'{self.value}'", []


def count_of(queryset, field: str = "pk") -> Subquery:
    """How many rows of `queryset` have a `field`, as a value of each row of an outer query
    (`queryset` refers to that row with `OuterRef`): a correlated COUNT, so several counts per
    row of a short list are one query. An empty side of a LEFT JOIN is not counted.
    """
    counted = queryset.order_by().annotate(counted=Func(F(field), function="COUNT"))
    return Subquery(counted.values("counted"), output_field=IntegerField())
