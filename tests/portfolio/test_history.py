"""Every write path of the portfolio leaves a history row naming the acting user."""

import pytest

from portfolio.models import Commitment, Project, Variant
from tests.conftest import client_for, make_commitment

pytestmark = pytest.mark.django_db


def test_queryset_update_is_refused_because_it_skips_history(project, dordrecht):
    make_commitment(project, dordrecht, Variant.FULL)
    with pytest.raises(TypeError, match="skip the history"):
        Commitment.objects.update(variant="geen")
    with pytest.raises(TypeError):
        Project.objects.filter(pk=project.pk).update(name="x")
    assert Commitment.objects.get().variant == "volledig"


def test_admin_change_and_bulk_delete_record_the_admin(project, dordrecht, admin_user_sd):
    c = make_commitment(project, dordrecht, Variant.FULL)
    admin = client_for(admin_user_sd)
    response = admin.post(
        f"/beheer/portfolio/commitment/{c.pk}/change/",
        {
            "project": project.pk,
            "organisation": dordrecht.pk,
            "variant": "solidariteit",
            "entry_payment": "eenmalig",
            "status": "concept",
            "amount": "",
            "share": "",
            "knowledge": "",
            "note": "",
            "decision_reference": "",
        },
    )
    # The model's rules hold in the admin too: solidarity without money is refused.
    assert response.status_code == 200
    assert "bedrag of een aandeel verplicht" in response.text
    response = admin.post(
        f"/beheer/portfolio/commitment/{c.pk}/change/",
        {
            "project": project.pk,
            "organisation": dordrecht.pk,
            "variant": "solidariteit",
            "entry_payment": "eenmalig",
            "status": "concept",
            "amount": "2500",
            "share": "",
            "knowledge": "",
            "note": "",
            "decision_reference": "",
        },
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert (c.variant, c.version, c.updated_by) == ("solidariteit", 2, admin_user_sd)
    latest = c.history.first()
    assert latest.history_user == admin_user_sd and latest.amount == 2500

    admin.post(
        "/beheer/portfolio/commitment/",
        {"action": "delete_selected", "_selected_action": [c.pk], "post": "yes"},
    )
    assert not Commitment.objects.exists()
    deleted = Commitment.history.filter(history_type="-").get()
    assert deleted.history_user == admin_user_sd


def test_views_record_the_acting_user(project, dordrecht, official_dordrecht, programme_office):
    client_for(official_dordrecht).post(
        f"/projecten/{project.pk}/positie/dordrecht/", {"variant": "volledig"}
    )
    client_for(programme_office).post(
        f"/projecten/{project.pk}/voortgang/",
        {"date": "2024-10-01", "light": "aandacht", "text": "Vertraging"},
    )
    assert Commitment.history.get().history_user == official_dordrecht
    update = project.updates.get()
    assert update.history.get().history_user == programme_office
    assert update.author == programme_office
