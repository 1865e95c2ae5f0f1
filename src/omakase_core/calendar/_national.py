"""Japan's national holidays for the supported years (CAL-2, CAL-8).

The dates and names are read from ``_table.py``, a table generated from the ``holidays``
package (country "JP", Japanese names): 国民の祝日, 振替休日 and 国民の休日 as the Cabinet
Office publishes them, plus computed equinoxes for the years the official list does not
cover yet. The tests hold the table against ``holidays``, the Cabinet Office's CSV and
``jpholiday`` day by day.

Decision: the table is shipped instead of built with ``holidays`` on first use, which cost
a fresh process ~100 ms (importing ``holidays`` and computing 145 years of rules) before its
first deadline. The supported years are exactly the table's years, so ``holidays`` is never
consulted at run time.
"""

from __future__ import annotations

import functools
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING

from omakase_core.calendar._table import HOLIDAYS

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["holiday_ordinals", "national_holidays"]


@functools.cache
def national_holidays() -> Mapping[date, str]:
    """Return every national holiday from 1955 to 2099, date → Japanese name (CAL-8)."""
    fromisoformat = date.fromisoformat
    return MappingProxyType({fromisoformat(line[:10]): line[11:] for line in HOLIDAYS.splitlines()})


def holiday_ordinals() -> list[int]:
    """Return the proleptic ordinals of every national holiday, 1955-2099 (CAL-2)."""
    return [day.toordinal() for day in national_holidays()]
