"""examples/ocn_mail_plan.py shows a rename, a virus check switched off and a closing 廃止."""

from __future__ import annotations

import pathlib
import runpy
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pytest

EXAMPLE = pathlib.Path(__file__).parents[2] / "examples" / "ocn_mail_plan.py"


def test_ocn_5_the_example_renames_switches_off_and_closes_the_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """OCN-1, OCN-2, OCN-4, OCN-5 as the example prints them; the password never shows."""
    runpy.run_path(str(EXAMPLE), run_name="__main__")
    out = capsys.readouterr().out
    renamed = "accounts ('abcdefg@arrow.ocn.ne.jp', 'opqrstu@dune.ocn.ne.jp'), virus checks"
    assert f"{renamed} ('opqrstu',)\n  monthly fee now ¥450 (tax excluded)" in out
    assert "switched off (利用しない):\n" in out
    assert f"{renamed} ('abcdefg',)\n  monthly fee now ¥450 (tax excluded)" in out
    assert "✉ 【OCN】メールアカウント・ウイルスチェックサービスのお申込み内容 → abcdefg@" in out
    assert "submitted for 2026-12-31: 廃止受付完了" in out
    assert "✉ 【OCN】廃止申込み受付完了のお知らせ → dummy@example.co.jp" in out
    assert "廃止完了; can still log in: False; monthly fee ¥0" in out
    assert "Kq7-mail!" not in out
