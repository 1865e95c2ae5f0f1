"""Every script in examples/ runs to completion and prints what it promises."""

from __future__ import annotations

import pathlib
import runpy

import pytest

EXAMPLES = sorted((pathlib.Path(__file__).parent.parent / "examples").glob("*.py"))


def test_there_are_examples() -> None:
    assert EXAMPLES


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda path: path.name)
def test_the_example_runs(script: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(script), run_name="__main__")
    assert capsys.readouterr().out.strip()


def test_the_calendar_tour_shows_the_rulebook_answers(capsys: pytest.CaptureFixture[str]) -> None:
    """CAL-3, CAL-4, CAL-6 and CAL-7 answers as the tour prints them."""
    runpy.run_path(str(EXAMPLES[0].parent / "calendar_tour.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert (
        "May 2026, the last 4 business days: 2026年5月26日(火), 2026年5月27日(水), "
        "2026年5月28日(木), 2026年5月29日(金)"
    ) in out
    assert "2026-05-25T18:00:00+09:00 is before the window" in out
    assert "2026-05-30T11:00:00+09:00 is inside the window" in out
    assert "2026-05-25T15:30:00+00:00 is inside the window" in out
    assert "Reinstatement possible until: 2026年11月15日(日) 24:00" in out
    assert "Account valid until: 2026年2月28日(土) 24:00" in out
    assert "last business day of December:    2026年12月31日(木)" in out
    assert "last business day of December:    2026年12月28日(月)" in out
    assert "4 days from 12/25, extended to a business day: 2026年12月29日(火) 24:00" in out
    assert "4 days from 12/25, extended to a business day: 2027年1月4日(月) 24:00" in out


def test_the_contract_story_shows_the_rulebook_timeline(capsys: pytest.CaptureFixture[str]) -> None:
    """CON-3 … CON-8 as the example prints them."""
    runpy.run_path(str(EXAMPLES[0].parent / "contract_termination.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "利用終了を申請 → 契約終了" in out
    assert "day 10: 利用再開 → 契約中" in out
    assert "termination cycles kept in the history: 2" in out
    assert "day 15 sweep (1 changed) → 利用終了" in out
    assert "reinstatement refused: CON-4" in out
    assert "day 46 sweep (1 changed) → 登録抹消" in out
    assert "a second sweep changes 0 contracts" in out
    assert out.count("【おまかせログイン】サービス利用停止受理通知") == 2
    assert out.count("【おまかせログイン】契約者変更完了通知") == 2
    assert "her account is administrator" in out


def test_the_sqlite_adapter_example_sweeps_through_sqlite(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """PORT-3: state and events in one database."""
    runpy.run_path(str(EXAMPLES[0].parent / "sqlite_adapter.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "contracts row: ('c-1', 3, 'purged', None)" in out
    assert "outbox: contract:c-1:3 RegistrationPurged" in out


def test_the_connecure_story_reaches_acceptance(capsys: pytest.CaptureFixture[str]) -> None:
    """SUB-3, SUB-9 … SUB-12 as the example prints them."""
    runpy.run_path(str(EXAMPLES[0].parent / "connecure_new_installation.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "現地調査           from 2025年5月12日(月)" in out
    assert "operator send_back" in out
    assert "→ 差戻" in out
    assert "stored as 20250403_NTTデータ(豊洲)パラメータシート.xlsx" in out
    assert "受領 → 承諾" in out
    assert "acceptance letter (利用承諾書) available: True" in out
    assert "everything done: True" in out
    assert "first billing month (SUB-12): 2025-08" in out
    assert "ASP option fee (SUB-9): ¥10,000 per month" in out
    assert "installed site (SUB-5): NTTデータ(豊洲) [利用中]" in out
    assert "拠点名変更 started: the site is 拠点名変更中" in out
    assert "another change meanwhile: refused (SUB-5)" in out
    assert "承諾: the site is NTTデータ(品川) [利用中]; NTTデータ(豊洲) is free again" in out


def test_the_id_change_calendar_shows_the_may_2026_windows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """IDC-3 … IDC-7 as the example prints them."""
    runpy.run_path(str(EXAMPLES[0].parent / "id_change_calendar.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "25 CN 26 .N 27 .N 28 .N 29 .N 30 .N 31 .N" in out  # Google Workspace
    assert "25 >N 26 >N 27 >N 28 >N 29 >N 30 >N 31 >N" in out  # add-ons
    assert "[不可] IDC-3（Google Workspace）: 2026年5月26日(火) 09:00" in out
    assert "契約更新時に KDDI 法人営業担当者" in out


def test_the_admin_day_shows_roles_passwords_and_an_answered_inquiry(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """ACC-2, ACC-3, ACC-6, INQ-1 … INQ-3 as the example prints them."""
    runpy.run_path(str(EXAMPLES[0].parent / "kddi_admin_day.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "the setup link is valid until 2026年11月8日(日) 24:00" in out
    assert "password change refused (digits)" in out
    assert "Hanako2026!" not in out
    assert "ACC-3: ユーザ may not apply id count change" in out
    assert "✉ 【My KDDI Biz 総合】お問い合わせ回答のお知らせ → sato@example.co.jp" in out


def test_the_ocn_plan_shows_fees_a_change_and_a_cancellation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """OCN-1 … OCN-4 as the example prints them."""
    runpy.run_path(str(EXAMPLES[0].parent / "ocn_mail_plan.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "       4             0  ¥           450  ¥           495" in out
    assert "monthly fee now ¥650 (tax excluded)" in out
    assert "a new mail change is refused: OCN-4" in out
    assert "can still log in: False" in out


def test_the_portal_worker_retries_delivers_over_smtp_and_purges(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """PORT-6 and CON-10 as the worker example prints them: a real SMTP server on 127.0.0.1."""
    runpy.run_path(str(EXAMPLES[0].parent / "portal_worker.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "server down: 2 failed, next attempt of c-1's notice at 10:01 (attempt 1 of 5)" in out
    assert "server up: 2 delivered, 2 mails" in out
    assert "to owner1@example.co.jp: 【おまかせログイン】サービス利用停止受理通知  <" in out
    assert "day 46: c-1 is 登録抹消, contractor erased@erased.invalid, accounts left 0" in out
    assert "a pass on the system clock finds nothing to do: True" in out
