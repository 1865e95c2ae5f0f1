"""Japanese business calendar, JST handling and Civil Code periods (CAL-1 … CAL-9).

Everything here is a pure function of its arguments: nothing reads the system clock.
Instants are aware datetimes converted to JST; calendar days are ``datetime.date``.

SEC-2: bad input is refused with an ``OmakaseError`` naming the public parameter, never a
raw ``OverflowError`` or ``AttributeError`` and never silently: an instant beyond what JST
can hold (``datetime.max`` in UTC), ``None`` or text for a day, a language other than
``"ja"``/``"en"`` (no fallback to English), a number of thousands of digits. Messages show
at most a short excerpt of the value.
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
