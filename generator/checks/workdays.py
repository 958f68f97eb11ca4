"""Working days on the official calendar of the People's Republic of China.

Uses ``chinese_calendar``, which follows the State Council's yearly holiday notices, make-up
working days (调休) included, and is updated each year when the next notice is issued. Years it does
not yet cover cannot be counted; callers skip the check then rather than guess.
"""

from __future__ import annotations

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
