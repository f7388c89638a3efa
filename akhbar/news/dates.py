"""Publication dates a reader or editor may ask for: the years akhbar can compute with.

Python's calendar runs from year 1 to 9999, but a date at either edge overflows
as soon as it is moved to UTC or a day is added to make a range's exclusive end
(``date(9999, 12, 31) + timedelta(days=1)`` raises ``OverflowError``). Every
place that turns a reader's or editor's input into a date (search filters,
sitemap months, the admin article list) checks it against :data:`YEARS` first
and answers "bad request" / "not found" / a form error instead of a 500.
"""

from __future__ import annotations

from datetime import date

#: Years whose dates survive a move to UTC and a day added: 2 to 9998 inclusive.
YEARS = range(2, 9999)


def in_calendar(day: date | int) -> bool:
    """True when ``day`` (a ``date``/``datetime`` or a year as ``int``) lies in :data:`YEARS`."""
    year = day if isinstance(day, int) else day.year
    return year in YEARS
