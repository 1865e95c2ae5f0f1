"""The administrator's day shows ACC-4's first setup and ACC-11's user management."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pytest

EXAMPLE = Path(__file__).parents[2] / "examples" / "kddi_admin_day.py"


def test_acc_11_the_admin_day_resends_sets_a_temporary_password_and_changes_a_role(
    capsys: pytest.CaptureFixture[str],
) -> None:
    runpy.run_path(str(EXAMPLE), run_name="__main__")
    out = capsys.readouterr().out
    assert "管理者 山田 is 未設定 until their own setup (ACC-4)" in out
    assert "the setup link was valid until 2026年11月8日(日) 24:00" in out
    assert "山田 resends the setup mail: link 2, valid until 2026年11月15日(日) 24:00" in out
    assert "the old link no longer works (ACC-11)" in out
    assert "must change at login = True" in out
    assert "佐藤 changes it: must change at login = False" in out
    assert "佐藤 is now 管理者" in out
    assert "Temp-1102-ab" not in out
    assert out.count("✉ 【My KDDI Biz 総合】初期設定のお願い") == 3
