"""The chair rules of the regiekamers: chosen by their own members, a member, never Dordrecht for
the ambtelijke regiekamer, never overlapping terms."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from smartdelta.errors import DomainError
from smartdelta.models import Organisation, User
from tables.chairs import check_chair_term, schedule_chair
from tables.models import ChairTerm, Regiekamer

D = datetime.date


def _secretary(slug):
    return User(
        username=f"secretaris-{slug}",
        organisation=Organisation(name=slug.title(), slug=slug),
        is_ambtelijke_regiekamer=True,
    )


def _term(user, start, end):
    return ChairTerm(user=user, valid_from=start, valid_until=end)


AMBTELIJK = Regiekamer(kind="ambtelijk")


def test_dordrecht_never_chairs():
    with pytest.raises(DomainError, match="Dordrecht levert nooit de voorzitter"):
        check_chair_term(AMBTELIJK, _secretary("dordrecht"), D(2026, 1, 1), D(2026, 12, 31), [])


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2026, 6, 1), D(2027, 5, 31)),  # starts inside
        (D(2025, 6, 1), D(2026, 1, 1)),  # ends on the first day
        (D(2025, 1, 1), D(2027, 12, 31)),  # encloses
        (D(2026, 12, 31), D(2026, 12, 31)),  # the last day alone
    ],
)
def test_overlapping_terms_are_refused(start, end):
    existing = [_term(_secretary("zwijndrecht"), D(2026, 1, 1), D(2026, 12, 31))]
    with pytest.raises(DomainError, match="overlapt met die van secretaris-zwijndrecht"):
        check_chair_term(AMBTELIJK, _secretary("papendrecht"), start, end, existing)


def test_adjacent_terms_are_fine():
    existing = [_term(_secretary("zwijndrecht"), D(2026, 1, 1), D(2026, 12, 31))]
    check_chair_term(AMBTELIJK, _secretary("papendrecht"), D(2027, 1, 1), D(2027, 12, 31), existing)
    check_chair_term(AMBTELIJK, _secretary("papendrecht"), D(2025, 1, 1), D(2025, 12, 31), existing)


def test_end_before_start_and_non_secretary_are_refused():
    with pytest.raises(DomainError, match="vóór de begindatum"):
        check_chair_term(AMBTELIJK, _secretary("sliedrecht"), D(2026, 2, 1), D(2026, 1, 1), [])
    mayor = User(username="burgemeester", organisation=Organisation(slug="sliedrecht"))
    with pytest.raises(DomainError, match="rouleert onder de gemeentesecretarissen"):
        check_chair_term(AMBTELIJK, mayor, D(2026, 1, 1), D(2026, 12, 31), [])


def test_schedule_chair_saves_with_history_and_refuses_overlap(
    ambtelijk, secretary_zwijndrecht, secretary_alblasserdam
):
    term = schedule_chair(
        secretary_alblasserdam, ambtelijk, secretary_zwijndrecht, D(2026, 1, 1), D(2026, 12, 31)
    )
    assert term.history.get().history_user == secretary_alblasserdam
    term.refresh_from_db()
    assert (term.version, term.updated_by) == (1, secretary_alblasserdam)
    with pytest.raises(DomainError, match="overlapt"):
        schedule_chair(
            secretary_zwijndrecht, ambtelijk, secretary_alblasserdam, D(2026, 7, 1), D(2027, 6, 30)
        )
    assert ChairTerm.objects.count() == 1
    assert list(ChairTerm.objects.on(D(2026, 3, 1))) == [term]
    assert not ChairTerm.objects.on(D(2027, 3, 1)).exists()


def test_schedule_chair_refuses_dordrecht_and_anyone_but_the_members(
    regiekamers, programme_office, secretary_dordrecht, secretary_zwijndrecht, mayor_dordrecht
):
    """Seed 004: "Regie op de bestuurlijke samenwerking tussen zeven gemeenten is de
    verantwoordelijkheid van de zeven": each regiekamer's members choose their chair; the
    programme office and the members of the other regiekamer do not."""
    ambtelijk, bestuurlijk = regiekamers["ambtelijk"], regiekamers["bestuurlijk"]
    with pytest.raises(DomainError, match="Dordrecht"):
        schedule_chair(
            secretary_zwijndrecht, ambtelijk, secretary_dordrecht, D(2026, 1, 1), D(2026, 12, 31)
        )
    for outsider in (programme_office, mayor_dordrecht):
        with pytest.raises(DomainError, match="Alleen de leden van de Ambtelijke regiekamer"):
            schedule_chair(
                outsider, ambtelijk, secretary_zwijndrecht, D(2026, 1, 1), D(2026, 12, 31)
            )
    with pytest.raises(DomainError, match="Alleen de leden van de Bestuurlijke regiekamer"):
        schedule_chair(
            secretary_zwijndrecht, bestuurlijk, mayor_dordrecht, D(2026, 1, 1), D(2026, 12, 31)
        )
    # The bestuurlijke regiekamer's chair is one of its members, chosen by them.
    with pytest.raises(DomainError, match="een van haar leden"):
        schedule_chair(
            mayor_dordrecht, bestuurlijk, secretary_zwijndrecht, D(2026, 1, 1), D(2026, 12, 31)
        )
    assert not ChairTerm.objects.exists()
    term = schedule_chair(
        mayor_dordrecht, bestuurlijk, mayor_dordrecht, D(2026, 1, 1), D(2026, 12, 31)
    )
    assert (term.regiekamer, term.user, term.updated_by) == (
        bestuurlijk,
        mayor_dordrecht,
        mayor_dordrecht,
    )


def test_database_refuses_a_term_ending_before_it_starts(ambtelijk, secretary_zwijndrecht):
    with pytest.raises(IntegrityError), transaction.atomic():
        ChairTerm.objects.create(
            regiekamer=ambtelijk,
            user=secretary_zwijndrecht,
            valid_from=D(2026, 2, 1),
            valid_until=D(2026, 1, 1),
        )
