"""The arithmetic of contributions, without the database."""

import datetime
import random
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finance import allocation as a

CENT = D("0.01")

amounts = st.decimals(min_value=0, max_value=D("99999999.99"), places=2, allow_nan=False)
inhabitant_maps = st.dictionaries(
    st.text(alphabet="abcdefghij", min_size=1, max_size=6),
    st.integers(min_value=1, max_value=1_000_000),
    min_size=1,
    max_size=12,
)


@given(amounts, inhabitant_maps)
def test_shares_add_up_to_the_cent_and_are_never_negative(total, inhabitants):
    shares = a.largest_remainder(total, inhabitants)
    assert sum(shares.values()) == total
    assert all(share >= 0 for share in shares.values())
    assert all(share == share.quantize(CENT) for share in shares.values())


@given(amounts, inhabitant_maps, st.randoms(use_true_random=False))
def test_shares_do_not_depend_on_the_order_of_municipalities(total, inhabitants, rnd):
    items = list(inhabitants.items())
    rnd.shuffle(items)
    assert a.largest_remainder(total, dict(items)) == a.largest_remainder(total, inhabitants)


@given(amounts, inhabitant_maps)
def test_each_share_is_within_a_cent_of_its_exact_part(total, inhabitants):
    shares = a.largest_remainder(total, inhabitants)
    weight = sum(inhabitants.values())
    for key, share in shares.items():
        exact = total * inhabitants[key] / weight
        assert abs(share - exact) < CENT


def test_the_leftover_cents_go_to_the_largest_remainders():
    # 100.00 over three equal parties: 33.33 each and one cent left; ties are broken by key.
    assert a.largest_remainder(D("100"), {"b": 1, "a": 1, "c": 1}) == {
        "a": D("33.34"),
        "b": D("33.33"),
        "c": D("33.33"),
    }
    # 10.00 by 1:2 -> 3.333.. and 6.666..: the larger remainder (6.666..) gets the cent.
    assert a.largest_remainder(D("10"), {"x": 1, "y": 2}) == {"x": D("3.33"), "y": D("6.67")}


def test_zero_weights_get_nothing_and_refuse_a_total_with_nobody_to_pay():
    assert a.largest_remainder(D("0"), {"a": 0}) == {"a": D("0.00")}
    with pytest.raises(ValueError):
        a.largest_remainder(D("5"), {"a": 0})
    with pytest.raises(ValueError):
        a.largest_remainder(D("5"), {"a": -1})


@given(amounts, st.integers(min_value=2000, max_value=2040), st.integers(min_value=0, max_value=8))
def test_an_amount_spread_over_years_adds_up(amount, first, extra_years):
    years = a.spread_over_years(amount, first, first + extra_years)
    assert sorted(years) == list(range(first, first + extra_years + 1))
    assert sum(years.values()) == amount


def test_what_the_seven_cover_and_its_split_over_components():
    budget = a.BaseBudget(
        component_lines={1: D("1400000"), 2: D("3600000")},
        other_financing=D("290000"),
        carried_over=D("140000"),
    )
    assert budget.to_cover == D("4850000.00")
    assert a.to_cover_by_component(budget) == {1: D("1358000.00"), 2: D("3492000.00")}
    surplus = a.BaseBudget({1: D("100"), 2: D("0")}, D("0"), D("-150"))
    assert surplus.to_cover == D("0.00"), "a surplus larger than the budget is not paid out"


# --- Component 3 ------------------------------------------------------------------------------

INHABITANTS = {"alb": 20087, "dor": 122089, "pap": 32174, "sli": 26270}


def project(positions, cost="300000", key=a.INHABITANTS, first=2024, last=2024):
    return a.ProjectCost(
        key="p",
        cost=D(cost),
        sharing_key=key,
        first_year=first,
        last_year=last,
        positions=tuple(positions),
    )


def full(party, **kw):
    return a.Position(party=party, variant=a.FULL, is_core=True, **kw)


def test_full_participants_share_by_inhabitants_after_solidarity_entry_and_partners():
    p = project(
        [
            full("dor"),
            full("pap"),
            a.Position("sli", a.SOLIDARITY, True, amount=D("15000")),
            a.Position(
                "alb", a.ENTRY, True, amount=D("5000"), entry_date=datetime.date(2024, 7, 1)
            ),
            a.Position("school", a.FULL, False, amount=D("50000")),
        ]
    )
    result = a.allocate_project(p, 2024, INHABITANTS)
    rest = D("300000") - D("15000") - D("5000") - D("50000")
    assert result.payments["sli"] == D("15000.00")
    assert result.payments["alb"] == D("5000.00")
    assert result.payments["school"] == D("50000.00")
    assert result.payments["dor"] + result.payments["pap"] == rest
    assert abs(result.payments["dor"] - rest * 122089 / (122089 + 32174)) < CENT
    assert result.gap == 0 and result.covered == D("300000.00")


def test_without_full_participants_the_rest_is_a_visible_gap():
    p = project(
        [a.Position("sli", a.SOLIDARITY, True, share=D("10")), a.Position("pap", a.NONE, True)]
    )
    result = a.allocate_project(p, 2024, INHABITANTS)
    assert result.payments == {"sli": D("30000.00")}
    assert result.gap == D("270000.00")
    assert result.variants["pap"] == a.NONE and "pap" not in result.payments


def test_percentages_below_100_leave_a_gap_and_equal_key_splits_evenly():
    p = project([full("dor", share=D("60")), full("pap", share=D("30"))], key=a.PERCENTAGES)
    result = a.allocate_project(p, 2024, INHABITANTS)
    assert result.payments == {"dor": D("180000.00"), "pap": D("90000.00")}
    assert result.gap == D("30000.00")
    equal = a.allocate_project(
        project([full("dor"), full("pap"), full("sli")], cost="100", key=a.EQUAL), 2024, INHABITANTS
    )
    assert equal.payments == {"dor": D("33.34"), "pap": D("33.33"), "sli": D("33.33")}


def test_costs_fall_evenly_over_the_years_and_the_entry_fee_in_its_year():
    positions = [
        full("dor"),
        a.Position("alb", a.ENTRY, True, amount=D("9000"), entry_date=datetime.date(2025, 3, 1)),
    ]
    p = project(positions, cost="300000", first=2024, last=2026)
    by_year = {
        year: a.allocate_project(p, year, INHABITANTS) for year in (2023, 2024, 2025, 2026, 2027)
    }
    assert by_year[2023] is None and by_year[2027] is None
    assert [by_year[y].year_cost for y in (2024, 2025, 2026)] == [D("100000.00")] * 3
    assert by_year[2024].payments == {"dor": D("100000.00")}
    assert by_year[2025].payments == {"alb": D("9000.00"), "dor": D("91000.00")}


def test_withdrawn_positions_pay_nothing_and_more_than_the_cost_is_a_surplus():
    p = project(
        [
            a.Position("sli", a.SOLIDARITY, True, amount=D("400000"), withdrawn=True),
            a.Position("pap", a.SOLIDARITY, True, amount=D("350000")),
            full("dor"),
        ]
    )
    result = a.allocate_project(p, 2024, INHABITANTS)
    assert "sli" not in result.payments
    assert result.payments["dor"] == D("0.00")
    assert result.surplus == D("50000.00")


positions_strategy = st.lists(
    st.tuples(
        st.sampled_from(sorted(INHABITANTS) + ["school", "bedrijf"]),
        st.sampled_from([a.FULL, a.SOLIDARITY, a.ENTRY, a.NONE]),
        st.one_of(st.none(), amounts),
        st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=3)),
        st.booleans(),
    ),
    max_size=8,
    unique_by=lambda t: t[0],
)


@settings(max_examples=200)
@given(amounts, positions_strategy, st.sampled_from([a.EQUAL, a.INHABITANTS, a.PERCENTAGES]))
def test_a_project_is_always_paid_gapped_or_over_committed_to_the_cent(cost, raw, key):
    positions = [
        a.Position(
            party,
            variant,
            party in INHABITANTS,
            amount=amount,
            share=share,
            entry_date=datetime.date(2024, 5, 1) if variant == a.ENTRY else None,
            withdrawn=withdrawn,
        )
        for party, variant, amount, share, withdrawn in raw
    ]
    result = a.allocate_project(project(positions, cost=str(cost), key=key), 2024, INHABITANTS)
    assert all(v >= 0 for v in result.payments.values())
    assert result.gap >= 0 and result.surplus >= 0
    assert result.covered + result.gap - result.surplus == cost
    shuffled = positions[:]
    random.Random(1).shuffle(shuffled)
    again = a.allocate_project(project(shuffled, cost=str(cost), key=key), 2024, INHABITANTS)
    assert again.payments == result.payments and again.gap == result.gap


def test_index_amount_rounds_to_cents():
    assert a.index_amount(D("300000"), D("2.5")) == D("307500.00")
    assert a.index_amount(D("0.01"), D("50")) == D("0.02")
    assert a.rate_per_inhabitant(D("4850000"), INHABITANTS) == (
        D("4850000") / sum(INHABITANTS.values())
    ).quantize(D("0.0001"))
