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
