"""Every write path of the portfolio leaves a history row naming the acting user."""

import pytest

from portfolio.models import Position, Project, Theme, Variant
from tests.conftest import client_for, make_position

pytestmark = pytest.mark.django_db


def test_queryset_update_is_refused_because_it_skips_history(project, dordrecht):
    make_position(project, dordrecht, Variant.FULL)
    with pytest.raises(TypeError, match="skip the history"):
        Position.objects.update(variant="geen")
    with pytest.raises(TypeError):
        Project.objects.filter(pk=project.pk).update(name="x")
    assert Position.objects.get().variant == "volledig"


def test_admin_change_and_bulk_delete_record_the_admin(admin_user_sd):
    """Where the admin may still write (models without rules of their own, such as themes), the
    history names the admin; positions are read-only there (tests/security/test_admin_rules)."""
    theme = Theme.objects.create(name="Vrije tijd", slug="vrije-tijd", order=9)
    admin = client_for(admin_user_sd)
    data = {"name": "", "slug": "vrije-tijd", "order": "9", "description": ""}
    response = admin.post(f"/beheer/portfolio/theme/{theme.pk}/change/", data)
    # The model's rules hold in the admin too: a theme needs a name.
    assert response.status_code == 200
    assert "Dit veld is verplicht" in response.text
    response = admin.post(
        f"/beheer/portfolio/theme/{theme.pk}/change/", {**data, "name": "Vrije tijd en sport"}
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.name == "Vrije tijd en sport"
    latest = theme.history.first()
    assert latest.history_user == admin_user_sd and latest.name == "Vrije tijd en sport"

    admin.post(
        "/beheer/portfolio/theme/",
        {"action": "delete_selected", "_selected_action": [theme.pk], "post": "yes"},
    )
    assert not Theme.objects.filter(pk=theme.pk).exists()
    deleted = Theme.history.filter(history_type="-", id=theme.pk).get()
    assert deleted.history_user == admin_user_sd


def test_views_record_the_acting_user(project, dordrecht, official_dordrecht, programme_office):
    client_for(official_dordrecht).post(
        f"/projecten/{project.pk}/positie/dordrecht/", {"variant": "volledig"}
    )
    client_for(programme_office).post(
        f"/projecten/{project.pk}/voortgang/",
        {"date": "2024-10-01", "light": "aandacht", "text": "Vertraging"},
    )
    assert Position.history.get().history_user == official_dordrecht
    update = project.updates.get()
    assert update.history.get().history_user == programme_office
    assert update.author == programme_office
