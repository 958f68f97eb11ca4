"""Working days on the official calendar of the People's Republic of China, and calendar months.

Uses ``chinese_calendar``, which follows the State Council's yearly holiday notices, make-up
working days (调休) included, and is updated each year when the next notice is issued. Years it does
not yet cover cannot be counted; callers skip the check then rather than guess.
"""

from __future__ import annotations

import calendar
from datetime import date
from functools import lru_cache

import chinese_calendar

TIME_LIMIT_WORKING_DAYS = 20  # 2019 regulation, Art. 26


@lru_cache(maxsize=65536)
def working_days_after(start: date, end: date) -> int | None:
    """Working days after ``start`` up to and including ``end``; None outside the known calendar."""
    if end <= start:
        return 0
    try:
        return len(chinese_calendar.get_workdays(start, end)) - (
            1 if chinese_calendar.is_workday(start) else 0
        )
    except NotImplementedError:
        return None


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later (earlier when negative); that month's last
    day when it is shorter (2024-08-31 plus 6 months is 2025-02-28)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
