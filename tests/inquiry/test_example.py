"""INQ-1, INQ-2 as the admin day example shows them: a follow-up with a file, the service."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import TYPE_CHECKING

from omakase_core.accounts import Role
from omakase_core.principal import Principal
from omakase_core.testing import FixedClock, InMemoryOutbox
from tests.inquiry.conftest import jst

if TYPE_CHECKING:
    import pytest

EXAMPLE = Path(__file__).parents[2] / "examples" / "kddi_admin_day.py"


def test_inq_1_the_example_follows_up_with_a_file_while_received_about_a_contracted_service(
    capsys: pytest.CaptureFixture[str],
) -> None:
    follow_up = runpy.run_path(str(EXAMPLE))["follow_up_with_attachment"]
    sato = Principal.customer("tenant-1", user_id="sato@example.co.jp", role=Role.USER)
    follow_up(InMemoryOutbox(), FixedClock(jst(2026, 11, 4, 9, 0)), sato)
    out = capsys.readouterr().out
    assert "refused: INQ-1: service 'au ひかり' is not one of the tenant's contracted" in out
    assert "inquiry inq-2 about KDDI IP-VPN: 受付" in out
    assert "follows up before any answer with ping.csv: still 受付" in out
