"""The public API's types, as a caller's type checker sees them (checked by ``nox -s typecheck``).

``typing.assert_type`` does nothing at run time; mypy --strict fails the type check when a
public function's declared type drifts.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_type

from omakase_core import JST, LIFECYCLES, Actor, BusinessCalendar, Lifecycle, period_end
from omakase_core.contract import CONTRACT_LIFECYCLE, ContractStatus, termination_timeline
from omakase_core.id_change import Decision, Service, Target, decide
from omakase_core.ocn import mail_monthly_fee
from omakase_core.submission import SubmissionStatus, first_billing_month


def test_the_public_functions_have_the_declared_types() -> None:
    cal = BusinessCalendar.japan()
    start = datetime(2026, 11, 1, 10, 0, tzinfo=JST)
    assert_type(cal.add_business_days(date(2026, 5, 1), 1), date)
    assert_type(cal.last_business_days(2026, 5, 4), tuple[date, ...])
    assert_type(cal.in_last_business_days(start, 4), bool)
    assert_type(period_end(start, days=14), datetime)
    assert_type(termination_timeline(start).purge_at, datetime)
    assert_type(CONTRACT_LIFECYCLE, Lifecycle[ContractStatus])
    assert_type(
        CONTRACT_LIFECYCLE.fire(
            ContractStatus.ACTIVE, "request_termination", actor=Actor.CONTRACTOR
        ),
        ContractStatus,
    )
    assert_type(
        decide(Service.EMM, target=Target.NEXT_MONTH, submitted_at=start, delta=1), Decision
    )
    assert_type(mail_monthly_fee(accounts=2, virus_checks=1), int)
    assert_type(first_billing_month(date(2026, 4, 1)), date)
    assert_type(SubmissionStatus.ACCEPTED.label, str)
    assert len(LIFECYCLES) == 18  # the installed site joined (SUB-5)
