"""The calendar bounds every date input is checked against."""

from datetime import date, datetime, timedelta

import pytest

from akhbar.news.dates import YEARS, in_calendar


@pytest.mark.parametrize("year", [2, 1000, 2026, 9998])
def test_years_that_survive_utc_and_a_day_added(year):
    assert in_calendar(year) and in_calendar(date(year, 1, 1)) and in_calendar(datetime(year, 12, 31, 23, 59))
    date(year, 12, 31) + timedelta(days=1)  # the exclusive end of a range ending that year


@pytest.mark.parametrize("year", [0, 1, 9999, 10000, -5])
def test_edge_years_are_outside(year):
    assert not in_calendar(year)


def test_bounds_are_the_calendars_edges_minus_one():
    assert (YEARS.start, YEARS.stop - 1) == (2, 9998)
    with pytest.raises(OverflowError):
        date(9999, 12, 31) + timedelta(days=1)
