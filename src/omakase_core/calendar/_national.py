"""Japan's national holidays for the supported years (CAL-2, CAL-8).

The dates come from the ``holidays`` package (country "JP", Japanese names): 国民の祝日,
振替休日 and 国民の休日 as the Cabinet Office publishes them, plus computed equinoxes for
the years the official list does not cover yet. The tests hold them against the Cabinet
Office's CSV and against ``jpholiday`` day by day.

The table is built on first use, not at import time, and shared by every calendar.
"""

from __future__ import annotations

import functools
from types import MappingProxyType
from typing import TYPE_CHECKING

from omakase_core.calendar._jst import FIRST_YEAR, LAST_YEAR

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date

__all__ = ["national_holidays"]


@functools.cache
def national_holidays() -> Mapping[date, str]:
    """Return every national holiday from 1955 to 2099, date → Japanese name (CAL-8)."""
    import holidays  # noqa: PLC0415  # deferred: it costs ~70 ms and is needed only here

    table = holidays.country_holidays("JP", years=range(FIRST_YEAR, LAST_YEAR + 1), language="ja")
    return MappingProxyType(dict(sorted(table.items())))
