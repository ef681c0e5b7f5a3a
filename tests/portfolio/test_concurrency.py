"""Lost updates: two officials saving the same position at once (real transactions)."""

import threading

import pytest
from django.db import connection

from portfolio.models import Position, Variant
from portfolio.positions import PositionInput, record_position
from smartdelta.errors import ConflictError
from tests.conftest import make_position

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent transactions need PostgreSQL's row locks (CI runs this on PostgreSQL)",
)


@pytest.mark.django_db(transaction=True)
def test_same_version_saved_twice_at_once_exactly_one_wins(
    project, dordrecht, official_dordrecht, programme_office
):
    make_position(project, dordrecht, Variant.FULL)
    barrier = threading.Barrier(2)
    outcomes = []

    def save(user, position):
        try:
            barrier.wait(timeout=5)
            record_position(user, project, dordrecht, position, seen_version=1)
            outcomes.append(("saved", user.username))
        except ConflictError as error:
            outcomes.append(("conflict", str(error)))
        except Exception as error:  # recorded so the assertion shows it
            outcomes.append(("error", repr(error)))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(official_dordrecht, PositionInput(Variant.NONE))),
        threading.Thread(
            target=save, args=(programme_office, PositionInput(Variant.SOLIDARITY, share=5))
        ),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)

    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["conflict", "saved"], outcomes
    winner = next(who for kind, who in outcomes if kind == "saved")
    stored = Position.objects.get()
    assert stored.version == 2 and stored.updated_by.username == winner
    assert stored.history.count() == 2
