"""Progress, milestones and the phase of a project, kept by those who carry it (issue 15)."""

import datetime

import pytest
from django.urls import reverse

from portfolio import progress
from portfolio.models import Milestone, ProgressUpdate, Project, ProjectStatus
from portfolio.positions import PositionInput, change_status, record_position
from smartdelta import permissions
from smartdelta.errors import ConflictError, DomainError
from tests.conftest import client_for, make_position, make_user, second_official


@pytest.fixture
def running(project):
    project.status = ProjectStatus.RUNNING
    project.save()
    return project


@pytest.fixture
def official_papendrecht(core_municipalities):
    return make_user("ambtenaar-papendrecht", core_municipalities["Papendrecht"], is_official=True)


@pytest.mark.parametrize(
    ("variant", "status", "carries"),
    [
        # Submitted is one official's word: carrying waits for the second person (issue 32).
        ("volledig", "ingediend", False),
        ("volledig", "bevestigd", True),
        ("volledig", "concept", False),
        ("volledig", "ingetrokken", False),
        ("solidariteit", "bevestigd", False),
        ("instap", "bevestigd", False),
        ("geen", "bevestigd", False),
    ],
)
def test_who_carries_a_project(
    running, core_municipalities, official_papendrecht, variant, status, carries
):
    fields = {"decision_reference": "B-1", "decision_date": datetime.date(2024, 1, 1)}
    if variant in ("solidariteit", "instap"):
        fields |= {"amount": 1000, "entry_date": datetime.date(2025, 1, 1)}
    make_position(running, core_municipalities["Papendrecht"], variant, status=status, **fields)
    assert permissions.can_post_progress(official_papendrecht, running) is carries


def test_the_lead_and_the_office_carry_it_a_councillor_does_not(
    running, official_dordrecht, programme_office, councillor_dordrecht, official_zwijndrecht
):
    assert permissions.can_post_progress(official_dordrecht, running)
    assert permissions.can_post_progress(programme_office, running)
    assert not permissions.can_post_progress(councillor_dordrecht, running)
    assert not permissions.can_post_progress(official_zwijndrecht, running)


def test_an_official_of_a_full_participant_posts_progress(
    running, core_municipalities, official_papendrecht
):
    make_position(
        running,
        core_municipalities["Papendrecht"],
        "volledig",
        status="bevestigd",
        decision_reference="B-1",
        decision_date=datetime.date(2024, 1, 1),
    )
    response = client_for(official_papendrecht).post(
        reverse("portfolio:progress-add", args=[running.pk]),
        {"date": "2024-11-01", "light": "aandacht", "text": "Werving <b>loopt</b> achter."},
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert (update.author, update.light) == (official_papendrecht, "aandacht")
    assert update.history.first().history_user == official_papendrecht
    page = client_for(official_papendrecht).get(response["Location"]).text
    assert "Werving &lt;b&gt;loopt&lt;/b&gt; achter." in page
    history = client_for(official_papendrecht).get(_history_url(running)).text
    assert "Voortgangsbericht: aangemaakt" in history


def test_a_solidarity_official_gets_403_and_nothing_is_written(
    running, core_municipalities, official_papendrecht
):
    make_position(
        running,
        core_municipalities["Papendrecht"],
        "solidariteit",
        status="bevestigd",
        amount=5000,
        decision_reference="B-2",
        decision_date=datetime.date(2024, 1, 1),
    )
    client = client_for(official_papendrecht)
    for name, args in [
        ("portfolio:progress-add", [running.pk]),
        ("portfolio:milestone-create", [running.pk]),
        ("portfolio:phase-set", [running.pk]),
    ]:
        response = client.post(
            reverse(name, args=args),
            {
                "date": "2024-11-01",
                "light": "risico",
                "text": "x",
                "title": "y",
                "due_date": "2025-01-01",
                "phase": "afgerond",
                "version": "1",
            },
        )
        assert response.status_code == 403, name
    assert not ProgressUpdate.objects.exists() and not Milestone.objects.exists()
    assert Project.objects.get().status == "lopend"
    page = client.get(reverse("portfolio:project-detail", args=[running.pk])).text
    assert "Voortgangsbericht toevoegen" not in page and "Mijlpaal toevoegen" not in page


def test_invalid_progress_answers_200_with_the_form(running, official_dordrecht):
    response = client_for(official_dordrecht).post(
        reverse("portfolio:progress-add", args=[running.pk]), {"light": "paars", "text": ""}
    )
    assert response.status_code == 200
    assert "Er ging iets mis" in response.text
    assert not ProgressUpdate.objects.exists()


def test_the_lead_adds_edits_and_reaches_a_milestone(running, official_dordrecht):
    client = client_for(official_dordrecht)
    response = client.post(
        reverse("portfolio:milestone-create", args=[running.pk]),
        {"title": "Pilot gestart", "due_date": "2025-03-01"},
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get()
    assert (milestone.version, milestone.updated_by) == (1, official_dordrecht)
    response = client.post(
        reverse("portfolio:milestone-edit", args=[running.pk, milestone.pk]),
        {"title": "Pilot gestart in Dordrecht", "due_date": "2025-04-01", "version": "1"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("portfolio:milestone-reached", args=[running.pk, milestone.pk]),
        {"done_on": "2025-04-03", "version": "2"},
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title, milestone.done_on, milestone.version) == (
        "Pilot gestart in Dordrecht",
        datetime.date(2025, 4, 3),
        3,
    )
    page = client.get(_history_url(running)).text
    assert "Mijlpaal ‘Pilot gestart in Dordrecht’: gewijzigd" in page
    assert "Behaald op: — → 3 april 2025" in page


def test_an_old_version_of_a_milestone_is_refused(running, official_dordrecht, programme_office):
    m = progress.add_milestone(programme_office, running, "Plan", datetime.date(2025, 1, 1))
    progress.update_milestone(programme_office, m, "Plan v2", m.due_date, None, m.version)
    with pytest.raises(ConflictError, match="gewijzigd door programmabureau"):
        progress.mark_milestone_reached(official_dordrecht, m, datetime.date(2025, 1, 2), 1)
    response = client_for(official_dordrecht).post(
        reverse("portfolio:milestone-reached", args=[running.pk, m.pk]),
        {"done_on": "2025-01-02", "version": "1"},
    )
    assert response.status_code == 200 and "gewijzigd door programmabureau" in response.text
    assert Milestone.objects.get().done_on is None


def test_the_carriers_move_the_execution_phase(running, official_dordrecht):
    client = client_for(official_dordrecht)
    response = client.post(
        reverse("portfolio:phase-set", args=[running.pk]),
        {"phase": "afgerond", "version": str(running.version)},
    )
    assert response.status_code == 302
    project = Project.objects.get()
    assert (project.status, project.updated_by) == ("afgerond", official_dordrecht)
    page = client.get(_history_url(running)).text
    assert "Fase: gewijzigd" in page and "Lopend → Afgerond" in page


def test_the_register_stays_with_the_office(project, official_dordrecht):
    """An idea is put into execution (and so into the budget) by the programme office only."""
    assert project.status == ProjectStatus.IDEA
    with pytest.raises(DomainError, match="alleen het programmabureau"):
        progress.set_phase(official_dordrecht, project, "lopend", project.version)
    response = client_for(official_dordrecht).post(
        reverse("portfolio:phase-set", args=[project.pk]),
        {"phase": "lopend", "version": str(project.version)},
    )
    assert response.status_code == 200
    assert Project.objects.get().status == ProjectStatus.IDEA
    with pytest.raises(DomainError, match="Kies een fase"):
        running = Project.objects.get()
        running.status = ProjectStatus.RUNNING
        running.save()
        progress.set_phase(official_dordrecht, running, "gestopt", running.version)


def _history_url(project):
    return reverse("portfolio:project-history", args=[project.pk])


def test_carrying_follows_the_confirmed_position_in_force_not_one_officials_submission(
    running, core_municipalities, official_papendrecht
):
    papendrecht = core_municipalities["Papendrecht"]
    client = client_for(official_papendrecht)
    add = reverse("portfolio:progress-add", args=[running.pk])
    post = {"date": "2024-11-01", "light": "op_koers", "text": "Loopt."}
    position = record_position(
        official_papendrecht, running, papendrecht, PositionInput("volledig"), None
    )
    position = change_status(official_papendrecht, position, "ingediend", position.version)
    # One official alone: submitted, not confirmed, so no carrier yet.
    assert client.post(add, post).status_code == 403
    assert not ProgressUpdate.objects.exists()
    position = change_status(
        second_official(papendrecht),
        position,
        "bevestigd",
        position.version,
        "B&W 2024/12",
        datetime.date(2024, 6, 4),
    )
    assert client.post(add, post).status_code == 302
    assert ProgressUpdate.objects.get().author == official_papendrecht
    # A change to "geen" waiting for confirmation leaves the confirmed position carrying.
    record_position(
        official_papendrecht, running, papendrecht, PositionInput("geen"), position.version
    )
    assert permissions.can_post_progress(official_papendrecht, running)


def test_a_submitted_change_to_full_of_a_confirmed_solidarity_carries_nothing_yet(
    running, core_municipalities, official_papendrecht
):
    make_position(
        running,
        core_municipalities["Papendrecht"],
        "volledig",
        status="ingediend",
        in_force_variant="solidariteit",
        in_force_amount=5000,
        in_force_reference="B-2",
        in_force_date=datetime.date(2024, 1, 1),
    )
    assert not permissions.can_post_progress(official_papendrecht, running)


def test_a_conflicting_milestone_edit_names_what_is_stored_not_the_input(
    running, official_dordrecht, programme_office
):
    """A bound model form writes its input into its instance: the conflict's stored value is
    read from a copy, so the page names what the other person saved, beside the field."""
    m = progress.add_milestone(programme_office, running, "Plan", datetime.date(2025, 1, 1))
    progress.update_milestone(programme_office, m, "Plan v2", m.due_date, None, m.version)
    response = client_for(official_dordrecht).post(
        reverse("portfolio:milestone-edit", args=[running.pk, m.pk]),
        {"title": "Mijn titel", "due_date": "2025-01-01", "version": "1"},
    )
    assert response.status_code == 200
    assert "Nu opgeslagen: ‘Plan v2’." in response.text
    assert "Nu opgeslagen: Plan v2." in response.text  # beside the title field
    assert "Nu opgeslagen: ‘Mijn titel’" not in response.text
    assert Milestone.objects.get().title == "Plan v2"
