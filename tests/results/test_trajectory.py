"""The trajectory marker of issue 27 ("A measurement behind the trajectory to its target is
marked"): pure functions, no database."""

import datetime
from decimal import Decimal as D

from results import trajectory

d = datetime.date
# Seed 001: "van 800 naar 1500 woningen per jaar"; eight years to go, 87,5 a year.
BASELINE = (d(2022, 12, 31), D("800"))
TARGETS = [(d(2030, 12, 31), D("1500"))]


def test_the_line_runs_from_the_baseline_to_the_target():
    assert trajectory.trajectory_value(BASELINE, TARGETS, d(2022, 12, 31)) == D("800")
    assert trajectory.trajectory_value(BASELINE, TARGETS, d(2030, 12, 31)) == D("1500")
    halfway = trajectory.trajectory_value(BASELINE, TARGETS, d(2026, 12, 31))
    assert abs(halfway - D("1150")) < D("0.5")


def test_below_the_line_is_behind_when_higher_is_better():
    on = d(2024, 12, 31)  # the line is at about 975
    assert trajectory.is_behind("hoger", BASELINE, TARGETS, on, D("960"))
    assert not trajectory.is_behind("hoger", BASELINE, TARGETS, on, D("980"))


def test_above_the_line_is_behind_when_lower_is_better():
    baseline, targets = (d(2024, 1, 1), D("100")), [(d(2026, 1, 1), D("50"))]
    on = d(2025, 1, 1)  # the line is at about 75
    assert trajectory.is_behind("lager", baseline, targets, on, D("80"))
    assert not trajectory.is_behind("lager", baseline, targets, on, D("70"))


def test_a_passed_target_starts_the_line_to_the_next():
    targets = [(d(2024, 12, 31), D("1000")), (d(2030, 12, 31), D("1500"))]
    assert trajectory.trajectory_value(BASELINE, targets, d(2024, 12, 31)) == D("1000")
    # after 2024 the line runs from 1000 to 1500, not from 800
    assert trajectory.trajectory_value(BASELINE, targets, d(2027, 12, 31)) > D("1200")
    assert trajectory.is_behind("hoger", BASELINE, targets, d(2027, 12, 31), D("1200"))


def test_after_the_last_target_the_target_itself_is_the_bar_and_without_targets_nothing_is_marked():
    assert trajectory.is_behind("hoger", BASELINE, TARGETS, d(2031, 6, 1), D("1499"))
    assert not trajectory.is_behind("hoger", BASELINE, TARGETS, d(2031, 6, 1), D("1500"))
    assert not trajectory.is_behind("hoger", BASELINE, [], d(2024, 1, 1), D("0"))


def test_trend_and_next_target():
    assert trajectory.trend("hoger", D("910"), D("960")) == "beter"
    assert trajectory.trend("lager", D("910"), D("960")) == "slechter"
    assert trajectory.trend("hoger", D("960"), D("960")) == "gelijk"
    assert trajectory.trend("hoger", None, D("960")) == ""
    targets = [(d(2024, 12, 31), D("1000")), (d(2030, 12, 31), D("1500"))]
    assert trajectory.next_target(targets, d(2025, 1, 1)) == targets[1]
    assert trajectory.next_target(targets, d(2031, 1, 1)) == targets[1]
    assert trajectory.next_target([], d(2025, 1, 1)) is None


def test_parts_difference():
    assert trajectory.parts_difference(D("910"), [D("420"), D("490")]) == 0
    assert trajectory.parts_difference(D("910"), [D("420"), D("480")]) == D("-10")
    assert trajectory.parts_difference(D("910"), []) == 0
