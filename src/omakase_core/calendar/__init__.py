"""Japanese business calendar, JST handling and Civil Code periods (CAL-1 … CAL-9).

Everything here is a pure function of its arguments: nothing reads the system clock.
Instants are aware datetimes converted to JST; calendar days are ``datetime.date``.
"""

from omakase_core.calendar._business import BusinessCalendar
from omakase_core.calendar._jst import FIRST_YEAR, JST, LAST_YEAR, to_jst
from omakase_core.calendar._periods import (
    Deadline,
    explain_period_end,
    format_date,
    format_deadline,
    format_instant,
    period_end,
)

__all__ = [
    "FIRST_YEAR",
    "JST",
    "LAST_YEAR",
    "BusinessCalendar",
    "Deadline",
    "explain_period_end",
    "format_date",
    "format_deadline",
    "format_instant",
    "period_end",
    "to_jst",
]
