"""SUB-3(b): a submission deadline (提出締切日) the operator sets is not in the past.

The trial set 2020-01-01 and it was kept. A deadline before the JST day of the command is
refused naming ``deadline`` and SUB-3, and explained with the portal's word; the day itself
and later days are accepted.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from omakase_core import ValidationError
from omakase_core.calendar import JST
from omakase_core.submission import DocumentKind
from tests.submission.conftest import OPERATOR as OP
from tests.submission.conftest import T0, Portal

K = DocumentKind


@pytest.mark.parametrize("deadline", [date(2020, 1, 1), date(2025, 4, 1)])
def test_sub_3_a_deadline_before_the_command_s_day_is_refused(
    portal: Portal, deadline: date
) -> None:
    portal.new_installation()
    before = portal.snapshot()
    with pytest.raises(ValidationError) as raised:
        portal.service.set_deadline("app-1", K.FAULT_CONTACTS, deadline, by=OP)
    assert (raised.value.field, raised.value.rule) == ("deadline", "SUB-3")
    assert "「提出締切日」" in raised.value.explain("ja")
    assert portal.snapshot() == before


def test_sub_3_the_deadline_is_compared_with_the_command_s_jst_day(portal: Portal) -> None:
    portal.new_installation()
    portal.clock.set(datetime(2025, 4, 3, 0, 30, tzinfo=JST))  # 2025-04-02 15:30 UTC
    with pytest.raises(ValidationError):
        portal.service.set_deadline("app-1", K.FAULT_CONTACTS, date(2025, 4, 2), by=OP)


@pytest.mark.parametrize("deadline", [T0.date(), date(2025, 4, 3), date(2026, 1, 1)])
def test_sub_3_a_deadline_today_or_later_is_set(portal: Portal, deadline: date) -> None:
    portal.new_installation()
    application = portal.service.set_deadline("app-1", K.FAULT_CONTACTS, deadline, by=OP)
    assert application.document(K.FAULT_CONTACTS).deadline == deadline
