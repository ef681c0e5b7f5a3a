"""On PostgreSQL, the pages that list or search many rows read them through their indexes.

`make bench` shows the effect at ten times today's data; these tests pin the cause on small
data: each page's SQL is planned with sequential scans and sorts switched off, so a plan that
still sorts or filters every row means the query can no longer use its index (an ordering that
left the index, a filter written differently, an index dropped).
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portfolio.models import Variant
from tables.models import Escalation, EscalationState
from tests.conftest import client_for, make_position, make_project, make_theme
from tests.tables.conftest import make_escalation

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="query plans and indexes of PostgreSQL"
    ),
]


def plans(client, url, **headers) -> list[tuple[str, str]]:
    """(SQL, plan) of every SELECT the page ran, planned without sequential scans or sorts."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, headers=headers).status_code == 200
    result = []
    with connection.cursor() as cursor:
        # LOCAL: until the end of the test's transaction.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        for query in ctx.captured_queries:
            sql = query["sql"]
            if sql.lstrip("(").startswith("SELECT"):
                cursor.execute("EXPLAIN " + sql)
                result.append((sql, "\n".join(row[0] for row in cursor.fetchall())))
    return result


def the_plan(plans, *needles) -> str:
    found = [plan for sql, plan in plans if all(needle in sql for needle in needles)]
    assert len(found) == 1, [sql for sql, _ in plans]
    return found[0]


@pytest.fixture
def listed(core_municipalities, official_dordrecht):
    dordrecht = core_municipalities["Dordrecht"]
    themes = [make_theme("Werken en Economie", order=1), make_theme("Wonen", order=2)]
    for n in range(30):
        project = make_project(f"Project {n:02d}", theme=themes[n % 2], lead=dordrecht)
        project.status = "lopend" if n % 3 else "idee"
        project.save()
        make_position(project, dordrecht, Variant.FULL if n % 2 else Variant.NONE)
    with connection.cursor() as cursor:
        # The statistics of these rows, not of what an earlier test left behind.
        cursor.execute("ANALYZE portfolio_project, portfolio_position")
    return client_for(official_dordrecht)


def test_a_page_of_the_project_list_walks_the_name_index_and_sorts_nothing(listed):
    page = the_plan(plans(listed, "/projecten/"), '"portfolio_project"."name"', "LIMIT")
    assert "project_by_name" in page
    assert "Sort" not in page


def test_the_position_filter_counts_from_the_indexes_only(listed):
    url = "/projecten/?status=lopend&municipality=dordrecht&variant=volledig"
    found = plans(listed, url)
    count = the_plan(found, "COUNT(*)", "portfolio_project")
    # (Which index reads the status is the planner's choice on small data: at ten times today's
    # data it is project_by_status, index-only, as `make bench` shows. Which index that begins
    # with the organisation reads its positions is the planner's choice too, with the
    # statistics other tests left: position_by_variant, position_in_force (filtering the
    # variant) or the foreign key's own. What matters holds for each: the positions are read
    # through an index on the organisation, so those of other organisations stay unread.)
    assert "Seq Scan on portfolio_position" not in count, count
    assert re.search(r"Index Cond: \(+(\w+\.)?organisation_id = ", count), count
    page = the_plan(found, '"portfolio_project"."name"', "LIMIT")
    assert "project_by_name" in page and "Sort" not in page


def test_the_search_reads_escalations_through_the_trigram_indexes(
    official_dordrecht, secretary_dordrecht, regiekamers
):
    closed = make_escalation(
        official_dordrecht,
        "afgehandeld",
        handler=secretary_dordrecht,
        title="Havenfonds capaciteit",
    )
    # Many closed escalations that do not match: the state alone no longer narrows it down.
    others = [
        Escalation(
            title=f"Capaciteit {n}",
            description="Niet geleverd.",
            category=closed.category,
            urgency=closed.urgency,
            regiekamer=closed.regiekamer,
            state=EscalationState.CLOSED,
            reporter=official_dordrecht,
            deadline=closed.deadline,
            decision="Afgewezen.",
            owner=secretary_dordrecht,
        )
        for n in range(5000)
    ]
    Escalation.objects.bulk_create(others)
    with connection.cursor() as cursor:
        # As a database that has been running for a while: the rows in the indexes (not in
        # their pending lists), the statistics up to date.
        for column in ("title", "description", "decision"):
            cursor.execute(
                "SELECT gin_clean_pending_list(%s::regclass)", [f"escalation_search_{column}"]
            )
        cursor.execute("ANALYZE tables_escalation")
    found = plans(client_for(secretary_dordrecht), "/zoeken/?q=haven")
    count = the_plan(found, "COUNT(*)", "tables_escalation")
    for column in ("title", "description", "decision"):
        assert f"escalation_search_{column}" in count, count
