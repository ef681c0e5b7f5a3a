"""The kept counts of what waits on each organisation's positions (portfolio.counts): after any
sequence of saves they equal a count from scratch, also with writers at the same moment."""

import datetime
import random
import threading

import pytest
from django.db import connection

from following import waiting
from portfolio import counts
from portfolio.models import Position, PositionCount, Project, Variant
from portfolio.positions import PositionInput, record_position
from tests.conftest import make_position, make_project, make_user

DAY = datetime.date(2026, 3, 1)
STATUSES = ["concept", "ingediend", "ingetrokken"]
PROJECT_STATUSES = ["idee", "voorstel", "contractering", "lopend", "afgerond", "gestopt"]


def _kept():
    return {
        row.pk: (row.without_position, row.concept, row.submitted)
        for row in PositionCount.objects.all()
    }


@pytest.mark.django_db
def test_the_kept_counts_equal_a_count_from_scratch_after_random_changes(
    core_municipalities, theme
):
    rng = random.Random(31)
    orgs = list(core_municipalities.values())
    projects = [make_project(f"Telling {n}", theme=theme, status="lopend") for n in range(4)]
    for step in range(60):
        action = rng.choice(["position", "position", "status", "delete", "project", "drop"])
        project = rng.choice(projects)
        org = rng.choice(orgs)
        existing = Position.objects.filter(project=project, organisation=org).first()
        if action == "position" and existing is None:
            make_position(project, org, Variant.NONE, status=rng.choice(STATUSES))
        elif action in ("position", "status") and existing is not None:
            existing.status = rng.choice(STATUSES)
            existing.save()
        elif action == "delete" and existing is not None:
            existing.delete()
        elif action == "project":
            project.status = rng.choice(PROJECT_STATUSES)
            project.save()
        elif action == "drop" and len(projects) > 2:
            projects.remove(project)
            project.delete()
        else:
            projects.append(make_project(f"Telling extra {step}", theme=theme, status="idee"))
        kept = _kept()
        assert {pk: kept[pk] for pk in kept if pk in {o.pk for o in orgs}} == counts.from_scratch(
            [o.pk for o in orgs]
        ), (step, action)
    # Something was counted: the sequence is not all zeros.
    assert any(any(values) for values in _kept().values())


@pytest.mark.django_db
def test_the_overview_reads_the_kept_counts_in_one_query(
    core_municipalities, theme, programme_office, django_assert_num_queries
):
    dordrecht = core_municipalities["Dordrecht"]
    make_project("Zonder positie", theme=theme, status="lopend")
    make_project("Afgerond", theme=theme, status="afgerond")
    other = make_project("Met concept", theme=theme, status="voorstel")
    make_position(other, dordrecht, Variant.NONE, status="concept")
    with django_assert_num_queries(1):
        kept = counts.kept([dordrecht.pk])
    assert kept[dordrecht.pk] == (1, 1, 0)
    (row,) = waiting.counts(programme_office, [dordrecht], DAY)
    assert (row.no_position, row.preparing, row.to_confirm) == (1, 1, 0)


@pytest.mark.django_db
def test_an_organisation_made_past_its_save_is_counted_from_scratch(core_municipalities, theme):
    dordrecht = core_municipalities["Dordrecht"]
    make_project("Zonder positie", theme=theme, status="lopend")
    PositionCount.objects.filter(pk=dordrecht.pk).delete()
    assert counts.kept([dordrecht.pk]) == {dordrecht.pk: (1, 0, 0)}


@pytest.mark.django_db
def test_deleting_an_organisation_removes_its_count(core_municipalities, theme):
    dordrecht = core_municipalities["Dordrecht"]
    make_position(
        make_project("Weg", theme=theme, lead=core_municipalities["Zwijndrecht"]),
        dordrecht,
        Variant.NONE,
        status="concept",
    )
    assert PositionCount.objects.filter(pk=dordrecht.pk).exists()
    Position.objects.filter(organisation=dordrecht).delete()
    dordrecht.delete()
    assert not PositionCount.objects.filter(pk=dordrecht.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_of_one_municipality_lose_no_count(
    core_municipalities, theme, programme_office
):
    """Officials of one municipality save positions on six projects at the same moment while
    the programme office adds a project and a reader reads the overview: the kept counts end
    as a count from scratch and no save or read fails."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time; the row locks are PostgreSQL's")
    dordrecht = core_municipalities["Dordrecht"]
    projects = [make_project(f"Gelijk {n}", theme=theme, status="lopend") for n in range(6)]
    officials = [
        make_user(f"ambtenaar-{n}", dordrecht, is_official=True) for n in range(len(projects))
    ]
    office = programme_office
    errors, reads = [], []
    start = threading.Barrier(len(projects) + 2)

    def save(project, user):
        try:
            start.wait(timeout=10)
            record_position(user, project, dordrecht, PositionInput(Variant.NONE), None)
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    def add_project():
        try:
            start.wait(timeout=10)
            Project.objects.get(pk=projects[0].pk)  # the project list as the office sees it
            make_project("Erbij", theme=theme, status="voorstel")
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    def reader():
        try:
            start.wait(timeout=10)
            for _ in range(10):
                (row,) = waiting.counts(office, [dordrecht], DAY)
                reads.append(row.no_position + row.preparing)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=pair) for pair in zip(projects, officials, strict=True)
    ]
    threads += [threading.Thread(target=add_project), threading.Thread(target=reader)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    ids = [o.pk for o in core_municipalities.values()]
    assert {pk: v for pk, v in _kept().items() if pk in ids} == counts.from_scratch(ids)
    assert counts.kept([dordrecht.pk])[dordrecht.pk] == (1, 6, 0)
    # Every read saw each project either without a position or with its concept.
    assert set(reads) <= {6, 7}
