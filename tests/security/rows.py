"""What the security tests measure and send: row counts of every table, and a hostile post."""

from django.apps import apps
from django.db import connection

# Everything a form of the portal might read, with values a refused request must not write.
HOSTILE_POST = {
    "variant": "geen",
    "status": "bevestigd",
    "state": "gereed",
    "note": "poging",
    "text": "poging",
    "title": "poging",
    "description": "poging",
    "category": "overig",
    "urgency": "normaal",
    "indexation": "2",
    "subject": "poging",
    "reason": "poging",
    "decision": "poging",
    "organisation": "1",
    "version": "1",
}


def history_rows() -> int:
    return sum(
        model.objects.count()
        for model in apps.get_models()
        if model.__name__.startswith("Historical")
    )


def row_counts() -> tuple:
    """Rows in every table of every installed model, in one query (history tables included).

    A refused request must leave all of them as they were. Sessions are left out: a request of
    a logged-in user may store its session, which is not a write of data.
    """
    tables = sorted(
        {
            m._meta.db_table
            for m in apps.get_models()
            if m._meta.managed and m._meta.db_table != "django_session"
        }
    )
    sql = "SELECT " + ", ".join(
        f"(SELECT COUNT(*) FROM {connection.ops.quote_name(t)})" for t in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(zip(tables, cursor.fetchone(), strict=True))


def changed(before, after) -> list[str]:
    return [f"{t}: {a} -> {b}" for (t, a), (_, b) in zip(before, after, strict=True) if a != b]
