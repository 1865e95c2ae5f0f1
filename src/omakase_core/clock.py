"""The production clock: the one place in the library that reads the system clock (PORT-4).

Everything else takes time as an argument or from a :class:`~omakase_core.ports.Clock`;
``tests/test_no_clock.py`` allows a clock read in this module only. Tests use
:class:`omakase_core.testing.FixedClock` instead.

>>> from omakase_core import JST, SystemClock
>>> SystemClock().now().tzinfo is JST
True
"""

from __future__ import annotations

from datetime import datetime

import attrs

from omakase_core.calendar import JST

__all__ = ["SystemClock"]


@attrs.frozen
class SystemClock:
    """A :class:`~omakase_core.ports.Clock` reading the system's wall clock, in JST (PORT-4).

    Stateless, frozen and picklable: one instance may be shared by threads and sent to
    worker processes. Every instance is equal to every other.
    """

    def now(self) -> datetime:
        """Return the current instant as an aware datetime in JST (CAL-1)."""
        return datetime.now(JST)
